"""Errors that carry a message meant for the person at the keyboard."""

from __future__ import annotations


class MerkwachtError(Exception):
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
