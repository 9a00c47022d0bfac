"""Aggregates for the works council: totals only, small cells suppressed (PRIVACY.md R3, R10, R12).

This is the only query module the council role reaches. Every function here returns
counts over rules, months, units, platforms, statuses or roles — never over a person, a
signature, a third-party author, a reviewer, an actor or a single account — and every
table of counts goes through :func:`merkwacht.core.suppression.suppress` with the pack's
``k``, including complementary suppression so that a hidden cell cannot be recomputed from
the totals. A test (``tests/privacy/test_council_queries.py``) compiles every query this
module runs and fails if one groups by a person-level column.

``k`` comes from the pack in force (``PolicyVersion.document["k"]``, default 5) unless the
caller passes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from ..models import (
    AccessLogEntry,
    Account,
    CollectionRun,
    Finding,
    InvestigationCase,
    PolicyVersion,
    Post,
    RetentionRun,
    Review,
)
from ..periods import Period, parse_period
from ..suppression import SuppressedTable, suppress
from .roles import AGGREGATE_ROLES, Viewer, require_role

DEFAULT_K = 5
#: Finding statuses that mean a reviewer agreed the finding is real.
CONFIRMED_STATUSES = ("confirmed", "resolved", "escalated")
OUTCOME_COLUMNS = ("confirmed", "dismissed", "open")


def _period(period: Period | str) -> Period:
    return parse_period(period) if isinstance(period, str) else period


def _allowed(viewer: Viewer) -> None:
    require_role(viewer, *AGGREGATE_ROLES)


def _month(session: Session, column: Any) -> ColumnElement[str]:
    """``YYYY-MM`` of a UTC timestamp column, in the database's own dialect."""
    if session.get_bind().dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM")
    return func.strftime("%Y-%m", column)


def council_k(*, session: Session) -> int:
    """The suppression threshold of the pack in force (the most recently used policy version), else 5."""
    document = session.scalar(select(PolicyVersion.document).order_by(PolicyVersion.last_used_at.desc()).limit(1))
    try:
        k = int((document or {}).get("k", DEFAULT_K))
    except (TypeError, ValueError):
        k = DEFAULT_K
    return max(k, 2)


def _k(session: Session, k: int | None) -> int:
    return council_k(session=session) if k is None else k


def _live_findings(p: Period) -> ColumnElement[bool]:
    return and_(Finding.created_at >= p.start, Finding.created_at < p.end, Finding.superseded_at.is_(None))


def _table(
    pairs: dict[tuple[str, str], int], rows: list[str], columns: list[str], *, k: int, title: str,
    row_label: str, column_label: str, keep_columns: tuple[int, ...] = (),
) -> SuppressedTable:
    counts = [[int(pairs.get((r, c), 0)) for c in columns] for r in rows]
    return suppress(counts, k=k, title=title, row_label=row_label, column_label=column_label,
                    rows=rows, columns=columns, keep_columns=keep_columns)


def findings_per_rule_per_month(
    *, session: Session, viewer: Viewer, period: Period | str, k: int | None = None, rules: list[str] | None = None
) -> SuppressedTable:
    """Findings (not superseded) created in ``period``, per rule (rows) and month (columns)."""
    _allowed(viewer)
    p = _period(period)
    month = _month(session, Finding.created_at).label("month")
    query = select(Finding.rule, month, func.count()).where(_live_findings(p)).group_by(Finding.rule, month)
    pairs = {(rule, m): n for rule, m, n in session.execute(query)}
    row_names = sorted({r for r, _ in pairs} | set(rules or []))
    return _table(pairs, row_names, p.months(), k=_k(session, k), title="Bevindingen per regel per maand",
                  row_label="regel", column_label="maand")


def findings_per_unit(
    *, session: Session, viewer: Viewer, period: Period | str, k: int | None = None
) -> SuppressedTable:
    """Findings created in ``period`` per owning unit (rows) and rule (columns)."""
    _allowed(viewer)
    p = _period(period)
    account_id = func.coalesce(Finding.account_id, Post.account_id)
    query = (
        select(Account.unit, Finding.rule, func.count())
        .select_from(Finding)
        .outerjoin(Post, Post.id == Finding.post_id)
        .join(Account, Account.id == account_id)
        .where(_live_findings(p))
        .group_by(Account.unit, Finding.rule)
    )
    pairs = {(unit, rule): n for unit, rule, n in session.execute(query)}
    return _table(pairs, sorted({u for u, _ in pairs}), sorted({r for _, r in pairs}), k=_k(session, k),
                  title="Bevindingen per eenheid per regel", row_label="eenheid", column_label="regel")


@dataclass(frozen=True)
class ReviewOutcomes:
    """Confirmed, dismissed and open findings per rule, and the reviewers' precision per rule.

    ``precision[rule]`` is confirmed / (confirmed + dismissed), or ``None`` when either figure is
    suppressed or nothing was reviewed.
    """

    table: SuppressedTable
    precision: dict[str, float | None] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"table": self.table.as_dict(), "precision": dict(self.precision)}


def review_outcomes_per_rule(
    *, session: Session, viewer: Viewer, period: Period | str, k: int | None = None
) -> ReviewOutcomes:
    """Per rule: findings confirmed (confirmed, resolved, escalated), dismissed, still open (R11)."""
    _allowed(viewer)
    p = _period(period)
    outcome = case(
        (Finding.status.in_(CONFIRMED_STATUSES), "confirmed"),
        (Finding.status == "dismissed", "dismissed"),
        else_="open",
    ).label("outcome")
    query = select(Finding.rule, outcome, func.count()).where(_live_findings(p)).group_by(Finding.rule, outcome)
    pairs = {(rule, o): n for rule, o, n in session.execute(query)}
    rules = sorted({r for r, _ in pairs})
    table = _table(pairs, rules, list(OUTCOME_COLUMNS), k=_k(session, k), title="Beoordelingen per regel",
                   row_label="regel", column_label="uitkomst", keep_columns=(0, 1))
    precision: dict[str, float | None] = {}
    for i, rule in enumerate(rules):
        confirmed, dismissed = table.cells[i][0], table.cells[i][1]
        if confirmed.suppressed or dismissed.suppressed:
            precision[rule] = None
            continue
        reviewed = (confirmed.value or 0) + (dismissed.value or 0)
        precision[rule] = round((confirmed.value or 0) / reviewed, 3) if reviewed else None
    return ReviewOutcomes(table=table, precision=precision)


def dismissal_reasons(
    *, session: Session, viewer: Viewer, period: Period | str, k: int | None = None, limit: int = 10
) -> list[dict[str, Any]]:
    """The most frequent reasons reviewers gave for dismissing a finding, per rule; reasons given fewer
    than ``k`` times are pooled into one "other reasons (< k)" line per rule. Free-text notes are never shown."""
    _allowed(viewer)
    p = _period(period)
    kk = _k(session, k)
    reason = func.coalesce(Review.reason, "(geen reden)")
    query = (
        select(Finding.rule, reason, func.count())
        .select_from(Review)
        .join(Finding, Finding.id == Review.finding_id)
        .where(Review.disposition == "dismissed", Review.created_at >= p.start, Review.created_at < p.end)
        .group_by(Finding.rule, reason)
    )
    rows: list[dict[str, Any]] = []
    small: dict[str, int] = {}
    for rule, why, n in session.execute(query):
        if n >= kk:
            rows.append({"rule": rule, "reason": why, "count": n, "suppressed": False})
        else:
            small[rule] = small.get(rule, 0) + n
    for rule, n in small.items():
        rows.append({"rule": rule, "reason": f"overige redenen (elk < {kk})",
                     "count": n if n >= kk else None, "suppressed": n < kk})
    rows.sort(key=lambda r: (-(r["count"] or 0), r["rule"], r["reason"]))
    return rows[:limit]


def collection_coverage(*, session: Session, viewer: Viewer, period: Period | str) -> list[dict[str, Any]]:
    """Per platform: accounts registered, with an active opt-in, revoked, collected in ``period``, and the
    collection runs by outcome (ok, nothing new, rate limited, failed, refused). Counts of brand accounts and
    of runs describe the organisation's tooling, not a person, and are shown unsuppressed."""
    _allowed(viewer)
    p = _period(period)
    accounts = {
        platform: {"registered": n, "active": a, "revoked": r}
        for platform, n, a, r in session.execute(
            select(
                Account.platform,
                func.count(),
                func.sum(case((Account.status == "active", 1), else_=0)),
                func.sum(case((Account.status == "revoked", 1), else_=0)),
            ).group_by(Account.platform)
        )
    }
    in_period = and_(CollectionRun.started_at >= p.start, CollectionRun.started_at < p.end)
    runs: dict[str, dict[str, int]] = {}
    for platform, status, n in session.execute(
        select(CollectionRun.platform, CollectionRun.status, func.count()).where(in_period)
        .group_by(CollectionRun.platform, CollectionRun.status)
    ):
        runs.setdefault(platform, {})[status] = n
    collected = dict(
        session.execute(
            select(CollectionRun.platform, func.count(func.distinct(CollectionRun.account_id)))
            .where(in_period, CollectionRun.status.in_(("ok", "nothing_new")))
            .group_by(CollectionRun.platform)
        ).all()
    )
    out = []
    for platform in sorted(set(accounts) | set(runs)):
        a = accounts.get(platform, {"registered": 0, "active": 0, "revoked": 0})
        r = runs.get(platform, {})
        active = int(a["active"] or 0)
        n_collected = int(collected.get(platform, 0))
        out.append({
            "platform": platform,
            "accounts_registered": int(a["registered"] or 0),
            "accounts_active": active,
            "accounts_revoked": int(a["revoked"] or 0),
            "accounts_collected": n_collected,
            "coverage": round(min(n_collected, active) / active, 3) if active else None,
            "runs_total": sum(r.values()),
            "runs_ok": r.get("ok", 0) + r.get("nothing_new", 0),
            "runs_rate_limited": r.get("rate_limited", 0),
            "runs_failed": r.get("failed", 0),
            "runs_refused": r.get("refused", 0),
        })
    return out


def retention_runs(*, session: Session, viewer: Viewer, period: Period | str | None = None) -> list[dict[str, Any]]:
    """Purges (proof of deletion, R5): when, dry run or not, status, counts per category, what the legal hold of
    open investigation cases kept back (counts, and how many cases), periods in force. Who started a purge,
    and which cases held data, is not shown here."""
    _allowed(viewer)
    query = select(RetentionRun).order_by(RetentionRun.started_at.desc())
    if period is not None:
        p = _period(period)
        query = query.where(RetentionRun.started_at >= p.start, RetentionRun.started_at < p.end)
    return [
        {
            "id": run.id,
            "started_at": run.started_at,
            "finished_at": run.finished_at,
            "dry_run": run.dry_run,
            "status": run.status,
            "counts": dict(run.counts or {}),
            "held": dict(run.held or {}),
            "periods": dict(run.periods or {}),
            "report": run.report,
        }
        for run in session.scalars(query)
    ]


def cases_summary(*, session: Session, viewer: Viewer, period: Period | str) -> dict[str, int]:
    """How many investigation cases (R6) were opened, approved, closed and expired in ``period``; never
    their reason, scope or the people involved."""
    _allowed(viewer)
    p = _period(period)

    def count(column: Any, *extra: Any) -> int:
        return int(session.scalar(
            select(func.count()).select_from(InvestigationCase).where(column >= p.start, column < p.end, *extra)
        ) or 0)

    return {
        "opened": count(InvestigationCase.opened_at),
        "approved": count(InvestigationCase.approved_at),
        "closed": count(InvestigationCase.closed_at, InvestigationCase.status == "closed"),
        "expired": count(InvestigationCase.closed_at, InvestigationCase.status == "expired"),
    }


def access_summary(
    *, session: Session, viewer: Viewer, period: Period | str, k: int | None = None
) -> SuppressedTable:
    """Access-log entries in ``period`` per action (rows) and role (columns), never per actor (R9)."""
    _allowed(viewer)
    p = _period(period)
    query = (
        select(AccessLogEntry.action, AccessLogEntry.role, func.count())
        .where(AccessLogEntry.at >= p.start, AccessLogEntry.at < p.end)
        .group_by(AccessLogEntry.action, AccessLogEntry.role)
    )
    pairs = {(a, r): n for a, r, n in session.execute(query)}
    return _table(pairs, sorted({a for a, _ in pairs}), sorted({r for _, r in pairs}), k=_k(session, k),
                  title="Toegang per handeling en rol", row_label="handeling", column_label="rol")


def _agreed(version: PolicyVersion) -> bool:
    document = version.document or {}
    content = document.get("content_hash") or version.pack_hash
    return version.agreed_at is not None and version.agreed_hash in {content, version.pack_hash}


def _policy_row(version: PolicyVersion) -> dict[str, Any]:
    agreed = _agreed(version)
    return {
        "pack": version.pack,
        "version": version.version,
        "hash": version.pack_hash,
        "agreed_at": version.agreed_at,
        "agreed_hash": version.agreed_hash,
        "agreed": agreed,
        "status": "agreed" if agreed else "not agreed",
        "status_nl": "ingestemd" if agreed else "nog niet ingestemd",
        "first_used_at": version.first_used_at,
        "last_used_at": version.last_used_at,
    }


def policy_in_force(*, session: Session, viewer: Viewer) -> dict[str, Any] | None:
    """The policy pack analysis last ran under (R1): name, version, hash, the council's agreement date,
    and ``status`` "agreed" or "not agreed" (the pack changed since the council agreed to it)."""
    _allowed(viewer)
    version = session.scalar(select(PolicyVersion).order_by(PolicyVersion.last_used_at.desc(),
                                                             PolicyVersion.id.desc()).limit(1))
    return _policy_row(version) if version is not None else None


def pack_changes(*, session: Session, viewer: Viewer, period: Period | str | None = None) -> list[dict[str, Any]]:
    """Every policy version analysis ran under, first used in ``period`` (all when ``None``), oldest first."""
    _allowed(viewer)
    query = select(PolicyVersion).order_by(PolicyVersion.first_used_at, PolicyVersion.id)
    if period is not None:
        p = _period(period)
        query = query.where(
            or_(
                and_(PolicyVersion.first_used_at >= p.start, PolicyVersion.first_used_at < p.end),
                and_(PolicyVersion.agreed_at >= p.start, PolicyVersion.agreed_at < p.end),
            )
        )
    return [_policy_row(v) for v in session.scalars(query)]


def period_bounds(period: Period | str) -> tuple[datetime, datetime]:
    p = _period(period)
    return p.start, p.end
