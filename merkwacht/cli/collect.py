"""`merkwacht collect`: one collection pass for opted-in accounts.

An account without an active opt-in is refused with a clear message and a non-zero exit,
before any request is made (PRIVACY.md R2).
"""

from __future__ import annotations

import click
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from merkwacht.collector.errors import describe
from merkwacht.collector.runner import RunResult, collect_account
from merkwacht.core import db
from merkwacht.core.models import Account
from merkwacht.core.repository.accounts import collectable_accounts, find_account, require_collectable
from merkwacht.core.settings import get_settings

from .context import console, handle_errors, out, platform_option
from .helptext import Command
from .messages import language, msg

STATUS_STYLE = {"ok": "green", "nothing_new": "dim", "rate_limited": "yellow", "failed": "red"}


def _run(session: object, account: Account, *, backfill: bool, recheck: bool) -> RunResult:
    if not backfill:
        return collect_account(session=session, account=account, recheck=recheck)  # type: ignore[arg-type]
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TextColumn(msg("collect.posts_done")),
               TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        task = progress.add_task(msg("collect.backfill", platform=account.platform, handle=account.handle),
                                 total=None)
        result = collect_account(session=session, account=account, backfill=True, recheck=recheck,  # type: ignore[arg-type]
                                 progress=lambda stored: progress.update(task, completed=stored))
        progress.update(task, total=max(result.new + result.updated, 1), completed=max(result.new + result.updated, 1))
        return result


def _error_text(result: RunResult) -> str:
    """The run's error for the table: its code and message in the command's language, and when to try again."""
    if not result.error_code:
        return ""
    message = result.error.text(language()) if result.error is not None else result.error_message
    error = f"{result.error_code}: {message}"
    if result.retry_after is not None:
        error += msg("collect.next_try", at=result.retry_after)
    return error


@click.command("collect", cls=Command)
@click.option("--account", "handle", default=None)
@platform_option
@click.option("--backfill", is_flag=True)
@click.option("--recheck", is_flag=True)
@handle_errors
def collect(handle: str | None, platform: str | None, backfill: bool, recheck: bool) -> None:
    """One collection pass for every opted-in account, or for one with --account."""
    settings = get_settings()
    settings.require_pseudonym_key()
    engine = db.get_engine(settings.database_url)
    results: list[RunResult] = []
    with db.session_factory(engine)() as session:
        if handle is not None:
            account = find_account(session=session, handle=handle, platform=platform)
            require_collectable(account)  # refuses before any request
            accounts = [account]
        else:
            accounts = [a for a in collectable_accounts(session=session) if platform in (None, a.platform)]
            session.commit()
        if not accounts:
            console.print(msg("collect.nothing_to_collect"))
            return
        for account in accounts:
            results.append(_run(session, account, backfill=backfill, recheck=recheck))
    table = Table(msg("collect.col_account"), msg("collect.col_platform"), msg("collect.col_status"),
                  msg("collect.col_requests"), msg("collect.col_new"), msg("collect.col_updated"),
                  msg("collect.col_deleted"), msg("collect.col_error"))
    for r in results:
        style = STATUS_STYLE.get(r.status, "")
        error = _error_text(r)
        table.add_row(f"@{r.handle}", r.platform, f"[{style}]{r.status}[/]", str(r.requests), str(r.new),
                      str(r.updated), str(r.deleted), error)
    out.print(table)
    failed = [r for r in results if r.status == "failed"]
    if failed:
        codes = sorted({r.error_code or "E_INTERNAL" for r in failed})
        hints = "; ".join(f"{code}: {describe(code, lang=language())}" for code in codes)
        console.print(msg("collect.failed", count=len(failed), hints=hints))
        raise SystemExit(1)


def register(cli: click.Group) -> None:
    cli.add_command(collect)
