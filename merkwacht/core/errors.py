"""Errors that carry a message meant for the person at the keyboard.

An error raised with a message code, ``NotFound(code="accounts.not_registered", handle="x")``,
keeps its message in a catalogue (``errors.toml`` beside this module, in Dutch and English): its
``str()`` is the English text, as in logs and tracebacks, and :meth:`Coded.text` gives it in the
language of whoever reads it (the command line asks for its own language). The parameters are
values from the data (a handle, a line, a field), never words of a language, so that the
message names what is wrong in either language. An error raised with a plain message (older
code, or a text already in the reader's language) is shown as it is.

A package with messages of its own gives its error class a catalogue of its own
(:attr:`Coded.catalogue`), so that core holds no package's texts but its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from .i18n import Catalogue

CATALOGUE = Catalogue(Path(__file__).with_name("errors.toml"))
#: The language of ``str()`` (logs, tracebacks, tests).
LOG_LANGUAGE = "en"


class Coded:
    """An error message as a code plus parameters, with its text in a catalogue (a mixin for exceptions)."""

    catalogue: ClassVar[Catalogue] = CATALOGUE
    #: The message's key in :attr:`catalogue`; ``None`` for a plain message.
    code: str | None = None
    #: The same key, under a name a subclass keeps when its ``code`` means something else
    #: (a collector error's ``code`` is its ``E_*`` code, stored in run records).
    message_code: str | None = None
    params: dict[str, Any]

    def __init__(self, message: str | None = None, /, *, code: str | None = None, **params: Any) -> None:
        super().__init__(self._message(message, code=code, params=params))

    def _message(self, message: str | None, *, code: str | None, params: dict[str, Any]) -> str:
        """Remember the code and parameters; return the text for ``str()``."""
        self.code = self.message_code = code
        self.params = params
        if code is None:
            return message or ""
        return self.catalogue.translate(LOG_LANGUAGE, code, **params)

    def text(self, lang: str) -> str:
        """The message in ``lang`` (a plain message as it was given)."""
        if self.message_code is None:
            return str(self)
        return self.catalogue.translate(lang, self.message_code, **self.params)


class MerkwachtError(Coded, Exception):
    """Base of the errors the command line shows as a plain message with a non-zero exit."""

    exit_code = 1


class NotFound(MerkwachtError):
    """A named thing (account, user, finding) does not exist."""


class Ambiguous(MerkwachtError):
    """A name matches more than one thing; the message says how to choose."""


class Duplicate(MerkwachtError):
    """The thing to add exists already."""


class NotOptedIn(MerkwachtError):
    """An account without an active opt-in: it is never collected (PRIVACY.md R2)."""

    exit_code = 3


class Refused(MerkwachtError):
    """The action is not allowed for this role or in this state."""

    exit_code = 4
