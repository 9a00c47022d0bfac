"""`merkwacht accounts add|opt-in|revoke|list|rotated`: the register of brand accounts."""

from __future__ import annotations

from datetime import UTC, datetime

import click
from rich.table import Table

from merkwacht.core.platforms import PLATFORMS
from merkwacht.core.repository import accounts as register_

from .context import console, handle_errors, out, platform_option, transaction


@click.group("accounts")
def accounts() -> None:
    """The register of brand accounts. Only opted-in accounts are ever collected."""


@accounts.command("add")
@click.option("--platform", required=True, help=f"One of: {', '.join(PLATFORMS)}.")
@click.option("--handle", required=True, help="The account's handle, with or without @.")
@click.option("--instance", default=None, help="Mastodon only: the server's URL, e.g. https://social.example.nl.")
@click.option("--unit", required=True, help="The unit that owns the account (e.g. Communicatie).")
@click.option("--purpose", required=True, help="Why the account is monitored (recorded, shown to the council).")
@click.option("--credentials-env", default=None, help="Prefix of the environment variables with its credentials.")
@click.option("--platform-id", default=None,
              help="The platform's permanent account id, if known (saves X the id lookup on the first collection).")
@handle_errors
def add(platform: str, handle: str, instance: str | None, unit: str, purpose: str, credentials_env: str | None,
        platform_id: str | None) -> None:
    """Register a brand account (it is not collected until it is opted in)."""
    with transaction() as session:
        account = register_.add_account(
            session=session, platform=platform, handle=handle, instance=instance, unit=unit,
            purpose=purpose, credentials_env=credentials_env, platform_account_id=platform_id,
        )
        where = f" on {account.instance}" if account.instance else ""
        console.print(
            f"Registered {PLATFORMS[account.platform].label} account @{account.handle}{where} (id {account.id}). "
            f"It is collected only after `merkwacht accounts opt-in {account.handle} --by NAME`."
        )


@accounts.command("opt-in")
@click.argument("handle")
@click.option("--by", required=True, help="Who gives consent (name).")
@click.option("--role", default="account owner", show_default=True, help="In which role.")
@click.option("--purpose", default=None, help="Purpose consented to (default: the account's purpose).")
@platform_option
@handle_errors
def opt_in(handle: str, by: str, role: str, purpose: str | None, platform: str | None) -> None:
    """Record consent to monitor an account: who, in which role, when, for what purpose."""
    with transaction() as session:
        account = register_.find_account(session=session, handle=handle, platform=platform)
        record = register_.opt_in(session=session, account=account, by=by, role=role, purpose=purpose)
        console.print(f"Opt-in recorded for @{account.handle} on {account.platform} by {record.granted_by} "
                      f"({record.granted_role}) at {record.granted_at:%Y-%m-%d %H:%M} UTC.")


@accounts.command("revoke")
@click.argument("handle")
@click.option("--by", required=True, help="Who revokes (name).")
@click.option("--role", default="account owner", show_default=True)
@click.option("--reason", default=None, help="Why (recorded).")
@platform_option
@handle_errors
def revoke(handle: str, by: str, role: str, reason: str | None, platform: str | None) -> None:
    """Revoke an account's opt-in: collection stops at once and its monitoring data becomes due for purging."""
    with transaction() as session:
        account = register_.find_account(session=session, handle=handle, platform=platform)
        record = register_.revoke(session=session, account=account, by=by, role=role, reason=reason)
        console.print(f"Opt-in of @{account.handle} on {account.platform} revoked by {record.revoked_by} "
                      f"at {record.revoked_at:%Y-%m-%d %H:%M} UTC. It will not be collected again; its "
                      "monitoring data is purged by the next `merkwacht purge`.")


@accounts.command("rotated")
@click.argument("handle")
@click.option("--on", "on", default=None, help="Date of the rotation (YYYY-MM-DD; default today).")
@platform_option
@handle_errors
def rotated(handle: str, on: str | None, platform: str | None) -> None:
    """Record that an account's credentials (password, tokens) were rotated."""
    when = datetime.fromisoformat(on).replace(tzinfo=UTC) if on else None
    with transaction() as session:
        account = register_.find_account(session=session, handle=handle, platform=platform)
        register_.record_credentials_rotation(session=session, account=account, at=when)
        console.print(f"Credentials rotation of @{account.handle} recorded.")


@accounts.command("list")
@click.option("--platform", default=None, help="Only this platform.")
@handle_errors
def list_(platform: str | None) -> None:
    """List the registered accounts with their opt-in state."""
    with transaction() as session:
        rows = register_.list_accounts(session=session, platform=platform)
        table = Table(title=f"{len(rows)} account(s)")
        for column in ("platform", "handle", "instance", "unit", "status", "opt-in", "platform id"):
            table.add_column(column)
        for account in rows:
            current = account.active_opt_in()
            if current is not None:
                consent = f"{current.granted_by} ({current.granted_role}), {current.granted_at:%Y-%m-%d}"
            elif account.opt_ins:
                last = account.opt_ins[-1]
                consent = f"revoked {last.revoked_at:%Y-%m-%d} by {last.revoked_by}"
            else:
                consent = "none"
            table.add_row(account.platform, "@" + account.handle, account.instance or "-", account.unit,
                          account.status, consent, account.platform_account_id or "-")
        out.print(table)


def register(cli: click.Group) -> None:
    cli.add_command(accounts)
