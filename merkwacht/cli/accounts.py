"""`merkwacht accounts add|opt-in|revoke|list|rotated`: the register of brand accounts."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from rich.table import Table

from merkwacht.core.platforms import PLATFORMS
from merkwacht.core.repository import accounts as register_

from .context import console, handle_errors, out, platform_option, transaction
from .helptext import Group
from .messages import msg


@click.group("accounts", cls=Group)
def accounts() -> None:
    """The register of brand accounts. Only opted-in accounts are ever collected."""


@accounts.command("add")
@click.option("--platform", required=True)
@click.option("--handle", required=True)
@click.option("--instance", default=None)
@click.option("--unit", required=True)
@click.option("--purpose", required=True)
@click.option("--credentials-env", default=None)
@click.option("--platform-id", default=None)
@handle_errors
def add(platform: str, handle: str, instance: str | None, unit: str, purpose: str, credentials_env: str | None,
        platform_id: str | None) -> None:
    """Register a brand account (it is not collected until it is opted in)."""
    with transaction() as session:
        account = register_.add_account(
            session=session, platform=platform, handle=handle, instance=instance, unit=unit,
            purpose=purpose, credentials_env=credentials_env, platform_account_id=platform_id,
        )
        where = msg("accounts.on_instance", instance=account.instance) if account.instance else ""
        console.print(msg("accounts.registered", platform=PLATFORMS[account.platform].label, handle=account.handle,
                          where=where, id=account.id))


@accounts.command("opt-in")
@click.argument("handle")
@click.option("--by", required=True)
@click.option("--role", default="account owner", show_default=True)
@click.option("--purpose", default=None)
@platform_option
@handle_errors
def opt_in(handle: str, by: str, role: str, purpose: str | None, platform: str | None) -> None:
    """Record consent to monitor an account: who, in which role, when, for what purpose."""
    with transaction() as session:
        account = register_.find_account(session=session, handle=handle, platform=platform)
        record = register_.opt_in(session=session, account=account, by=by, role=role, purpose=purpose)
        console.print(msg("accounts.opted_in", handle=account.handle, platform=account.platform,
                          by=record.granted_by, role=record.granted_role, at=record.granted_at))


@accounts.command("revoke")
@click.argument("handle")
@click.option("--by", required=True)
@click.option("--role", default="account owner", show_default=True)
@click.option("--reason", default=None)
@platform_option
@handle_errors
def revoke(handle: str, by: str, role: str, reason: str | None, platform: str | None) -> None:
    """Revoke an account's opt-in: collection stops at once and its monitoring data becomes due for purging."""
    with transaction() as session:
        account = register_.find_account(session=session, handle=handle, platform=platform)
        record = register_.revoke(session=session, account=account, by=by, role=role, reason=reason)
        console.print(msg("accounts.revoked", handle=account.handle, platform=account.platform,
                          by=record.revoked_by, at=record.revoked_at))


@accounts.command("rotated")
@click.argument("handle")
@click.option("--on", "on", default=None)
@platform_option
@handle_errors
def rotated(handle: str, on: str | None, platform: str | None) -> None:
    """Record that an account's credentials (password, tokens) were rotated."""
    when = datetime.fromisoformat(on).replace(tzinfo=UTC) if on else None
    with transaction() as session:
        account = register_.find_account(session=session, handle=handle, platform=platform)
        register_.record_credentials_rotation(session=session, account=account, at=when)
        console.print(msg("accounts.rotated", handle=account.handle))


@accounts.command("list")
@click.option("--platform", default=None)
@handle_errors
def list_(platform: str | None) -> None:
    """List the registered accounts with their opt-in state."""
    with transaction() as session:
        rows = register_.list_accounts(session=session, platform=platform)
        table = Table(title=msg("accounts.list_title", count=len(rows)))
        for column in (msg("accounts.col_platform"), msg("accounts.col_handle"), msg("accounts.col_instance"),
                       msg("accounts.col_unit"), msg("accounts.col_status"), msg("accounts.col_opt_in"),
                       msg("accounts.col_platform_id")):
            table.add_column(column)
        for account in rows:
            current = account.active_opt_in()
            if current is not None:
                consent = msg("accounts.consent_given", by=current.granted_by, role=current.granted_role,
                              at=current.granted_at)
            elif account.opt_ins:
                last = account.opt_ins[-1]
                consent = msg("accounts.consent_revoked", at=last.revoked_at, by=last.revoked_by)
            else:
                consent = msg("accounts.consent_none")
            table.add_row(account.platform, "@" + account.handle, account.instance or "-", account.unit,
                          account.status, consent, account.platform_account_id or "-")
        out.print(table)


def register(cli: click.Group) -> None:
    cli.add_command(accounts)
