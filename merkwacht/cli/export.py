"""`merkwacht export posts|findings`: stored data in the interchange format (JSON lines or CSV)."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path

import click

from merkwacht.core import interchange
from merkwacht.core.queries import export as export_q
from merkwacht.core.repository import accounts as register_

from .context import actor, console, handle_errors, transaction
from .helptext import Command
from .messages import msg


@click.command("export", cls=Command)
@click.argument("what", type=click.Choice(["posts", "findings"]))
@click.option("--account", default=None)
@click.option("--platform", default=None)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--language", type=click.Choice(["nl", "en"]), default="nl", show_default=True)
@click.option("--by", default=None)
@handle_errors
def export(what: str, account: str | None, platform: str | None, fmt: str, out_path: Path | None,
           language: str, by: str | None) -> None:
    """Export stored posts or findings (post-level data: for comms and admin only)."""
    with transaction() as session:
        account_id = None
        if account:
            account_id = register_.find_account(session=session, handle=account, platform=platform).id
        if what == "posts":
            records = export_q.iter_posts(session=session, account_id=account_id)
            columns = interchange.POST_CSV_COLUMNS
        else:
            records = export_q.iter_findings(session=session, account_id=account_id, language=language)
            columns = interchange.FINDING_CSV_COLUMNS
        target = out_path.open("w", encoding="utf-8", newline="") if out_path else nullcontext(sys.stdout)
        with target as stream:
            if fmt == "jsonl":
                count = interchange.write_jsonl(stream, records)
            else:
                count = interchange.write_csv(stream, records, columns=columns)
        _log_export(session, who=actor(by), what=what, fmt=fmt, account=account, count=count)
    if out_path:
        console.print(msg("export.written_to", count=count, what=what, path=out_path))
    else:
        console.print(msg("export.written", count=count, what=what))


def _log_export(session, *, who: str, what: str, fmt: str, account: str | None, count: int) -> None:  # noqa: ANN001
    """Every export is written to the access log (PRIVACY.md R9)."""
    try:
        from merkwacht.core.accesslog import log_access
    except ImportError:  # the access log arrives with the privacy work
        return
    log_access(session=session, actor=who, role="operator", action="export", target=f"{what}:{account or '*'}",
               channel="cli", details={"format": fmt, "rows": count})


def register(cli: click.Group) -> None:
    cli.add_command(export)
