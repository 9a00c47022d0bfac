"""Invalid settings as a message for a person: which variable, which value, what is wrong.

pydantic reports an invalid setting in English, by field name, with the value in full. When the
settings cannot be read, :func:`invalid_settings` turns its error into :class:`InvalidSettings`,
a coded error (see :mod:`merkwacht.core.errors`) with one :class:`SettingProblem` per setting:
the environment variable (``MERKWACHT_RECHECK_HOURS``) or the key of ``merkwacht.toml`` that holds
it, the value as it was written, and what is wrong. The value of a secret (a key, a password, a
token) is never shown, and neither is the password in a database URL.

What is wrong comes, in the reader's language, from the settings' own validators (they raise
:class:`SettingValueError`, coded) or, for the common kinds of pydantic error (not a number, not
JSON), from the catalogue; any other pydantic error keeps pydantic's own (English) words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import CATALOGUE, LOG_LANGUAGE, Coded

#: How a hidden value is shown.
MASK = "***"
#: Parts of a setting's name that make its value a secret.
SECRET_WORDS = ("key", "password", "passwd", "secret", "token", "credential")
#: pydantic error type -> the catalogue's reason (other types keep pydantic's message).
REASONS = {
    "int_parsing": "settings.reason.not_whole_number",
    "int_from_float": "settings.reason.not_whole_number",
    "float_parsing": "settings.reason.not_number",
    "bool_parsing": "settings.reason.not_boolean",
    "dict_type": "settings.reason.not_json_object",
    "json_invalid": "settings.reason.not_json",
    "json_type": "settings.reason.not_json",
}
_QUERY_PASSWORD = re.compile(r"(?P<head>[?&](?:password|passwd|pwd)=)(?P<password>[^&#]*)", re.IGNORECASE)
_SETTINGS_ERROR_FIELD = re.compile(r'field "(?P<field>[A-Za-z0-9_]+)"')


class SettingValueError(Coded, ValueError):
    """A setting's own validator refusing a value: a coded message (pydantic shows its English ``str()``)."""


@dataclass(frozen=True, slots=True)
class SettingProblem:
    """One invalid setting: where it is set, its value as shown (masked if secret), and what is wrong."""

    field: str
    variable: str
    #: The value as shown (quoted, or masked); ``None`` when it is not known.
    value: str | None
    reason_code: str | None = None
    reason_params: dict[str, Any] = field(default_factory=dict)
    #: pydantic's own words, used when there is no coded reason.
    detail: str = ""
    #: The member at fault in a mapping or list setting (``x`` in ``recheck_hours``); empty for the whole.
    part: str = ""

    def reason(self, lang: str) -> str:
        reason = self.detail if self.reason_code is None else CATALOGUE.translate(
            lang, self.reason_code, **self.reason_params)
        return f"{self.part}: {reason}" if self.part else reason

    def text(self, lang: str) -> str:
        if self.value is None:
            return CATALOGUE.translate(lang, "settings.invalid_setting", variable=self.variable,
                                       reason=self.reason(lang))
        return CATALOGUE.translate(lang, "settings.invalid_value", variable=self.variable, value=self.value,
                                   reason=self.reason(lang))


class InvalidSettings(Coded, ValueError):
    """The settings cannot be read: one line per invalid setting, in the reader's language.

    Like :class:`~merkwacht.core.settings.ConfigurationError`, the command line shows it as a plain
    message (exit code 2); ``str()`` is the English text.
    """

    def __init__(self, problems: Iterable[SettingProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__(code="settings.invalid")

    def _message(self, message: str | None, *, code: str | None, params: dict[str, Any]) -> str:
        super()._message(message, code=code, params=params)
        return self.text(LOG_LANGUAGE)

    def text(self, lang: str) -> str:
        lines = [self.catalogue.translate(lang, "settings.invalid", **self.params)]
        return "\n".join([*lines, *(f"  - {problem.text(lang)}" for problem in self.problems)])


def is_secret(name: str, annotation: Any = None) -> bool:
    """Is the setting ``name`` a secret (by its type, ``SecretStr``, or by its name)?"""
    if annotation is not None and "Secret" in getattr(annotation, "__name__", str(annotation)):
        return True
    return any(word in name.lower() for word in SECRET_WORDS)


def shown_value(value: Any, *, secret: bool) -> str:
    """``value`` as shown in a message: hidden for a secret, a URL without its password, else quoted."""
    if secret:
        return MASK
    text = value if isinstance(value, str) else repr(value)
    text = _QUERY_PASSWORD.sub(lambda m: m["head"] + MASK, _mask_userinfo(text))
    return repr(text) if isinstance(value, str) else text


def _mask_userinfo(text: str) -> str:
    """``scheme://user:password@host`` without its password (also when the URL is malformed)."""
    at = text.rfind("@")
    if at < 0:
        return text
    scheme_end = text.find("://")
    start = scheme_end + 3 if 0 <= scheme_end < at else 0
    colon = text.find(":", start, at)
    return text if colon < 0 else f"{text[:colon + 1]}{MASK}{text[at:]}"


@dataclass(frozen=True, slots=True)
class SettingSources:
    """Where settings are read from: the environment (with its prefix) and the TOML file."""

    prefix: str
    environ: Mapping[str, str]
    toml_path: Path
    toml_keys: frozenset[str]
    secrets: frozenset[str]

    def raw(self, name: str) -> tuple[str, str | None]:
        """The variable (or TOML key) that sets ``name``, and its raw value from the environment if set there."""
        wanted = f"{self.prefix}{name}".upper()
        for key, value in self.environ.items():
            if key.upper() == wanted:
                return key, value
        if name in self.toml_keys:
            return f"{name} ({self.toml_path})", None
        return wanted, None


def invalid_settings(exc: Exception, *, sources: SettingSources) -> InvalidSettings:
    """``exc`` (pydantic's ``ValidationError`` or pydantic-settings' ``SettingsError``) as :class:`InvalidSettings`."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return InvalidSettings(_problem(error, sources=sources) for error in errors(include_url=False))
    match = _SETTINGS_ERROR_FIELD.search(str(exc))  # a value the environment source could not decode (JSON)
    name = match["field"] if match else ""
    variable, raw = sources.raw(name) if name else ("?", None)
    value = shown_value(raw, secret=name in sources.secrets or is_secret(name)) if raw is not None else None
    return InvalidSettings([SettingProblem(field=name, variable=variable, value=value,
                                           reason_code="settings.reason.not_json", detail=str(exc))])


def _problem(error: Mapping[str, Any], *, sources: SettingSources) -> SettingProblem:
    loc = tuple(str(part) for part in error.get("loc", ()))
    name = loc[0] if loc else ""
    variable, raw = sources.raw(name)
    secret = name in sources.secrets or is_secret(name)
    value = raw if raw is not None else error.get("input")
    shown = None if error.get("type") == "missing" else shown_value(value, secret=secret)
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, SettingValueError) and cause.message_code is not None:
        return SettingProblem(field=name, variable=variable, value=shown, reason_code=cause.message_code,
                              reason_params=dict(cause.params), detail=str(cause))
    return SettingProblem(field=name, variable=variable, value=shown, reason_code=REASONS.get(str(error.get("type"))),
                          detail=str(error.get("msg", "")), part=".".join(loc[1:]))
