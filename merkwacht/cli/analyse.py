"""`merkwacht analyse` (database or file mode), `merkwacht policy ...` and `merkwacht findings review ...`.

File mode reads posts as JSON lines and writes findings as JSON lines on stdout (DESIGN.md).
A malformed line is reported on stderr with its line number and field; every good line is
still analysed, and the exit status is then 1 (``EXIT_REJECTED``), so nothing goes unnoticed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import IO

import click

from merkwacht.core.interchange import LineError, read_approvals, read_posts
from merkwacht.core.post import Approval, Post

from .context import console, fail, handle_errors, transaction
from .gcpolicy import long_run
from .messages import line_error, msg

#: Exit status of file mode when input lines were rejected (the good lines were still analysed).
EXIT_REJECTED = 1
#: Findings written to standard output at once (file mode).
OUTPUT_BATCH = 256
#: Exit status of file mode when a rule raised on some post (the other rules and posts were analysed).
EXIT_RULE_ERRORS = 3


def _open(path: str) -> IO[bytes]:
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")
    except OSError as exc:
        fail(msg("analyse.cannot_read", path=path, reason=exc.strerror), code=2)
        raise  # unreachable


def _report(source: str, error: LineError) -> None:
    sys.stderr.write(f"merkwacht: {source} {line_error(error)}\n")


def _good(records: Iterator[Post | Approval | LineError], source: str, rejected: list[int]) -> Iterator:
    for record in records:
        if isinstance(record, LineError):
            _report(source, record)
            rejected.append(record.line)
            continue
        yield record


def _file_mode(posts_path: str, approvals_path: str | None, policy: str | None, lang: str) -> int:
    from merkwacht.analysis.engine import AnalysisPlan, PostAnalyser, analyse_posts
    from merkwacht.analysis.packs import load_pack

    from .finding_lines import FindingLines

    pack = load_pack(policy or "generic")
    rejected: list[int] = []
    approvals: list[Approval] = []
    if approvals_path:
        with _open(approvals_path) as fh:
            approvals = list(_good(read_approvals(fh), approvals_path, rejected))
    analyser = PostAnalyser(AnalysisPlan(pack), approvals=approvals)
    stream = _open(posts_path)
    encode = FindingLines(lang=lang).line
    pending: list[str] = []  # findings are written a few hundred at a time: fewer, larger writes to a pipe
    try:
        posts = _good(read_posts(stream), posts_path, rejected)
        for finding in analyse_posts(posts, pack=pack, analyser=analyser):
            pending.append(encode(finding))
            if len(pending) >= OUTPUT_BATCH:
                sys.stdout.write("\n".join(pending) + "\n")
                pending.clear()
    finally:
        if pending:  # also after a failure: what was found is not lost
            sys.stdout.write("\n".join(pending) + "\n")
        if stream is not sys.stdin.buffer:
            stream.close()
    sys.stdout.flush()
    status = 0
    if analyser.errors:
        sys.stderr.write(f"merkwacht: {msg('analyse.rule_failed', count=analyser.errors)}\n")
        status = EXIT_RULE_ERRORS
    if rejected:
        sys.stderr.write(f"merkwacht: {msg('analyse.lines_rejected', count=len(rejected))}\n")
        status = EXIT_REJECTED
    return status


def _database_mode(policy: str | None, batch_size: int) -> None:
    from merkwacht.analysis.database import analyse_database
    from merkwacht.analysis.packs import load_pack
    from merkwacht.core.settings import get_settings

    pack = load_pack(policy or get_settings().policy)
    with transaction() as session:
        summary = analyse_database(session=session, pack=pack, batch_size=batch_size)
    agreed = msg("analyse.agreed") if pack.agreed else msg("analyse.not_agreed")
    console.print(msg("analyse.pack", name=pack.name, version=pack.version, hash=pack.hash[:12], agreed=agreed))
    text = msg("analyse.summary", posts=summary.posts_analysed, batches=summary.batches,
               added=summary.findings_added, kept=summary.findings_kept, superseded=summary.findings_superseded,
               account_added=summary.account_findings_added,
               account_superseded=summary.account_findings_superseded)
    if summary.rule_errors:
        text += " " + msg("analyse.summary_rule_errors", count=summary.rule_errors)
    console.print(text)


def register(cli: click.Group) -> None:
    @cli.command("analyse")
    @click.option("--posts", "posts_path", default=None)
    @click.option("--approvals", "approvals_path", default=None)
    @click.option("--policy", default=None)
    @click.option(
        "--lang",
        type=click.Choice(["nl", "en"]),
        default="nl",
        show_default=True,
    )
    @click.option("--batch-size", default=500, show_default=True)
    @handle_errors
    def analyse(
        posts_path: str | None, approvals_path: str | None, policy: str | None, lang: str, batch_size: int
    ) -> None:
        """Analyse what is new or changed in the database, or (with --posts) a file of posts.

        File mode writes one finding a line on stdout; a malformed input line is reported on
        stderr with its line number and field, the rest is analysed, and the exit status is 1.
        """
        if posts_path is None:
            if approvals_path:
                fail(msg("analyse.approvals_need_posts"), code=2)
            with long_run():
                _database_mode(policy, batch_size)
            return
        with long_run():
            status = _file_mode(posts_path, approvals_path, policy, lang)
        sys.exit(status)
    # `merkwacht findings ...` and `merkwacht policy ...` live in analyse_review (its own entry in
    # COMMAND_MODULES), so `merkwacht analyse --posts` does not import the database models.


__all__ = ["EXIT_REJECTED", "register"]
