"""`merkwacht users add|passwd|list|role|disable|enable`: dashboard users and their roles.

Passwords are asked for with a hidden prompt (twice), or read from the first line of standard
input with ``--password-stdin`` (for scripts). They never appear on the command line, in the
database in clear, or in any log.
"""

from __future__ import annotations

import sys

import click
from rich.table import Table

from merkwacht.core import auth
from merkwacht.core.models import ROLES

from .context import console, handle_errors, out, transaction
from .helptext import Group
from .messages import msg


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise click.UsageError(msg("users.no_password_on_stdin"))
        return password
    return click.prompt(msg("users.password_prompt"), hide_input=True,
                        confirmation_prompt=msg("users.password_again"))


@click.group("users", cls=Group)
def users() -> None:
    """Dashboard users and their roles (comms, council, admin)."""


@users.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--display-name", default=None)
@click.option("--oidc-subject", default=None)
@click.option("--sso-only", is_flag=True)
@click.option("--password-stdin", is_flag=True)
@handle_errors
def add(
    username: str,
    role: str,
    display_name: str | None,
    oidc_subject: str | None,
    sso_only: bool,
    password_stdin: bool,
) -> None:
    """Add a dashboard user with a role; asks for the password."""
    password = None if sso_only else _read_password(password_stdin)
    with transaction() as session:
        user = auth.add_user(
            session=session,
            username=username,
            role=role,
            password=password,
            display_name=display_name,
            oidc_subject=oidc_subject,
        )
        console.print(msg("users.added", username=repr(user.username), role=user.role))


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True)
@handle_errors
def passwd(username: str, password_stdin: bool) -> None:
    """Set a new password for a user."""
    password = _read_password(password_stdin)
    with transaction() as session:
        user = auth.set_password(session=session, username=username, password=password)
        console.print(msg("users.password_changed", username=repr(user.username)))


@users.command("role")
@click.argument("username")
@click.argument("role", type=click.Choice(ROLES))
@handle_errors
def role(username: str, role: str) -> None:
    """Change a user's role."""
    with transaction() as session:
        user = auth.set_role(session=session, username=username, role=role)
        console.print(msg("users.role_changed", username=repr(user.username), role=user.role))


@users.command("disable")
@click.argument("username")
@handle_errors
def disable(username: str) -> None:
    """Stop a user from signing in (the user and their history stay)."""
    with transaction() as session:
        auth.set_disabled(session=session, username=username, disabled=True)
        console.print(msg("users.disabled", username=repr(username)))


@users.command("enable")
@click.argument("username")
@handle_errors
def enable(username: str) -> None:
    """Allow a disabled user to sign in again."""
    with transaction() as session:
        auth.set_disabled(session=session, username=username, disabled=False)
        console.print(msg("users.enabled", username=repr(username)))


@users.command("list")
@handle_errors
def list_(username: str | None = None) -> None:
    """List dashboard users with their role (never a password or hash)."""
    with transaction() as session:
        rows = auth.list_users(session=session)
    table = Table(msg("users.col_username"), msg("users.col_name"), msg("users.col_role"),
                  msg("users.col_password"), msg("users.col_sso"), msg("users.col_disabled"),
                  msg("users.col_last_login"))
    yes, no = msg("users.yes"), msg("users.no")
    for u in rows:
        table.add_row(
            u.username,
            u.display_name or "",
            u.role,
            yes if u.has_password else no,
            yes if u.sso else no,
            yes if u.disabled else "",
            f"{u.last_login_at:%Y-%m-%d %H:%M}" if u.last_login_at else "",
        )
    out.print(table)


def register(cli: click.Group) -> None:
    cli.add_command(users)
