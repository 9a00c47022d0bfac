"""Settings from ``MERKWACHT_*`` environment variables and an optional ``merkwacht.toml``.

Precedence, highest first: arguments given in code, environment variables, the TOML
file (``./merkwacht.toml`` or the file named by ``MERKWACHT_CONFIG``), the defaults below.

:func:`get_settings` reports settings it cannot read as :class:`InvalidSettings` (a coded
error naming each variable, its value unless secret, and what is wrong, in Dutch or English);
``Settings()`` itself raises pydantic's ``ValidationError`` as before.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
    TomlConfigSettingsSource,
)

from .errors import Coded
from .i18n import DEFAULT_LANGUAGE, LANGUAGES
from .platforms import PLATFORMS
from .settings_errors import InvalidSettings, SettingSources, SettingValueError, invalid_settings

__all__ = ["ConfigurationError", "InvalidSettings", "Settings", "get_settings", "load_settings", "read_language",
           "set_settings"]

#: What an SQLAlchemy URL starts with: ``dialect[+driver]://``.
DATABASE_URL = re.compile(r"^[A-Za-z][A-Za-z0-9_]*(\+[A-Za-z0-9_]+)?://")
#: The key the demo uses. Outside the demo Merkwacht refuses to store third-party data with it.
DEMO_PSEUDONYM_KEY = "merkwacht-demo-key-not-for-production"


class ConfigurationError(Coded, RuntimeError):
    """The configuration does not allow what was asked; the message says which setting to change."""


def _toml_path() -> Path:
    return Path(os.environ.get("MERKWACHT_CONFIG", "merkwacht.toml"))


class _Sourced(BaseSettings):
    """Where settings come from: ``MERKWACHT_*`` variables and ``merkwacht.toml``."""

    model_config = SettingsConfigDict(env_prefix="MERKWACHT_", extra="ignore")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (
            init_settings,
            env_settings,
            TomlConfigSettingsSource(settings_cls, toml_file=_toml_path()),
        )


class LanguageSetting(_Sourced):
    """The interface language alone: read when other settings are invalid, to report them in it."""

    language: str = Field(
        default=DEFAULT_LANGUAGE,
        description="Interface language of the dashboard and the command line: nl or en (`merkwacht --lang`).",
    )

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise SettingValueError(code="settings.unknown_language", allowed=", ".join(LANGUAGES), value=value)
        return value


class Settings(LanguageSetting):
    """Everything Merkwacht can be configured with.

    Every field can be set as ``MERKWACHT_<FIELD>`` (for example ``MERKWACHT_DATABASE_URL``)
    or as ``field = value`` in ``merkwacht.toml``.
    """

    database_url: str = Field(
        default="sqlite:///merkwacht.db",
        description="SQLAlchemy URL; default an SQLite file in the working directory.",
    )
    pseudonym_key: SecretStr = Field(
        default=SecretStr(DEMO_PSEUDONYM_KEY),
        description="Secret for the keyed HMAC that turns third-party authors into pseudonyms.",
    )
    demo: bool = Field(default=False, description="Set by `merkwacht demo`: allows the demo key.")
    policy: str = Field(default="generic", description="Name of the policy pack in force.")
    policy_dir: Path | None = Field(default=None, description="Extra folder searched for policy packs.")

    x_api_url: str = Field(default="https://api.x.com", description="Base URL of the X API v2.")
    reddit_url: str = Field(default="https://www.reddit.com", description="praw's reddit_url.")
    reddit_oauth_url: str = Field(default="https://oauth.reddit.com", description="praw's oauth_url.")
    bluesky_api_url: str = Field(
        default="https://public.api.bsky.app", description="Base URL of the Bluesky XRPC API."
    )
    http_timeout: float = Field(default=30.0, description="Seconds before a platform request times out.")
    http_retries: int = Field(default=3, description="Retries of a 5xx answer or a timeout.")
    http_backoff: float = Field(default=2.0, description="Seconds of the first retry's backoff; doubles.")
    collect_interval_minutes: int = Field(default=60, description="Default interval between collections.")
    recheck_hours: dict[str, float] = Field(
        default_factory=lambda: {"mastodon": 24.0},
        description=(
            "Hours between scheduled rechecks per platform: stored posts looked up again to notice edits "
            "and deletions the normal pass cannot see. Reddit and Bluesky see them on every pass; X charges "
            "per tweet read, so it is rechecked only when set here, e.g. MERKWACHT_RECHECK_HOURS="
            "'{\"mastodon\": 24, \"x\": 168}'."
        ),
    )

    dashboard_address: str = Field(default="127.0.0.1")
    dashboard_port: int = Field(default=8501)
    analysis_batch_size: int = Field(default=2000)
    report_dir: Path = Field(default=Path("reports"), description="Where the scheduler writes quarterly reports.")

    @field_validator("database_url")
    @classmethod
    def _looks_like_a_url(cls, value: str) -> str:
        if not DATABASE_URL.match(value):
            raise SettingValueError(code="settings.bad_database_url")  # the value may hold a password: not named
        return value

    @field_validator("recheck_hours")
    @classmethod
    def _known_platforms_positive_hours(cls, value: dict[str, float]) -> dict[str, float]:
        for name, hours in value.items():
            if name not in PLATFORMS:
                raise SettingValueError(code="settings.recheck_unknown_platform", name=name,
                                        known=", ".join(sorted(PLATFORMS)))
            if not hours > 0:
                raise SettingValueError(code="settings.recheck_hours_not_positive", name=name, hours=hours)
        return value

    def uses_demo_key(self) -> bool:
        return self.pseudonym_key.get_secret_value() == DEMO_PSEUDONYM_KEY

    def require_pseudonym_key(self) -> bytes:
        """The pseudonymisation key, refusing the built-in demo key outside the demo."""
        if self.uses_demo_key() and not self.demo:
            raise ConfigurationError(code="settings.no_pseudonym_key")
        key = self.pseudonym_key.get_secret_value()
        if len(key) < 16:
            raise ConfigurationError(code="settings.pseudonym_key_too_short")
        return key.encode("utf-8")


_current: Settings | None = None


def get_settings() -> Settings:
    """The process's settings, read from the environment and TOML file once.

    Settings that cannot be read raise :class:`InvalidSettings`, naming each variable and what is wrong.
    """
    global _current
    if _current is None:
        _current = load_settings()
    return _current


def load_settings(**values: Any) -> Settings:
    """Settings from ``values``, the environment and the TOML file; :class:`InvalidSettings` if they are invalid."""
    settings: Settings = _read(Settings, values)
    return settings


def read_language() -> str:
    """The ``language`` setting alone (:class:`InvalidSettings` if it is invalid itself)."""
    return _read(LanguageSetting, {}).language


def _read(cls: type[LanguageSetting], values: dict[str, Any]) -> Any:
    try:
        return cls(**values)
    except (ValidationError, SettingsError) as exc:
        raise invalid_settings(exc, sources=_sources(cls)) from None


def _sources(cls: type[BaseSettings]) -> SettingSources:
    path = _toml_path()
    try:
        with path.open("rb") as handle:
            keys = frozenset(tomllib.load(handle))
    except (OSError, tomllib.TOMLDecodeError):
        keys = frozenset()
    secrets = frozenset(name for name, info in cls.model_fields.items() if info.annotation is SecretStr)
    return SettingSources(prefix=str(cls.model_config.get("env_prefix", "")), environ=os.environ, toml_path=path,
                          toml_keys=keys, secrets=secrets)


def set_settings(settings: Settings | None) -> None:
    """Put these settings in force for the process (``None``: read them again on next use)."""
    global _current
    _current = settings
