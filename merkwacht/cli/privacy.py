"""Privacy commands: purge, inzage, accesslog verify, report, register, cases, pseudonyms.

Every command is recorded in the access log (PRIVACY.md R9) with the actor from ``--by``
or the operating-system user, role ``operator`` and channel ``cli``.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from rich.table import Table
from sqlalchemy import select

from merkwacht.core import db
from merkwacht.core.accesslog import log_access, verify_chain
from merkwacht.core.errors import MerkwachtError, Refused
from merkwacht.core.models import PolicyVersion
from merkwacht.core.settings import get_settings

from .context import actor, console, handle_errors, out, platform_option, transaction
from .helptext import Command, Group
from .messages import language, msg

ROLE = "operator"
by_option = click.option("--by", default=None)


def _pack_document(session: Any) -> tuple[dict[str, Any], str]:
    """The policy pack in force as a plain dict, and where it came from."""
    name = get_settings().policy
    try:
        from merkwacht.analysis.packs import load_pack

        return load_pack(name).to_document(), msg("privacy.source_pack", name=name)
    except (ImportError, MerkwachtError) as exc:
        document = session.scalar(select(PolicyVersion.document).order_by(PolicyVersion.last_used_at.desc()).limit(1))
        if document:
            return dict(document), msg("privacy.source_database", name=name, error=exc)
        return {}, msg("privacy.source_defaults", name=name, error=exc)


# --- purge -------------------------------------------------------------------------------------

@click.command("purge", cls=Command)
@click.option("--dry-run", is_flag=True)
@click.option("--batch-size", default=500, show_default=True)
@by_option
@handle_errors
def purge_cmd(dry_run: bool, batch_size: int, by: str | None) -> None:
    """Delete what is past its retention period, with a deletion report (R5).

    Periods come from the policy pack in force (retention_days); a revoked opt-in makes that
    account's data due at once. What an approved, open investigation case covers (posts, findings,
    reviews) is kept until the case closes or expires (legal hold); the report counts what was held.
    """
    from merkwacht.core.retention import purge

    engine = db.get_engine(get_settings().database_url)
    with transaction() as session:
        document, source = _pack_document(session)
    periods = document.get("retention_days") or None
    with db.session_factory(engine)() as session:
        try:
            run = purge(session=session, triggered_by=actor(by), periods=periods, dry_run=dry_run,
                        batch_size=batch_size, role=ROLE, channel="cli")
        except BaseException:
            session.rollback()
            raise
    console.print(msg("privacy.retention_from", source=source))
    out.print(run.report, highlight=False, markup=False)
    console.print(msg("privacy.retention_recorded", id=run.id))


def daily_privacy_job() -> dict[str, Any]:
    """The scheduler's daily job (``merkwacht.cli.privacy:daily_privacy_job``, id ``purge:daily``): close expired
    investigation cases and purge what is past its retention period. Returns the counts (for the log)."""
    from merkwacht.core.cases import expire_cases
    from merkwacht.core.retention import purge

    engine = db.get_engine(get_settings().database_url)
    with transaction() as session:
        document, _source = _pack_document(session)
        expired = expire_cases(session=session, channel="scheduler")
    with db.session_factory(engine)() as session:
        try:
            run = purge(session=session, triggered_by="scheduler", periods=document.get("retention_days") or None,
                        role="system", channel="scheduler")
        except BaseException:
            session.rollback()
            raise
        return {"retention_run": run.id, "counts": dict(run.counts), "cases_expired": len(expired)}


def previous_quarter(today: datetime) -> str:
    """The last complete quarter before ``today``, as ``2026Q3``."""
    quarter = (today.month - 1) // 3  # 0..3: the current quarter's index
    return f"{today.year - 1}Q4" if quarter == 0 else f"{today.year}Q{quarter}"


def periodic_report_job() -> dict[str, Any]:
    """The scheduler's daily check (id ``report:quarterly``): once a quarter is over, write its evaluation report
    (R11) as Markdown, HTML and PDF into ``report_dir``. A report already written is left alone."""
    from merkwacht.core.reporting import build_evaluation, render_html, render_markdown, render_pdf

    settings = get_settings()
    period = previous_quarter(datetime.now(UTC))
    folder = Path(settings.report_dir)
    target = folder / f"merkwacht-evaluatie-{period}"
    if target.with_suffix(".pdf").exists():
        return {"period": period, "written": False}
    folder.mkdir(parents=True, exist_ok=True)
    with transaction() as session:
        evaluation = build_evaluation(session=session, period=period)
        target.with_suffix(".md").write_text(render_markdown(evaluation, lang=settings.language), encoding="utf-8")
        target.with_suffix(".html").write_text(render_html(evaluation, lang=settings.language), encoding="utf-8")
        target.with_suffix(".pdf").write_bytes(render_pdf(evaluation, lang=settings.language))
        log_access(session=session, actor="scheduler", role="system", action="report",
                   target=f"evaluation:{period}", channel="scheduler", details={"folder": str(folder)})
    return {"period": period, "written": True}


#: The scheduler's report job (``JobSpec(**PERIODIC_REPORT_JOB)``).
PERIODIC_REPORT_JOB = {"id": "report:quarterly", "func": "merkwacht.cli.privacy:periodic_report_job",
                       "minutes": 24 * 60, "name": "quarterly evaluation report"}

#: The job the scheduler holds for it (``JobSpec(**DAILY_PRIVACY_JOB)``).
DAILY_PRIVACY_JOB = {"id": "purge:daily", "func": "merkwacht.cli.privacy:daily_privacy_job", "minutes": 24 * 60,
                     "name": "daily retention purge and case expiry"}


# --- inzage ------------------------------------------------------------------------------------

@click.command("inzage", cls=Command)
@click.option("--subject", required=True)
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
              show_default=True)
@click.option("--kind", type=click.Choice(["account", "third_party", "signature", "user"]), default=None)
@click.option("--previous-key-env", "previous_env", multiple=True, metavar="NAME")
@platform_option
@by_option
@handle_errors
def inzage_cmd(subject: str, out_dir: Path, kind: str | None, previous_env: tuple[str, ...], platform: str | None,
               by: str | None) -> None:
    """Export everything held about a subject: JSON plus a readable HTML summary (R8)."""
    from merkwacht.core.inzage import export

    key = get_settings().require_pseudonym_key()
    previous = [_key_from_env(name) for name in previous_env]
    with transaction() as session:
        result = export(session=session, subject=subject, out_dir=out_dir, actor=actor(by), key=key, role=ROLE,
                        kind=kind, platform=platform, previous_keys=previous)
    summary = ", ".join(f"{n} {k}" for k, n in result.counts.items())
    console.print(msg("privacy.inzage_written", folder=result.folder, summary=summary))
    out.print(str(result.folder), markup=False, highlight=False)


# --- access log --------------------------------------------------------------------------------

@click.group("accesslog", cls=Group)
def accesslog() -> None:
    """The append-only access log with its hash chain (R9)."""


@accesslog.command("verify")
@click.option("--expected-head", default=None)
@click.option("--json", "as_json", is_flag=True)
@by_option
@handle_errors
def verify_cmd(expected_head: str | None, as_json: bool, by: str | None) -> None:
    """Check the hash chain; name the first broken row. Exit status 5 when the chain is broken."""
    with transaction() as session:
        report = verify_chain(session=session, expected_head=expected_head)
        log_access(session=session, actor=actor(by), role=ROLE, action="accesslog_verify", channel="cli",
                   details={"ok": report.ok, "rows_checked": report.rows_checked, "broken_id": report.broken_id})
    if as_json:
        out.print_json(json.dumps(report.as_dict()))
    for note in report.notes:
        console.print(note, markup=False)
    if report.ok:
        console.print(msg("privacy.chain_ok", message=report.message, head=report.head_hash), markup=False)
        return
    console.print(msg("privacy.chain_broken", id=report.broken_id, problem=report.problem), end="")
    console.print(report.message, markup=False)
    sys.exit(5)


# --- report and register -----------------------------------------------------------------------

@click.command("report", cls=Command)
@click.option("--period", required=True)
@click.option("--format", "fmt", type=click.Choice(["md", "html", "pdf"]), default="md", show_default=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@click.option("--lang", type=click.Choice(["nl", "en"]), default=None)
@by_option
@handle_errors
def report_cmd(period: str, fmt: str, out_path: Path | None, lang: str | None, by: str | None) -> None:
    """The periodic evaluation report (R11): aggregates only, small cells suppressed."""
    from merkwacht.core.reporting import build_evaluation, render_html, render_markdown, render_pdf

    report_lang = lang or language()
    with transaction() as session:
        evaluation = build_evaluation(session=session, period=period)
        if fmt == "pdf":
            content: str | bytes = render_pdf(evaluation, lang=report_lang)
            out_path = out_path or Path(f"merkwacht-evaluatie-{evaluation.period.label}.pdf")
        elif fmt == "html":
            content = render_html(evaluation, lang=report_lang)
        else:
            content = render_markdown(evaluation, lang=report_lang)
        log_access(session=session, actor=actor(by), role=ROLE, action="report", target=f"evaluation:{period}",
                   channel="cli", details={"format": fmt})
    _write(content, out_path)


def _write(content: str | bytes, out_path: Path | None) -> None:
    if out_path is None:
        assert isinstance(content, str)
        click.echo(content, nl=False)
        return
    try:
        if isinstance(content, bytes):
            out_path.write_bytes(content)
        else:
            out_path.write_text(content, encoding="utf-8")
    except OSError as exc:
        raise MerkwachtError(msg("privacy.cannot_write", path=out_path, reason=exc.strerror)) from None
    console.print(msg("privacy.written", path=out_path))


@click.command("register", cls=Command)
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), default="md", show_default=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None)
@by_option
@handle_errors
def register_cmd(fmt: str, out_path: Path | None, by: str | None) -> None:
    """The processing register (R14): purposes, data, sources, retention, recipients, roles, rules in force."""
    from merkwacht.core.reporting import build_register, render_register_html, render_register_markdown

    with transaction() as session:
        document, source = _pack_document(session)
        reg = build_register(session=session, settings=get_settings(), pack_document=document)
        content = render_register_html(reg) if fmt == "html" else render_register_markdown(reg)
        log_access(session=session, actor=actor(by), role=ROLE, action="register", target="register",
                   channel="cli", details={"format": fmt})
    loaded = source == msg("privacy.source_pack", name=get_settings().policy)  # else: a fallback, say so
    if not document.get("rules") or not loaded:
        console.print(msg("privacy.pack_from", source=source))
    _write(content, out_path)


# --- investigation cases -----------------------------------------------------------------------

@click.group("cases", cls=Group)
def cases() -> None:
    """Investigation cases (R6): the only way to list findings per signature."""


def _log_refusal(case_id: int, by: str | None, message: str) -> None:
    """A refused attempt is logged too, in a transaction of its own (the refused one was rolled back)."""
    with transaction() as session:
        log_access(session=session, actor=actor(by), role=ROLE, action="case_refused", target=f"case:{case_id}",
                   channel="cli", details={"message": message[:300]})


@cases.command("open")
@click.option("--reason", required=True)
@click.option("--signature", default=None)
@click.option("--account", default=None)
@click.option("--days", default=14, show_default=True)
@platform_option
@by_option
@handle_errors
def case_open(reason: str, signature: str | None, account: str | None, days: int, platform: str | None,
              by: str | None) -> None:
    """Request a case. It gives access only after a second person approves it."""
    from merkwacht.core.cases import open_case
    from merkwacht.core.repository.accounts import find_account

    key = get_settings().require_pseudonym_key()
    with transaction() as session:
        account_id = find_account(session=session, handle=account, platform=platform).id if account else None
        case = open_case(session=session, reason=reason, requested_by=actor(by), key=key, scope_account_id=account_id,
                         scope_signature=signature, days=days, role=ROLE)
        console.print(msg("privacy.case_requested", id=case.id, by=case.requested_by, expires=case.expires_at))


@cases.command("approve")
@click.argument("case_id", type=int)
@by_option
@handle_errors
def case_approve(case_id: int, by: str | None) -> None:
    """Approve a case (the approver must not be its requester)."""
    from merkwacht.core.cases import approve_case

    try:
        with transaction() as session:
            case = approve_case(session=session, case_id=case_id, approver=actor(by), role=ROLE)
    except Refused as exc:
        _log_refusal(case_id, by, str(exc))
        raise
    console.print(msg("privacy.case_approved", id=case.id, by=case.approved_by, expires=case.expires_at))


@cases.command("close")
@click.argument("case_id", type=int)
@click.option("--reason", default="")
@by_option
@handle_errors
def case_close(case_id: int, reason: str, by: str | None) -> None:
    """Close a case before it expires."""
    from merkwacht.core.cases import close_case

    with transaction() as session:
        case = close_case(session=session, case_id=case_id, by=actor(by), reason=reason, role=ROLE)
        console.print(msg("privacy.case_closed", id=case.id))


@cases.command("list")
@by_option
@handle_errors
def case_list(by: str | None) -> None:
    """Every case with its status (expired cases are closed first)."""
    from merkwacht.core.cases import list_cases

    with transaction() as session:
        rows = list_cases(session=session)
        log_access(session=session, actor=actor(by), role=ROLE, action="case_list", channel="cli")
    table = Table(msg("privacy.col_id"), msg("privacy.col_status"), msg("privacy.col_requested_by"),
                  msg("privacy.col_approved_by"), msg("privacy.col_opened"), msg("privacy.col_expires"),
                  msg("privacy.col_scope"), msg("privacy.col_reason"))
    for r in rows:
        scope = " ".join(x for x in (f"account:{r['scope_account_id']}" if r["scope_account_id"] else "",
                                     r["scope_signature"] or "") if x)
        table.add_row(str(r["id"]), r["status"], r["requested_by"], r["approved_by"] or "—",
                      f"{r['opened_at']:%Y-%m-%d}", f"{r['expires_at']:%Y-%m-%d}", scope, r["reason"])
    out.print(table)


@cases.command("findings")
@click.argument("case_id", type=int)
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl"]), default="table", show_default=True)
@by_option
@handle_errors
def case_findings(case_id: int, fmt: str, by: str | None) -> None:
    """Findings per signature inside an open, approved, unexpired case (the use is logged)."""
    from merkwacht.core.cases import findings_for_signature

    try:
        with transaction() as session:
            rows = findings_for_signature(session=session, case_id=case_id, actor=actor(by), role=ROLE)
    except Refused as exc:
        _log_refusal(case_id, by, str(exc))
        raise
    if fmt == "jsonl":
        for row in rows:
            click.echo(json.dumps(row, default=str, ensure_ascii=False))
        return
    table = Table(msg("privacy.col_finding"), msg("privacy.col_posted"), msg("privacy.col_account"),
                  msg("privacy.col_rule"), msg("privacy.col_severity"), msg("privacy.col_status"),
                  msg("privacy.col_evidence"))
    for r in rows:
        table.add_row(str(r["finding_id"]), f"{r['post_created_at']:%Y-%m-%d}", r["account"], r["rule"],
                      r["severity"], r["status"], r["evidence"] or "")
    out.print(table)
    console.print(msg("privacy.case_findings", count=len(rows), id=case_id))


# --- pseudonym key rotation --------------------------------------------------------------------

def _key_from_env(name: str) -> bytes:
    value = os.environ.get(name)
    if not value:
        raise MerkwachtError(msg("privacy.key_env_unset", name=name))
    if len(value) < 16:
        raise MerkwachtError(msg("privacy.key_too_short", name=name))
    return value.encode("utf-8")


@click.group("pseudonyms", cls=Group)
def pseudonyms() -> None:
    """The pseudonymisation key (MERKWACHT_PSEUDONYM_KEY): status and rotation (R4)."""


@pseudonyms.command("status")
@handle_errors
def pseudonyms_status() -> None:
    """Whether the configured key is the one recorded as in use (by fingerprint; the key is never shown)."""
    from merkwacht.core.keyrotation import key_fingerprint, key_status

    key = get_settings().require_pseudonym_key()
    with transaction() as session:
        status = key_status(session=session, key=key)
    console.print(msg("privacy.key_status", fingerprint=key_fingerprint(key), status=status))
    if status in ("unknown", "retired"):
        console.print(msg("privacy.key_not_in_use"))
        sys.exit(6)


@pseudonyms.command("rotate")
@click.option("--old-key-env", required=True, metavar="NAME")
@by_option
@handle_errors
def pseudonyms_rotate(old_key_env: str, by: str | None) -> None:
    """Switch to the new key in MERKWACHT_PSEUDONYM_KEY. Stored pseudonyms are not rewritten (see docs/privacy.md)."""
    from merkwacht.core.keyrotation import rotate

    new_key = get_settings().require_pseudonym_key()
    old_key = _key_from_env(old_key_env)
    with transaction() as session:
        document, _source = _pack_document(session)
        report = rotate(session=session, old_key=old_key, new_key=new_key, by=actor(by),
                        periods=document.get("retention_days") or None, role=ROLE)
    console.print(msg("privacy.rotated", old=report.old_fingerprint, new=report.new_fingerprint, at=report.at))
    console.print(
        msg("privacy.rotated_third_party", count=report.third_party_pseudonyms, gone_by=report.third_party_gone_by)
        if report.third_party_gone_by else msg("privacy.rotated_no_third_party"))
    if report.signatures_gone_by:
        console.print(msg("privacy.rotated_signatures", count=report.signature_pseudonyms,
                          gone_by=report.signatures_gone_by))
    if report.open_cases:
        console.print(msg("privacy.rotated_open_cases", count=report.open_cases))
    console.print(msg("privacy.rotated_keep_old", name=old_key_env))


def register(cli: click.Group) -> None:
    cli.add_command(purge_cmd)
    cli.add_command(inzage_cmd)
    cli.add_command(accesslog)
    cli.add_command(report_cmd)
    cli.add_command(register_cmd)
    cli.add_command(cases)
    cli.add_command(pseudonyms)
