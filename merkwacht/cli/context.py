"""What every command needs: the database session, the acting person, and error reporting."""

from __future__ import annotations

import functools
import getpass
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click
from rich.console import Console

from merkwacht.core.errors import MerkwachtError
from merkwacht.core.platforms import UnknownPlatform
from merkwacht.core.settings import ConfigurationError, InvalidSettings, get_settings

from .messages import language, msg

#: Messages and progress go to stderr; tables and data go to stdout (:data:`out`).
console = Console(stderr=True, highlight=False)
out = Console(highlight=False, soft_wrap=False)
if not out.is_terminal:  # piped or captured: do not squeeze tables into 80 columns
    out = Console(highlight=False, soft_wrap=False, width=200)
if not console.is_terminal:
    console = Console(stderr=True, highlight=False, width=200)
F = TypeVar("F", bound=Callable[..., Any])

if TYPE_CHECKING:  # SQLAlchemy is imported when a command uses the database (file mode never does)
    from sqlalchemy.orm import Session


def fail(message: str, *, code: int = 1) -> None:
    console.print(f"[bold red]merkwacht:[/] {message}", soft_wrap=True)
    sys.exit(code)


def handle_errors(func: F) -> F:
    """Show a :class:`MerkwachtError`, a configuration, settings or platform error as a plain message and exit non-zero.

    A coded error (see :mod:`merkwacht.core.errors`) is shown in the command's language.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except MerkwachtError as exc:
            fail(exc.text(language()), code=exc.exit_code)
        except (ConfigurationError, InvalidSettings, UnknownPlatform) as exc:
            fail(exc.text(language()), code=2)
        except Exception as exc:
            from sqlalchemy.exc import OperationalError, ProgrammingError

            if not isinstance(exc, OperationalError | ProgrammingError):
                raise
            text = str(exc.orig) if exc.orig is not None else str(exc)
            if "no such table" in text or "does not exist" in text:
                fail(msg("context.not_initialised", error=text.splitlines()[0]), code=2)
            raise

    return wrapper  # type: ignore[return-value]


@contextmanager
def transaction() -> Iterator[Session]:
    """One transaction on the configured database, committed when the command succeeds."""
    from merkwacht.core import db

    with db.session_scope(db.get_engine(get_settings().database_url)) as session:
        yield session


def actor(by: str | None = None) -> str:
    """Who is acting: ``--by`` when given, else the operating-system user."""
    if by:
        return by
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        return "unknown"


platform_option = click.option("--platform", "platform", default=None)
