"""`merkwacht approvals add|import|list`: the register of approved standpoint texts."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from rich.table import Table

from merkwacht.core.interchange import read_jsonl_numbered
from merkwacht.core.post import Approval as ApprovalRecord
from merkwacht.core.repository import approvals as approvals_

from .context import console, fail, handle_errors, out, transaction
from .helptext import Group
from .messages import line_error, msg


def _date(value: str | None, *, end_of_day: bool = False) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(msg("approvals.not_a_date", value=repr(value))) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
        if end_of_day and len(value) == 10:
            parsed = parsed.replace(hour=23, minute=59, second=59)
    return parsed


@click.group("approvals", cls=Group)
def approvals() -> None:
    """The register of approved standpoints: a post that states the organisation's position needs one."""


@approvals.command("add")
@click.option("--account", required=True)
@click.option("--text", required=True)
@click.option("--by", "by", required=True)
@click.option("--approved-at", default=None)
@click.option("--valid-until", default=None)
@click.option("--id", "external_id", default=None)
@handle_errors
def add(account: str, text: str, by: str, approved_at: str | None, valid_until: str | None,
        external_id: str | None) -> None:
    """Add one approved text to the register."""
    with transaction() as session:
        approval = approvals_.add_approval(
            session=session, text=text, approved_by=by, account=account, external_id=external_id,
            approved_at=_date(approved_at), valid_until=_date(valid_until, end_of_day=True),
        )
        console.print(msg("approvals.added", id=approval.external_id,
                          account=approval.account_handle or msg("approvals.every_account")))


@approvals.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@handle_errors
def import_(file: Path) -> None:
    """Import approvals from a JSON-lines file (the interchange format). Bad lines are reported; the rest imported."""
    with transaction() as session, file.open("rb") as stream:
        result = approvals_.import_approvals(session=session, records=read_jsonl_numbered(stream, ApprovalRecord))
    for error in result.errors:
        console.print(f"{file}: {line_error(error)}", markup=False)
    console.print(msg("approvals.imported", added=result.added, unchanged=result.unchanged,
                      rejected=len(result.errors)))
    if result.errors:
        fail(msg("approvals.rejected", count=len(result.errors), file=file))


@approvals.command("list")
@click.option("--account", default=None)
@handle_errors
def list_(account: str | None) -> None:
    """List the approvals register."""
    with transaction() as session:
        rows = approvals_.list_approvals(session=session, account=account)
        table = Table(title=msg("approvals.list_title", count=len(rows)))
        for column in (msg("approvals.col_id"), msg("approvals.col_account"), msg("approvals.col_approved_by"),
                       msg("approvals.col_approved_at"), msg("approvals.col_valid_until"), msg("approvals.col_text")):
            table.add_column(column, overflow="fold")
        for a in rows:
            table.add_row(a.external_id, a.account_handle or "*", a.approved_by, f"{a.approved_at:%Y-%m-%d}",
                          f"{a.valid_until:%Y-%m-%d}" if a.valid_until else "-", a.text)
        out.print(table)


def register(cli: click.Group) -> None:
    cli.add_command(approvals)
