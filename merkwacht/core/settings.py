"""Settings from ``MERKWACHT_*`` environment variables and an optional ``merkwacht.toml``.

Precedence, highest first: arguments given in code, environment variables, the TOML
file (``./merkwacht.toml`` or the file named by ``MERKWACHT_CONFIG``), the defaults below.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from .errors import Coded
from .i18n import DEFAULT_LANGUAGE, LANGUAGES
from .platforms import PLATFORMS

#: The key the demo uses. Outside the demo Merkwacht refuses to store third-party data with it.
DEMO_PSEUDONYM_KEY = "merkwacht-demo-key-not-for-production"


class ConfigurationError(Coded, RuntimeError):
    """The configuration does not allow what was asked; the message says which setting to change."""


def _toml_path() -> Path:
    return Path(os.environ.get("MERKWACHT_CONFIG", "merkwacht.toml"))


class Settings(BaseSettings):
    """Everything Merkwacht can be configured with.

    Every field can be set as ``MERKWACHT_<FIELD>`` (for example ``MERKWACHT_DATABASE_URL``)
    or as ``field = value`` in ``merkwacht.toml``.
    """

    model_config = SettingsConfigDict(env_prefix="MERKWACHT_", extra="ignore")

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
    language: str = Field(
        default=DEFAULT_LANGUAGE,
        description="Interface language of the dashboard and the command line: nl or en (`merkwacht --lang`).",
    )

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

    @field_validator("recheck_hours")
    @classmethod
    def _known_platforms_positive_hours(cls, value: dict[str, float]) -> dict[str, float]:
        for name, hours in value.items():
            if name not in PLATFORMS:
                raise ValueError(f"recheck_hours: unknown platform {name!r}; known: {', '.join(sorted(PLATFORMS))}")
            if not hours > 0:
                raise ValueError(f"recheck_hours: hours for {name!r} must be more than 0, not {hours!r}")
        return value

    @field_validator("language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in LANGUAGES:
            raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {value!r}")
        return value

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
    """The process's settings, read from the environment and TOML file once."""
    global _current
    if _current is None:
        _current = Settings()
    return _current


def set_settings(settings: Settings | None) -> None:
    """Put these settings in force for the process (``None``: read them again on next use)."""
    global _current
    _current = settings
