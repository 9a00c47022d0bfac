"""The command line's own messages, in Dutch (the default) or English, from ``messages.toml``.

``msg("accounts.registered", handle=...)`` is a message in the language of the running command:
``merkwacht --lang nl|en``, else the ``language`` setting (``MERKWACHT_LANGUAGE`` or
``merkwacht.toml``), else Dutch. Keys are grouped per command module (``accounts.*`` for
:mod:`merkwacht.cli.accounts`). Machine-readable output (JSON lines, CSV, exit codes) and the
data's own ids (statuses, rule ids) are never translated. The ``--help`` texts have a catalogue of
their own (:mod:`merkwacht.cli.helptext`), and so do click's own words (:mod:`merkwacht.cli.clicktext`).

The choice holds for one run of the command (:func:`command_scope`, entered by ``merkwacht``'s
``main``), so it also reaches what click prints after the command's context is closed (a usage
error's "Try ... for help.") and does not outlive the run (tests invoke the command many times).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any

from merkwacht.core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Catalogue

if TYPE_CHECKING:
    from merkwacht.core.interchange import LineError

CATALOGUE = Catalogue(Path(__file__).with_name("messages.toml"))
#: The language chosen for the running command: ``None`` outside a run, ``""`` in a run before a choice.
_CHOSEN: ContextVar[str | None] = ContextVar("merkwacht_language", default=None)


class BadLanguageSetting(ValueError):
    """The ``language`` setting holds a value that is not a known language (``value``: as shown, quoted)."""

    def __init__(self, value: object) -> None:
        super().__init__(value)
        self.value = value


def configured_language() -> str:
    """The ``language`` setting; :class:`BadLanguageSetting` when it holds an unknown value.

    Settings that fail for another reason are left to the command that uses them (it reports
    them in this language: the ``language`` setting read alone).
    """
    from merkwacht.core.settings import InvalidSettings, get_settings, read_language

    try:
        return get_settings().language
    except InvalidSettings:
        pass
    try:
        return read_language()
    except InvalidSettings as exc:
        for problem in exc.problems:
            if problem.field == "language":
                raise BadLanguageSetting(problem.value) from None
        return DEFAULT_LANGUAGE


@contextmanager
def command_scope() -> Iterator[None]:
    """One run of the command: a language chosen during it is forgotten at its end."""
    token = _CHOSEN.set("")
    try:
        yield
    finally:
        _CHOSEN.reset(token)


def in_command() -> bool:
    """Is a run of ``merkwacht`` going on (so that click's own texts follow its language)?"""
    return _CHOSEN.get() is not None


def choose_language(lang: str | None) -> str:
    """Put ``lang`` (from ``--lang``), else the setting, in force for this run; return it."""
    chosen = lang or configured_language()
    _CHOSEN.set(chosen)
    return chosen


def language() -> str:
    """The language of the running command (outside one: the setting, or Dutch if it is unusable)."""
    chosen = _CHOSEN.get()
    if chosen in LANGUAGES:
        return chosen
    try:
        return configured_language()
    except BadLanguageSetting:
        return DEFAULT_LANGUAGE


def msg(key: str, /, **values: Any) -> str:
    """The message ``key`` in the command's language, with ``values`` filled in."""
    return CATALOGUE.translate(language(), key, **values)


#: The message of each coded :class:`LineError` (an uncoded one keeps the validator's own text).
_LINE_REASONS = {
    "json_invalid": "lines.json_invalid",
    "not_object": "lines.not_object",
    "missing": "lines.missing",
    "too_long": "lines.too_long",
    "not_utf8": "lines.not_utf8",
    "id_conflict": "lines.id_conflict",
}


def line_error(error: LineError) -> str:
    """A rejected input line in the command's language: line number, field, what is wrong, value."""
    where = msg("lines.where", line=error.line)
    if error.field:
        where = msg("lines.where_field", line=error.line, field=repr(error.field))
    reason_key = _LINE_REASONS.get(error.code or "")
    reason = msg(reason_key, detail=error.detail) if reason_key else error.message
    if error.value is not None:
        return msg("lines.error_value", where=where, reason=reason, value=error.value)
    return msg("lines.error", where=where, reason=reason)
