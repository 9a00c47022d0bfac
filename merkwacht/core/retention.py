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

Legal hold (PRIVACY.md R6). An investigation case that is approved by a second person, open
and unexpired at ``now`` holds what it covers: the posts :func:`~merkwacht.core.cases.findings_for_signature`
would show for it (signed with the case's signature, within its account if it names one), their
earlier versions, their findings and the reviews of those findings are not deleted *by period*
while the case runs — deleting them would destroy the evidence the case was opened to weigh.
The hold is bounded by the case: a case runs at most ``cases.MAX_DAYS`` days, and the first purge
after it closes or expires removes whatever is past its period. Three things the hold does not do:

* it does not keep third-party text (the context a reply answered): that is a third party's
  data, not evidence about the employee, and it stays within its own period;
* it does not override a revoked opt-in: consent withdrawn means nothing of that account is
  kept, under investigation or not;
* it holds nothing for a case that is only requested, closed or past its expiry.

What the hold kept back is counted per category (and how many cases held something) in
:attr:`RetentionRun.held`, in the dry run and in the report; the cases are named only in the
access log (``purge_hold`` with target ``case:<id>``), never in the report.

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

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, delete, false, func, or_, select, update
from sqlalchemy.orm import Session, aliased

from .accesslog import lock_for_append, log_access, verify_chain
from .errors import MerkwachtError
from .models import (
    AccessLogAnchor,
    AccessLogEntry,
    Account,
    Finding,
    InvestigationCase,
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
#: What a legal hold can keep back (third-party text and the access log are never held), in a run's ``held``.
HELD_CATEGORIES = ("findings", "reviews", "own_posts", "post_versions")

_LABELS_NL = {
    "findings": "bevindingen",
    "reviews": "beoordelingen",
    "third_party_text": "teksten van derden (context van antwoorden)",
    "own_posts": "eigen berichten van merkaccounts",
    "post_versions": "eerdere versies van berichten",
    "access_log": "regels van het toegangslogboek",
    "revoked_accounts": "accounts met ingetrokken toestemming",
    "held": "bewaard voor lopend onderzoek (legal hold)",
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
    """What is due at ``now``: cut-off per category, the revoked accounts and the cases holding data
    (by id, never by name). Fixed when the purge starts, so every batch applies the same hold."""

    now: datetime
    periods: dict[str, int]
    cutoffs: dict[str, datetime]
    revoked_account_ids: list[int] = field(default_factory=list)
    holding_case_ids: list[int] = field(default_factory=list)


def plan(*, session: Session, periods: dict[str, int] | None = None, now: datetime | None = None) -> PurgePlan:
    now = (now or utcnow()).astimezone(UTC)
    resolved = resolve_periods(periods)
    cutoffs = {c: now - timedelta(days=d) for c, d in resolved.items()}
    return PurgePlan(now=now, periods=resolved, cutoffs=cutoffs, revoked_account_ids=revoked_accounts(session=session, now=now),
                     holding_case_ids=holding_cases(session=session, now=now))


def revoked_accounts(*, session: Session, now: datetime) -> list[int]:
    """Ids of accounts whose opt-in was revoked (at or before ``now``) and that have no active opt-in."""
    active = select(OptIn.account_id).where(OptIn.revoked_at.is_(None))
    revoked = select(OptIn.account_id).where(OptIn.revoked_at.is_not(None), OptIn.revoked_at <= now)
    query = select(Account.id).where(Account.id.in_(revoked), Account.id.not_in(active)).order_by(Account.id)
    return list(session.scalars(query))


def holding_cases(*, session: Session, now: datetime) -> list[int]:
    """Ids of the cases whose legal hold is in force at ``now``: approved (at or before ``now``) by someone
    other than the requester, not closed, not expired, with a scope. The same test as
    :func:`~merkwacht.core.cases.require_open_case`, in SQL, without closing expired cases (a purge, and
    certainly a dry run, changes no case): a case past its expiry holds nothing whether or not it was closed."""
    c = InvestigationCase
    query = select(c.id).where(
        c.status == "approved",
        c.closed_at.is_(None),
        c.approved_by.is_not(None),
        c.approved_at.is_not(None),
        c.approved_at <= now,
        c.expires_at > now,
        func.lower(func.trim(c.approved_by)) != func.lower(func.trim(c.requested_by)),
        c.scope_signature.is_not(None) | c.scope_account_id.is_not(None),
    ).order_by(c.id)
    return list(session.scalars(query))


# --- the legal hold -----------------------------------------------------------------------------
# Aliases, so a held-ids subquery inside a query on the same table is never correlated with it.
_HeldPost = aliased(Post, name="held_post")
_HeldFinding = aliased(Finding, name="held_finding")
_HoldingCase = aliased(InvestigationCase, name="holding_case")


def _covers(case: Any, post: Any) -> ColumnElement[bool]:
    """``case`` covers ``post`` as findings_for_signature reads it: a signed post, with the case's signature if
    it names one, on the case's account if it names one."""
    return and_(
        post.signature.is_not(None),
        or_(case.scope_signature.is_(None), case.scope_signature == post.signature),
        or_(case.scope_account_id.is_(None), case.scope_account_id == post.account_id),
    )


def _held_post_ids(p: PurgePlan) -> Select[Any]:
    """Ids of the posts an in-force case covers (a subquery; the database does the matching)."""
    return (
        select(_HeldPost.id)
        .join(_HoldingCase, _covers(_HoldingCase, _HeldPost))
        .where(_HoldingCase.id.in_(p.holding_case_ids))
    )


def _held_posts(p: PurgePlan) -> ColumnElement[bool]:
    return Post.id.in_(_held_post_ids(p)) if p.holding_case_ids else false()


def _held_findings(p: PurgePlan) -> ColumnElement[bool]:
    # post_id IS NOT NULL first: negated, an account-level finding (no post) must come out true, not NULL.
    if not p.holding_case_ids:
        return false()
    return Finding.post_id.is_not(None) & Finding.post_id.in_(_held_post_ids(p))


def _held_reviews(p: PurgePlan) -> ColumnElement[bool]:
    if not p.holding_case_ids:
        return false()
    return Review.finding_id.in_(
        select(_HeldFinding.id).where(_HeldFinding.post_id.in_(_held_post_ids(p)))
    )


def _without_hold(p: PurgePlan) -> PurgePlan:
    """The same plan as if no case held anything: what retention alone would delete."""
    return replace(p, holding_case_ids=[])


# --- what is due, per category ------------------------------------------------------------------

def _revoked_posts(p: PurgePlan) -> ColumnElement[bool]:
    return Post.account_id.in_(p.revoked_account_ids)


# A hold only stops deletion *by period*; the revoked-account terms stay outside it.

def _due_posts(p: PurgePlan) -> ColumnElement[bool]:
    return ((Post.created_at < p.cutoffs["own_posts"]) & ~_held_posts(p)) | _revoked_posts(p)


def _due_findings(p: PurgePlan) -> ColumnElement[bool]:
    revoked = Finding.account_id.in_(p.revoked_account_ids) | Finding.post_id.in_(
        select(Post.id).where(_revoked_posts(p))
    )
    return ((Finding.created_at < p.cutoffs["findings"]) & ~_held_findings(p)) | revoked


def _due_reviews(p: PurgePlan) -> ColumnElement[bool]:
    by_period = (Review.created_at < p.cutoffs["reviews"]) & ~_held_reviews(p)
    return by_period | Review.finding_id.in_(select(Finding.id).where(_due_findings(p)))


def _due_context(p: PurgePlan) -> ColumnElement[bool]:
    has_context = Post.in_reply_to_text.is_not(None) | Post.in_reply_to_author.is_not(None)
    return has_context & (Post.created_at < p.cutoffs["third_party_text"])


def _count(session: Session, model: Any, condition: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(condition)) or 0)


def _row_counts(session: Session, p: PurgePlan) -> dict[str, int]:
    """Rows per category that a purge under ``p`` deletes. Rows that go along with a due post (its findings,
    their reviews, its versions) are counted in their own categories."""
    posts_due = select(Post.id).where(_due_posts(p))
    findings_due = _due_findings(p) | Finding.post_id.in_(posts_due)
    reviews_due = _due_reviews(p) | Review.finding_id.in_(select(Finding.id).where(findings_due))
    return {
        "findings": _count(session, Finding, findings_due),
        "reviews": _count(session, Review, reviews_due),
        "third_party_text": _count(session, Post, _due_context(p) & ~_due_posts(p)),
        "own_posts": _count(session, Post, _due_posts(p)),
        "post_versions": _count(session, PostVersion, PostVersion.post_id.in_(posts_due)),
    }


def due_counts(*, session: Session, plan_: PurgePlan) -> dict[str, int]:
    """How many rows of each category are due (what a dry run reports), after the legal hold."""
    p = plan_
    return {
        **_row_counts(session, p),
        "access_log": _access_log_prefix(session, p.cutoffs["access_log"])[1],
        "revoked_accounts": len(p.revoked_account_ids),
    }


def held_counts(*, session: Session, plan_: PurgePlan) -> dict[str, int]:
    """How many rows per category the legal hold keeps back (due by period, covered by an in-force case), and
    ``cases``: how many cases held at least one of them. Counts only, so it can go in the report.

    A hold only ever removes rows from what is due, so what it keeps back is the difference between the
    counts without and with it — counted in the database, and safe with NULLs, unlike negating the
    conditions row by row."""
    return _holds(session, plan_)[0]


def _holds(session: Session, p: PurgePlan) -> tuple[dict[str, int], list[int]]:
    """:func:`held_counts`, and the ids of the cases that held something (:func:`cases_holding`)."""
    held = {c: 0 for c in HELD_CATEGORIES} | {"cases": 0}
    if not p.holding_case_ids:
        return held, []
    with_hold = _row_counts(session, p)
    without = _row_counts(session, _without_hold(p))
    held.update({c: without[c] - with_hold[c] for c in HELD_CATEGORIES})
    cases = cases_holding(session=session, plan_=p) if any(held[c] for c in HELD_CATEGORIES) else []
    held["cases"] = len(cases)
    return held, cases


def cases_holding(*, session: Session, plan_: PurgePlan) -> list[int]:
    """Ids of the in-force cases that keep back at least one row: they cover a post of an account whose opt-in
    stands and that post, one of its findings or a review of one is due by period. For the access log only."""
    if not plan_.holding_case_ids:
        return []
    free = _without_hold(plan_)
    covered = aliased(Post, name="covered_post")
    reviewed = aliased(Finding, name="reviewed_finding")  # _due_reviews has its own subquery on findings
    due_by_period = or_(
        covered.id.in_(select(Post.id).where(_due_posts(free))),
        covered.id.in_(select(Finding.post_id).where(_due_findings(free))),
        covered.id.in_(select(reviewed.post_id).join(Review, Review.finding_id == reviewed.id).where(_due_reviews(free))),
    )
    query = (
        select(InvestigationCase.id)
        .join(covered, _covers(InvestigationCase, covered))
        .where(InvestigationCase.id.in_(plan_.holding_case_ids), covered.account_id.not_in(plan_.revoked_account_ids),
               due_by_period)
        .distinct()
        .order_by(InvestigationCase.id)
    )
    return list(session.scalars(query))


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


_HOLD_NOTE = ("wat een onderzoek vasthoudt, wordt verwijderd bij de eerste opschoning nadat het onderzoek is "
              "gesloten of verlopen; teksten van derden en ingetrokken toestemming vallen er niet onder")


def _held_line(held: dict[str, int], *, dry_run: bool) -> str:
    """The report's line on the legal hold: counts per category and how many cases, never which."""
    verb = "zou achterhouden" if dry_run else "achtergehouden"
    if not any(held.get(c, 0) for c in HELD_CATEGORIES):
        return f"- {_LABELS_NL['held']}: niets {verb}"
    parts = ", ".join(f"{_LABELS_NL[c]} {held.get(c, 0)}" for c in HELD_CATEGORIES)
    return (f"- {_LABELS_NL['held']}: {held.get('cases', 0)} goedgekeurd(e), lopend(e) onderzoek(en); "
            f"{verb} voorbij hun termijn: {parts}")


def render_report(
    *, plan_: PurgePlan, counts: dict[str, int], dry_run: bool, notes: list[str], held: dict[str, int] | None = None,
) -> str:
    """The deletion report: periods, cut-off dates and counts per category (deleted and held back), naming no
    person, signature, account, post or case."""
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
    held = held or {}
    lines.append(_held_line(held, dry_run=dry_run))
    if any(held.get(c, 0) for c in HELD_CATEGORIES):
        notes = [*notes, _HOLD_NOTE]
    if notes:
        lines.append("")
        lines.extend(f"Let op: {note}" for note in notes)
    return "\n".join(lines)


def _log_holds(session: Session, p: PurgePlan, run: RetentionRun, case_ids: list[int], *, actor: str, role: str,
               channel: str) -> None:
    """One ``purge_hold`` entry per case that kept rows back, with the case as its target: the log says which
    case kept data past its period (and the case's inzage shows it), while the report stays counts only."""
    for case_id in case_ids:
        log_access(session=session, actor=actor, role=role, action="purge_hold", target=f"case:{case_id}",
                   channel=channel, details={"retention_run": run.id}, at=p.now)


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
    transaction. The purge is recorded in the access log (action ``purge``, with the held counts), and every
    case whose legal hold kept rows back gets a ``purge_hold`` entry.
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
    # Counted before anything is deleted: the hold keeps these rows, so the figures hold afterwards too.
    held, holding = _holds(session, p)
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
    run.held = held
    run.finished_at = utcnow() if now is None else p.now
    run.status = "dry_run" if dry_run else "ok"
    run.report = render_report(plan_=p, counts=counts, dry_run=dry_run, notes=notes, held=held)
    if not dry_run and holding:
        _log_holds(session, p, run, holding, actor=triggered_by, role=role, channel=channel)
    log_access(
        session=session, actor=triggered_by, role=role, action="purge_dry_run" if dry_run else "purge",
        target=f"retention_run:{run.id}", channel=channel,
        details={"counts": counts, "periods": p.periods, "held": held}, at=p.now,
    )
    session.flush()
    if commit:
        session.commit()
    return run
