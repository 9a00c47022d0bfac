"""Invalid settings as a message for a person, in Dutch or English: the variable, its value (never a
secret's), and what is wrong; the settings' own validators are coded."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from merkwacht.cli.main import cli
from merkwacht.core.settings import InvalidSettings, Settings, get_settings, load_settings, read_language
from merkwacht.core.settings_errors import MASK, SettingValueError, is_secret, shown_value


def _invalid() -> InvalidSettings:
    with pytest.raises(InvalidSettings) as info:
        get_settings()
    return info.value


def test_a_custom_validator_names_variable_value_and_reason_in_dutch_and_english(monkeypatch):
    monkeypatch.setenv("MERKWACHT_RECHECK_HOURS", '{"myspace": 24}')
    error = _invalid()
    nl = error.text("nl")
    assert nl.startswith("de instellingen zijn ongeldig")
    assert ("MERKWACHT_RECHECK_HOURS = '{\"myspace\": 24}': onbekend platform 'myspace'; "
            "bekende platforms: bluesky, mastodon, reddit, x") in nl
    assert "unknown platform 'myspace'; known platforms" in str(error) == error.text("en")
    (problem,) = error.problems
    assert (problem.field, problem.variable, problem.reason_code) == (
        "recheck_hours", "MERKWACHT_RECHECK_HOURS", "settings.recheck_unknown_platform")


def test_hours_must_be_positive(monkeypatch):
    monkeypatch.setenv("MERKWACHT_RECHECK_HOURS", '{"x": 0}')
    assert "het aantal uren voor 'x' moet groter zijn dan 0, niet 0.0" in _invalid().text("nl")


def test_pydantic_errors_name_the_variable_and_common_ones_are_translated(monkeypatch):
    monkeypatch.setenv("MERKWACHT_DASHBOARD_PORT", "tachtig")
    monkeypatch.setenv("MERKWACHT_RECHECK_HOURS", '{"x": "vaak"}')
    monkeypatch.setenv("MERKWACHT_DEMO", "misschien")
    text = _invalid().text("nl")
    assert "MERKWACHT_DASHBOARD_PORT = 'tachtig': geen geheel getal" in text
    assert "MERKWACHT_RECHECK_HOURS = '{\"x\": \"vaak\"}': x: geen getal" in text
    assert "MERKWACHT_DEMO = 'misschien': geen ja/nee-waarde" in text
    assert "MERKWACHT_DASHBOARD_PORT = 'tachtig': not a whole number" in _invalid().text("en")


def test_a_value_the_environment_cannot_decode_is_named(monkeypatch):
    monkeypatch.setenv("MERKWACHT_RECHECK_HOURS", "{mastodon: 24")
    assert "MERKWACHT_RECHECK_HOURS = '{mastodon: 24': geen geldige JSON" in _invalid().text("nl")


def test_a_database_url_is_shown_without_its_password(monkeypatch):
    monkeypatch.setenv("MERKWACHT_DATABASE_URL", "postgres//merkwacht:hunter2@db/merkwacht?password=hunter3")
    error = _invalid()
    text = error.text("nl") + error.text("en") + repr(error.problems)
    assert "hunter2" not in text and "hunter3" not in text
    assert f"MERKWACHT_DATABASE_URL = 'postgres//merkwacht:{MASK}@db/merkwacht?password={MASK}': geen SQLAlchemy-URL" \
        in error.text("nl")


def test_secrets_are_never_shown():
    assert is_secret("pseudonym_key") and is_secret("smtp_password") and is_secret("api_token")
    assert not is_secret("database_url") and not is_secret("recheck_hours")
    assert shown_value("s3cret", secret=True) == MASK
    assert shown_value("postgresql+psycopg://u:pw@h/db", secret=False) == f"'postgresql+psycopg://u:{MASK}@h/db'"
    assert shown_value("sqlite:///merkwacht.db", secret=False) == "'sqlite:///merkwacht.db'"


def test_a_setting_from_the_toml_file_names_the_file(monkeypatch, tmp_path: Path):
    toml = tmp_path / "merkwacht.toml"
    toml.write_text('dashboard_port = "eighty"\n')
    monkeypatch.setenv("MERKWACHT_CONFIG", str(toml))
    assert f"dashboard_port ({toml}) = 'eighty': geen geheel getal" in _invalid().text("nl")


def test_the_language_is_read_alone_when_another_setting_is_invalid(monkeypatch):
    monkeypatch.setenv("MERKWACHT_LANGUAGE", "en")
    monkeypatch.setenv("MERKWACHT_DASHBOARD_PORT", "eighty")
    assert read_language() == "en"
    monkeypatch.setenv("MERKWACHT_LANGUAGE", "fr")
    with pytest.raises(InvalidSettings) as info:
        read_language()
    assert "taal moet een van nl, en zijn, niet 'fr'" in info.value.text("nl")


def test_settings_itself_still_raises_pydantics_error_and_load_settings_the_coded_one(monkeypatch):
    monkeypatch.setenv("MERKWACHT_RECHECK_HOURS", '{"myspace": 24}')
    with pytest.raises(ValidationError) as info:
        Settings()
    assert isinstance(info.value.errors()[0]["ctx"]["error"], SettingValueError)
    with pytest.raises(InvalidSettings):
        load_settings(database_url="sqlite:///x.db")


@pytest.mark.parametrize(("env", "expected"), [
    ({}, ["de instellingen zijn ongeldig", "MERKWACHT_RECHECK_HOURS = '{\"myspace\": 24}'",
          "onbekend platform 'myspace'"]),
    ({"MERKWACHT_LANGUAGE": "en"}, ["the settings are not valid", "MERKWACHT_RECHECK_HOURS = '{\"myspace\": 24}'",
                                    "unknown platform 'myspace'"]),
])
def test_the_command_line_names_an_invalid_setting_in_its_language(monkeypatch, env, expected):
    monkeypatch.setenv("MERKWACHT_RECHECK_HOURS", '{"myspace": 24}')
    monkeypatch.setenv("MERKWACHT_DATABASE_URL", "postgresql+psycopg://merkwacht:hunter2@127.0.0.1:1/none")
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    for args in (["users", "list"], ["collect"], ["dashboard", "--port", "1"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, (args, result.output)
        assert all(part in result.output for part in expected), (args, result.output)
        assert "hunter2" not in result.output and "Traceback" not in result.output


def test_the_command_line_names_an_invalid_database_url_in_dutch(monkeypatch):
    monkeypatch.setenv("MERKWACHT_DATABASE_URL", "merkwacht:hunter2@db")
    result = CliRunner().invoke(cli, ["users", "list"])
    assert result.exit_code == 2
    assert f"MERKWACHT_DATABASE_URL = 'merkwacht:{MASK}@db': geen SQLAlchemy-URL" in result.output
    assert "hunter2" not in result.output
