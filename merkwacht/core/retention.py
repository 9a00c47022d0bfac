"""The retention purge: delete what is past its period, in batches, with proof of deletion (PRIVACY.md R5).

Data categories and what "past its period" means (``now`` minus the period in days):

============== ===================================================== ==========================
category       what is removed                                       age measured by
============== ===================================================== ==========================
findings       findings (with their reviews)                         ``Finding.created_at``
reviews        reviews                                               ``Review.created_at``
third_party_   the text and author pseudonym of the post a brand     ``Post.created_at``
text           reply answers (``in_reply_to_text`` set to NULL,
               ``context_purged_at`` set)
own_posts      the brand account's own posts, their earlier          ``Post.created_at``
               versions, and findings and reviews about them
access_log     access-log rows, oldest first (see below)             ``AccessLogEntry.at``
============== ===================================================== ==========================

A revoked opt-in makes every post, finding and review of that account due at once, whatever
its age (consent is the basis for monitoring; without it nothing collected is kept). The
account row and its opt-in history stay: they are the register.

The periods arrive as an argument (``{category: days}``) because they live in the policy pack
(``analysis``), which ``core`` does not import; :data:`DEFAULT_PERIODS` applies to any category
not given. ``now`` can be injected, so tests freeze time.

Transactions. :func:`purge` works in batches of ``batch_size`` rows and commits after every
batch (``session.commit()``), so a large purge never holds long locks and an interruption
keeps what was done; the :class:`RetentionRun` row is written first (status ``running``) and
finished last with the counts. The access log is the exception: its purge (delete the oldest
rows, record an :class:`~merkwacht.core.models.AccessLogAnchor`, append a chained
``retention_anchor`` entry) is one transaction, so the chain is never left without its anchor.
If the chain does not verify before the purge, the access log is not purged (the evidence of
tampering is kept) and the report says so.

The deletion report states periods, cut-off dates and counts per category; it never names a
person, a signature, an account handle or a post.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from .accesslog import lock_for_append, log_access, verify_chain
from .errors import MerkwachtError
from .models import (
    AccessLogAnchor,
    AccessLogEntry,
    Account,
    Finding,
    OptIn,
    Post,
    PostVersion,
    RetentionRun,
    Review,
    utcnow,
)

CATEGORIES = ("findings", "reviews", "third_party_text", "own_posts", "access_log")
#: Days; PRIVACY.md R5 (6 months for monitoring data, own posts 24 months, access log 12 months).
DEFAULT_PERIODS: dict[str, int] = {
    "findings": 183,
    "reviews": 183,
    "third_party_text": 183,
    "own_posts": 730,
    "access_log": 365,
}
#: Counted in a run's ``counts`` besides the categories.
EXTRA_COUNTS = ("post_versions", "revoked_accounts")

_LABELS_NL = {
    "findings": "bevindingen",
    "reviews": "beoordelingen",
    "third_party_text": "teksten van derden (context van antwoorden)",
    "own_posts": "eigen berichten van merkaccounts",
    "post_versions": "eerdere versies van berichten",
    "access_log": "regels van het toegangslogboek",
    "revoked_accounts": "accounts met ingetrokken toestemming",
}


def resolve_periods(periods: dict[str, int] | None) -> dict[str, int]:
    """The periods in force: ``periods`` over :data:`DEFAULT_PERIODS`; unknown categories or non-positive days refused."""
    merged = dict(DEFAULT_PERIODS)
    for category, days in (periods or {}).items():
        if category not in DEFAULT_PERIODS:
            raise MerkwachtError(code="retention.unknown_category", category=category, known=", ".join(CATEGORIES))
        try:
            value = int(days)
        except (TypeError, ValueError):
            raise MerkwachtError(code="retention.not_a_number", category=category, days=days) from None
        if value < 1:
            raise MerkwachtError(code="retention.too_short", category=category, days=value)
        merged[category] = value
    return merged


@dataclass
class PurgePlan:
    """What is due at ``now``: cut-off per category and the revoked accounts (by id, never by name)."""

    now: datetime
    periods: dict[str, int]
    cutoffs: dict[str, datetime]
    revoked_account_ids: list[int] = field(default_factory=list)


def plan(*, session: Session, periods: dict[str, int] | None = None, now: datetime | None = None) -> PurgePlan:
    now = (now or utcnow()).astimezone(UTC)
    resolved = resolve_periods(periods)
    cutoffs = {c: now - timedelta(days=d) for c, d in resolved.items()}
    return PurgePlan(now=now, periods=resolved, cutoffs=cutoffs, revoked_account_ids=revoked_accounts(session=session, now=now))


def revoked_accounts(*, session: Session, now: datetime) -> list[int]:
    """Ids of accounts whose opt-in was revoked (at or before ``now``) and that have no active opt-in."""
    active = select(OptIn.account_id).where(OptIn.revoked_at.is_(None))
    revoked = select(OptIn.account_id).where(OptIn.revoked_at.is_not(None), OptIn.revoked_at <= now)
    query = select(Account.id).where(Account.id.in_(revoked), Account.id.not_in(active)).order_by(Account.id)
    return list(session.scalars(query))


# --- what is due, per category ------------------------------------------------------------------

def _revoked_posts(p: PurgePlan) -> ColumnElement[bool]:
    return Post.account_id.in_(p.revoked_account_ids)


def _due_posts(p: PurgePlan) -> ColumnElement[bool]:
    return (Post.created_at < p.cutoffs["own_posts"]) | _revoked_posts(p)


def _due_findings(p: PurgePlan) -> ColumnElement[bool]:
    revoked = Finding.account_id.in_(p.revoked_account_ids) | Finding.post_id.in_(
        select(Post.id).where(_revoked_posts(p))
    )
    return (Finding.created_at < p.cutoffs["findings"]) | revoked


def _due_reviews(p: PurgePlan) -> ColumnElement[bool]:
    return (Review.created_at < p.cutoffs["reviews"]) | Review.finding_id.in_(select(Finding.id).where(_due_findings(p)))


def _due_context(p: PurgePlan) -> ColumnElement[bool]:
    has_context = Post.in_reply_to_text.is_not(None) | Post.in_reply_to_author.is_not(None)
    return has_context & (Post.created_at < p.cutoffs["third_party_text"])


def _count(session: Session, model: Any, condition: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(condition)) or 0)


def due_counts(*, session: Session, plan_: PurgePlan) -> dict[str, int]:
    """How many rows of each category are due (what a dry run reports). Rows that go along with a due post
    (its findings, their reviews, its versions) are counted in their own categories."""
    p = plan_
    posts_due = select(Post.id).where(_due_posts(p))
    findings_due = _due_findings(p) | Finding.post_id.in_(posts_due)
    reviews_due = _due_reviews(p) | Review.finding_id.in_(select(Finding.id).where(findings_due))
    return {
        "findings": _count(session, Finding, findings_due),
        "reviews": _count(session, Review, reviews_due),
        "third_party_text": _count(session, Post, _due_context(p) & ~_due_posts(p)),
        "own_posts": _count(session, Post, _due_posts(p)),
        "post_versions": _count(session, PostVersion, PostVersion.post_id.in_(posts_due)),
        "access_log": _access_log_prefix(session, p.cutoffs["access_log"])[1],
        "revoked_accounts": len(p.revoked_account_ids),
    }


# --- deleting, in batches -----------------------------------------------------------------------

def _delete_batches(session: Session, model: Any, condition: ColumnElement[bool], batch_size: int,
                    commit: bool) -> int:
    total = 0
    while True:
        ids = list(session.scalars(select(model.id).where(condition).order_by(model.id).limit(batch_size)))
        if not ids:
            return total
        session.execute(delete(model).where(model.id.in_(ids)).execution_options(synchronize_session=False))
        total += len(ids)
        if commit:
            session.commit()


def _purge_posts(session: Session, p: PurgePlan, batch_size: int, commit: bool, counts: dict[str, int]) -> None:
    """Due posts with everything that hangs on them, a batch of posts per transaction."""
    while True:
        ids = list(session.scalars(select(Post.id).where(_due_posts(p)).order_by(Post.id).limit(batch_size)))
        if not ids:
            return
        finding_ids = select(Finding.id).where(Finding.post_id.in_(ids))
        counts["reviews"] += session.execute(
            delete(Review).where(Review.finding_id.in_(finding_ids)).execution_options(synchronize_session=False)
        ).rowcount
        counts["findings"] += session.execute(
            delete(Finding).where(Finding.post_id.in_(ids)).execution_options(synchronize_session=False)
        ).rowcount
        counts["post_versions"] += session.execute(
            delete(PostVersion).where(PostVersion.post_id.in_(ids)).execution_options(synchronize_session=False)
        ).rowcount
        counts["own_posts"] += session.execute(
            delete(Post).where(Post.id.in_(ids)).execution_options(synchronize_session=False)
        ).rowcount
        if commit:
            session.commit()


def _purge_context(session: Session, p: PurgePlan, batch_size: int, commit: bool) -> int:
    total = 0
    while True:
        ids = list(session.scalars(select(Post.id).where(_due_context(p)).order_by(Post.id).limit(batch_size)))
        if not ids:
            return total
        session.execute(
            update(Post).where(Post.id.in_(ids))
            .values(in_reply_to_text=None, in_reply_to_author=None, context_purged_at=p.now)
            .execution_options(synchronize_session=False)
        )
        total += len(ids)
        if commit:
            session.commit()


def _access_log_prefix(session: Session, cutoff: datetime) -> tuple[int | None, int]:
    """(id of the newest row of the due prefix, number of rows in it). The prefix is every row older than
    the first row that is still within its period, so the chain stays contiguous."""
    first_kept = session.scalar(select(func.min(AccessLogEntry.id)).where(AccessLogEntry.at >= cutoff))
    condition = AccessLogEntry.id < first_kept if first_kept is not None else AccessLogEntry.id.is_not(None)
    through, n = session.execute(select(func.max(AccessLogEntry.id), func.count()).where(condition)).one()
    return through, int(n or 0)


def _purge_access_log(
    session: Session, p: PurgePlan, run: RetentionRun, batch_size: int, actor: str, role: str, channel: str,
    notes: list[str],
) -> int:
    """Remove the due prefix of the access log and anchor the chain, in one transaction."""
    lock_for_append(session)
    through, n = _access_log_prefix(session, p.cutoffs["access_log"])
    if not n or through is None:
        return 0
    report = verify_chain(session=session)
    if not report.ok:
        notes.append(
            "toegangslogboek NIET opgeschoond: de hash-keten klopt niet (" + report.message + "); "
            "de regels blijven bewaard als bewijs"
        )
        return 0
    last = session.get(AccessLogEntry, through)
    assert last is not None
    prev_hash = last.row_hash
    deleted = 0
    while deleted < n:
        ids = list(session.scalars(
            select(AccessLogEntry.id).where(AccessLogEntry.id <= through).order_by(AccessLogEntry.id).limit(batch_size)
        ))
        if not ids:
            break
        session.execute(delete(AccessLogEntry).where(AccessLogEntry.id.in_(ids)).execution_options(synchronize_session=False))
        deleted += len(ids)
    first_id = session.scalar(select(func.min(AccessLogEntry.id)))
    anchor = AccessLogAnchor(at=p.now, first_id=first_id, prev_hash=prev_hash, purged_through_id=through,
                             rows_purged=deleted, retention_run_id=run.id)
    session.add(anchor)
    session.flush()
    log_access(
        session=session, actor=actor, role=role, action="retention_anchor", target=f"retention_run:{run.id}",
        channel=channel, at=p.now,
        details={"anchor_id": anchor.id, "first_id": first_id, "prev_hash": prev_hash,
                 "purged_through_id": through, "rows_purged": deleted},
    )
    return deleted


def render_report(*, plan_: PurgePlan, counts: dict[str, int], dry_run: bool, notes: list[str]) -> str:
    """The deletion report: periods, cut-off dates and counts per category, naming no person."""
    head = "Proefrun (niets verwijderd)" if dry_run else "Verwijderrapport"
    lines = [f"{head} — bewaartermijnen toegepast op {plan_.now:%Y-%m-%d %H:%M} UTC", ""]
    verb = "te verwijderen" if dry_run else "verwijderd"
    for category in CATEGORIES:
        days = plan_.periods[category]
        cutoff = plan_.cutoffs[category]
        lines.append(
            f"- {_LABELS_NL[category]}: termijn {days} dagen (ouder dan {cutoff:%Y-%m-%d}); {verb}: {counts.get(category, 0)}"
        )
    lines.append(f"- {_LABELS_NL['post_versions']}: {verb}: {counts.get('post_versions', 0)}")
    revoked = counts.get("revoked_accounts", 0)
    lines.append(
        f"- {_LABELS_NL['revoked_accounts']}: {revoked} (hun berichten, bevindingen en beoordelingen direct {verb})"
    )
    if notes:
        lines.append("")
        lines.extend(f"Let op: {note}" for note in notes)
    return "\n".join(lines)


def purge(
    *,
    session: Session,
    triggered_by: str,
    periods: dict[str, int] | None = None,
    now: datetime | None = None,
    dry_run: bool = False,
    batch_size: int = 500,
    commit: bool = True,
    role: str = "operator",
    channel: str = "cli",
) -> RetentionRun:
    """Delete everything past its retention period (or, with ``dry_run``, only count it) and record a
    :class:`RetentionRun` with counts per category and a deletion report naming no person.

    ``commit=True`` commits after every batch: pass a session that is not inside ``session.begin()``
    (or the test fixture's savepoint session). With ``commit=False`` everything happens in the caller's
    transaction. The purge is recorded in the access log (action ``purge``).
    """
    if batch_size < 1:
        raise MerkwachtError(code="retention.bad_batch_size", size=batch_size)
    p = plan(session=session, periods=periods, now=now)
    run = RetentionRun(started_at=p.now, dry_run=dry_run, status="running", triggered_by=triggered_by,
                       periods=dict(p.periods), counts={})
    session.add(run)
    session.flush()
    if commit:
        session.commit()
    notes: list[str] = []
    if dry_run:
        counts = due_counts(session=session, plan_=p)
    else:
        counts = {c: 0 for c in (*CATEGORIES, *EXTRA_COUNTS)}
        counts["revoked_accounts"] = len(p.revoked_account_ids)
        # Posts first: their findings and reviews go with them and are counted in their own categories.
        _purge_posts(session, p, batch_size, commit, counts)
        # _due_reviews covers reviews past their own period and every review of a due finding.
        counts["reviews"] += _delete_batches(session, Review, _due_reviews(p), batch_size, commit)
        counts["findings"] += _delete_batches(session, Finding, _due_findings(p), batch_size, commit)
        counts["third_party_text"] += _purge_context(session, p, batch_size, commit)
        counts["access_log"] = _purge_access_log(session, p, run, batch_size, triggered_by, role, channel, notes)
    run.counts = counts
    run.finished_at = utcnow() if now is None else p.now
    run.status = "dry_run" if dry_run else "ok"
    run.report = render_report(plan_=p, counts=counts, dry_run=dry_run, notes=notes)
    log_access(
        session=session, actor=triggered_by, role=role, action="purge_dry_run" if dry_run else "purge",
        target=f"retention_run:{run.id}", channel=channel, details={"counts": counts, "periods": p.periods},
        at=p.now,
    )
    session.flush()
    if commit:
        session.commit()
    return run
