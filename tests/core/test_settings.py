"""Settings: environment variables, merkwacht.toml, precedence, and the pseudonymisation key."""

from __future__ import annotations

import pytest

from merkwacht.core.settings import ConfigurationError, Settings, get_settings, set_settings


def test_defaults_use_sqlite_in_the_working_directory(monkeypatch):
    monkeypatch.delenv("MERKWACHT_DATABASE_URL", raising=False)
    assert Settings().database_url == "sqlite:///merkwacht.db"


def test_environment_and_toml(monkeypatch, tmp_path):
    toml = tmp_path / "merkwacht.toml"
    toml.write_text('database_url = "sqlite:///from-toml.db"\npolicy = "leiden"\nlanguage = "en"\n')
    monkeypatch.setenv("MERKWACHT_CONFIG", str(toml))
    monkeypatch.delenv("MERKWACHT_DATABASE_URL", raising=False)
    settings = Settings()
    assert (settings.database_url, settings.policy, settings.language) == ("sqlite:///from-toml.db", "leiden", "en")
    monkeypatch.setenv("MERKWACHT_DATABASE_URL", "postgresql+psycopg://db/merkwacht")
    assert Settings().database_url == "postgresql+psycopg://db/merkwacht"  # the environment wins


def test_a_bad_value_names_the_setting(monkeypatch):
    monkeypatch.setenv("MERKWACHT_LANGUAGE", "fr")
    with pytest.raises(ValueError, match="language"):
        Settings()
    monkeypatch.setenv("MERKWACHT_LANGUAGE", "nl")
    monkeypatch.setenv("MERKWACHT_DASHBOARD_PORT", "eighty")
    with pytest.raises(ValueError, match="dashboard_port"):
        Settings()


def test_the_demo_key_is_refused_outside_the_demo(monkeypatch):
    monkeypatch.delenv("MERKWACHT_PSEUDONYM_KEY", raising=False)
    settings = Settings()
    assert settings.uses_demo_key()
    with pytest.raises(ConfigurationError, match="MERKWACHT_PSEUDONYM_KEY is not set"):
        settings.require_pseudonym_key()
    assert Settings(demo=True).require_pseudonym_key()


def test_a_short_key_is_refused(monkeypatch):
    monkeypatch.setenv("MERKWACHT_PSEUDONYM_KEY", "short")
    with pytest.raises(ConfigurationError, match="at least 16"):
        Settings().require_pseudonym_key()


def test_secrets_do_not_show_in_repr(monkeypatch):
    monkeypatch.setenv("MERKWACHT_PSEUDONYM_KEY", "a-very-secret-key-1234567890")
    settings = Settings()
    assert "a-very-secret" not in repr(settings) and "a-very-secret" not in str(settings.model_dump())


def test_set_settings_puts_settings_in_force():
    mine = Settings(database_url="sqlite:///x.db")
    set_settings(mine)
    assert get_settings() is mine
    set_settings(None)
    assert get_settings() is not mine
