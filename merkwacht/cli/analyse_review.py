"""`merkwacht findings list|review` and `merkwacht policy list|show|hash`.

A finding is a suggestion (PRIVACY.md R7): a comms lead confirms, dismisses (with a reason),
resolves, escalates or reopens it, by name, with a note; every decision is kept as a review.
The policy commands show the packs, their clauses and whether the works council agreed to
exactly this content (R1).
"""

from __future__ import annotations

import click
from rich.table import Table
from sqlalchemy import select

from merkwacht.core.errors import MerkwachtError
from merkwacht.core.models import Account, Finding
from merkwacht.core.models import Post as PostRow
from merkwacht.core.queries.roles import Viewer
from merkwacht.core.repository import reviews as reviews_

from .context import actor, console, handle_errors, out, transaction
from .helptext import Group
from .messages import msg

_DISPOSITION_FLAGS = {
    "confirm": "confirmed",
    "dismiss": "dismissed",
    "resolve": "resolved",
    "escalate": "escalated",
    "reopen": "reopened",
}

#: What is said after each decision.
_REVIEWED = {
    "confirm": "findings.reviewed_confirmed",
    "dismiss": "findings.reviewed_dismissed",
    "resolve": "findings.reviewed_resolved",
    "escalate": "findings.reviewed_escalated",
    "reopen": "findings.reviewed_reopened",
}


@click.group("findings", cls=Group)
def findings() -> None:
    """Findings of the analysis and their review (confirm, dismiss, resolve, escalate, reopen)."""


@findings.command("list")
@click.option("--status", default="open", show_default=True)
@click.option("--rule", default=None)
@click.option("--limit", default=50, show_default=True)
@handle_errors
def list_(status: str, rule: str | None, limit: int) -> None:
    """The newest findings that are still current (not superseded), with their evidence."""
    with transaction() as session:
        query = (
            select(
                Finding.id,
                Finding.rule,
                Finding.severity,
                Finding.status,
                Finding.clause,
                Finding.evidence,
                Account.handle,
                Account.platform,
                PostRow.platform_post_id,
            )
            .join(Account, Account.id == Finding.account_id, isouter=True)
            .join(PostRow, PostRow.id == Finding.post_id, isouter=True)
            .where(Finding.superseded_at.is_(None))
            .order_by(Finding.id.desc())
            .limit(limit)
        )
        if status != "all":
            query = query.where(Finding.status == status)
        if rule:
            query = query.where(Finding.rule == rule)
        rows = session.execute(query).all()
    table = Table(msg("findings.col_id"), msg("findings.col_account"), msg("findings.col_post"),
                  msg("findings.col_rule"), msg("findings.col_severity"), msg("findings.col_status"),
                  msg("findings.col_clause"), msg("findings.col_evidence"))
    for row in rows:
        evidence = (row.evidence or "")[:60]
        table.add_row(
            str(row.id),
            f"{row.platform}:@{row.handle}" if row.handle else "",
            row.platform_post_id or "",
            row.rule,
            row.severity,
            row.status,
            row.clause,
            evidence,
        )
    out.print(table)


@findings.command("review")
@click.argument("finding_ids", nargs=-1, type=int, required=True)
@click.option("--confirm", "disposition", flag_value="confirm")
@click.option("--dismiss", "disposition", flag_value="dismiss")
@click.option("--resolve", "disposition", flag_value="resolve")
@click.option("--escalate", "disposition", flag_value="escalate")
@click.option("--reopen", "disposition", flag_value="reopen")
@click.option("--reason", default=None)
@click.option("--note", default=None)
@click.option("--by", "by", default=None)
@handle_errors
def review(
    finding_ids: tuple[int, ...],
    disposition: str | None,
    reason: str | None,
    note: str | None,
    by: str | None,
) -> None:
    """Record a decision on one or more findings (several ids: the same decision for all, e.g. bulk dismiss)."""
    if disposition is None:
        raise MerkwachtError(msg("findings.no_disposition"))
    viewer = Viewer(username=actor(by), role="comms")
    with transaction() as session:
        count = reviews_.review_findings(
            session=session,
            viewer=viewer,
            finding_ids=finding_ids,
            disposition=_DISPOSITION_FLAGS[disposition],
            reason=reason,
            note=note,
        )
    console.print(msg(_REVIEWED[disposition], count=count, by=viewer.username))


@click.group("policy", cls=Group)
def policy() -> None:
    """The policy packs: clauses, rules, settings, and the works council's agreement (R1)."""


@policy.command("list")
@handle_errors
def policy_list() -> None:
    """The packs that can be used, with version, hash and agreement."""
    from merkwacht.analysis.packs import available_packs, load_pack

    table = Table(msg("policy.col_pack"), msg("policy.col_version"), msg("policy.col_clauses"),
                  msg("policy.col_rules"), msg("policy.col_hash"), msg("policy.col_council"))
    for name in available_packs():
        pack = load_pack(name)
        agreed = msg("policy.agreed_on", at=pack.agreed_at) if pack.agreed else msg("policy.not_agreed")
        table.add_row(
            name, pack.version, str(len(pack.clauses)), str(len(pack.enabled_rules)), pack.hash[:12], agreed
        )
    out.print(table)


@policy.command("show")
@click.argument("name")
@handle_errors
def policy_show(name: str) -> None:
    """A pack clause by clause, with the rules that enforce each clause."""
    from merkwacht.analysis.packs import load_pack

    pack = load_pack(name)
    out.print(f"[bold]{pack.data.title}[/] ({pack.name} {pack.version}, sha256 {pack.hash})")
    agreed = msg("policy.agreed_on", at=pack.agreed_at) if pack.agreed else msg("policy.not_agreed")
    out.print(msg("policy.council_line", agreed=agreed, k=pack.k, retention=pack.retention))
    enforced: dict[str, list[str]] = {}
    for rule_id in pack.enabled_rules:
        for clause_id in pack.rule_clauses(rule_id):
            enforced.setdefault(clause_id, []).append(rule_id)
    for clause in pack.clauses.values():
        rules = ", ".join(enforced.get(clause.id, [])) or msg("policy.not_checked")
        out.print(f"\n[bold]{clause.id}[/] - {clause.title}  [dim]({rules})[/]")
        out.print(f"  \u201c{clause.text}\u201d")
        out.print(f"  [italic]{msg('policy.purpose')}[/] {clause.purpose}")


@policy.command("hash")
@click.argument("name")
@handle_errors
def policy_hash(name: str) -> None:
    """The content hash to record as council.agreed_hash when the works council agrees to this content."""
    from merkwacht.analysis.packs import load_pack

    out.print(load_pack(name).content_hash)


def register(cli: click.Group) -> None:
    cli.add_command(findings)
    cli.add_command(policy)
