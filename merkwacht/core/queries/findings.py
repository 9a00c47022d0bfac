"""The findings review queue and the detail of one finding (post, context, evidence, clause, history).

Post-level: comms and admin only; the council role is refused here (PRIVACY.md R10), so no
page, URL or query parameter can show it a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, null, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import FINDING_STATUSES, SEVERITIES, Account, Finding, PolicyVersion, Post, Review
from .roles import Viewer, require_post_level

#: Length of the post excerpt shown in the queue.
EXCERPT_CHARS = 180
_SEVERITY_ORDER = {s: i for i, s in enumerate(SEVERITIES)}


@dataclass(frozen=True)
class FindingFilter:
    """What the queue shows. Empty tuples mean 'all'; dates bound the post's time (account findings: the
    finding's)."""

    statuses: tuple[str, ...] = ("open",)
    account_ids: tuple[int, ...] = ()
    rules: tuple[str, ...] = ()
    severities: tuple[str, ...] = ()
    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        bad = [s for s in self.statuses if s not in FINDING_STATUSES]
        if bad:
            raise ValueError(f"unknown finding status {bad[0]!r}; known: {', '.join(FINDING_STATUSES)}")
        bad = [s for s in self.severities if s not in SEVERITIES]
        if bad:
            raise ValueError(f"unknown severity {bad[0]!r}; known: {', '.join(SEVERITIES)}")


@dataclass(frozen=True)
class QueueItem:
    finding_id: int
    account_id: int | None
    account: str
    platform: str
    rule: str
    severity: str
    score: float
    status: str
    clause: str
    post_id: int | None
    post_created_at: datetime | None
    excerpt: str
    evidence: str | None
    explanation_nl: str
    explanation_en: str
    created_at: datetime


@dataclass(frozen=True)
class QueuePage:
    """``total`` counts every match; pages of ``limit`` walk the ``post_total`` post findings."""

    total: int
    items: list[QueueItem]
    offset: int
    limit: int
    post_total: int = 0


def _apply(query: Any, flt: FindingFilter, when: Any) -> Any:
    """``flt`` as conditions; ``when`` is the time the period applies to (the post's, or the finding's)."""
    query = query.where(Finding.superseded_at.is_(None))
    if flt.statuses:
        query = query.where(Finding.status.in_(flt.statuses))
    if flt.account_ids:
        query = query.where(Finding.account_id.in_(flt.account_ids))
    if flt.rules:
        query = query.where(Finding.rule.in_(flt.rules))
    if flt.severities:
        query = query.where(Finding.severity.in_(flt.severities))
    if flt.since is not None:
        query = query.where(when >= flt.since)
    if flt.until is not None:
        query = query.where(when < flt.until)
    return query


def _label(platform: str | None, handle: str | None) -> str:
    return f"@{handle}" if handle else "?"


_COLUMNS = (
    Finding.id,
    Finding.account_id,
    Account.platform,
    Account.handle,
    Finding.rule,
    Finding.severity,
    Finding.score,
    Finding.status,
    Finding.clause,
    Finding.post_id,
)
_TAIL = (Finding.evidence, Finding.explanation_nl, Finding.explanation_en, Finding.created_at)
#: Account- and thread-level findings shown at the top of the first page (they are few).
ACCOUNT_FINDINGS_SHOWN = 50


def review_queue(
    *,
    session: Session,
    viewer: Viewer,
    flt: FindingFilter = FindingFilter(),
    limit: int = 25,
    offset: int = 0,
) -> QueuePage:
    """One page of findings matching ``flt`` with the total count.

    Findings about a post come newest post first (the period bounds the post's time); account-
    and thread-level findings (no post) come first on the first page, newest first (the period
    bounds the finding's time). Built for 100,000s of findings: the post findings are read by walking
    ``posts(created_at)`` backwards and probing ``findings(post_id)``, so a page costs about as many
    index lookups as it takes to find ``limit`` matching findings.
    """
    require_post_level(viewer)
    limit = max(1, min(limit, 500))
    account_level = Finding.post_id.is_(None)
    if flt.since is None and flt.until is None:
        post_total = session.scalar(
            _apply(select(func.count(Finding.id)).where(Finding.post_id.is_not(None)), flt, None)
        )
    else:
        post_total = session.scalar(
            _apply(
                select(func.count(Finding.id)).join(Post, Post.id == Finding.post_id), flt, Post.created_at
            )
        )
    account_total = session.scalar(
        _apply(select(func.count(Finding.id)).where(account_level), flt, Finding.created_at)
    )
    post_rows = session.execute(
        _apply(
            select(*_COLUMNS, Post.created_at, func.substr(Post.text, 1, EXCERPT_CHARS + 1), *_TAIL)
            .select_from(Post)
            .join(Finding, Finding.post_id == Post.id)
            .join(Account, Account.id == Post.account_id),
            flt,
            Post.created_at,
        )
        .order_by(Post.created_at.desc(), Finding.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    rows = list(post_rows)
    if offset == 0 and account_total:
        account_rows = session.execute(
            _apply(
                select(*_COLUMNS, Finding.created_at, null(), *_TAIL)
                .select_from(Finding)
                .outerjoin(Account, Account.id == Finding.account_id)
                .where(account_level),
                flt,
                Finding.created_at,
            )
            .order_by(Finding.created_at.desc(), Finding.id.desc())
            .limit(ACCOUNT_FINDINGS_SHOWN)
        ).all()
        rows = list(account_rows) + rows
    items = [
        QueueItem(
            finding_id=r[0],
            account_id=r[1],
            account=_label(r[2], r[3]),
            platform=r[2] or "",
            rule=r[4],
            severity=r[5],
            score=r[6],
            status=r[7],
            clause=r[8],
            post_id=r[9],
            post_created_at=r[10] if r[9] is not None else None,
            excerpt=_excerpt(r[11]),
            evidence=r[12],
            explanation_nl=r[13],
            explanation_en=r[14],
            created_at=r[15],
        )
        for r in rows
    ]
    return QueuePage(
        total=(post_total or 0) + (account_total or 0),
        items=items,
        offset=offset,
        limit=limit,
        post_total=post_total or 0,
    )


def _excerpt(text: str | None) -> str:
    if not text:
        return ""
    return text if len(text) <= EXCERPT_CHARS else text[:EXCERPT_CHARS].rstrip() + "…"


@dataclass(frozen=True)
class ReviewEntry:
    disposition: str
    reason: str | None
    note: str | None
    reviewer: str
    created_at: datetime


@dataclass(frozen=True)
class Clause:
    id: str
    title: str
    text: str
    purpose: str


@dataclass(frozen=True)
class FindingDetail:
    """Everything a reviewer needs to decide. ``segments`` is the post text split around the evidence:
    (before, evidence, after); evidence is '' when the finding has no span."""

    item: QueueItem
    post_text: str | None
    post_kind: str | None
    post_lang: str | None
    post_urls: list[str]
    platform_post_id: str | None
    edited_at: datetime | None
    deleted_at: datetime | None
    reply_to_text: str | None
    reply_to_author: str | None
    context_purged: bool
    segments: tuple[str, str, str]
    clause: Clause | None
    pack: str
    pack_version: str
    rule_version: str
    details: dict[str, Any]
    reviews: list[ReviewEntry] = field(default_factory=list)


def finding_detail(*, session: Session, viewer: Viewer, finding_id: int) -> FindingDetail:
    """One finding with its post, the post it answers, the evidence, the clause wording and review history."""
    require_post_level(viewer)
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFound(code="findings.not_found", id=finding_id)
    post = session.get(Post, finding.post_id) if finding.post_id is not None else None
    account = (
        session.get(Account, finding.account_id)
        if finding.account_id is not None
        else (post.account if post is not None else None)
    )
    text = post.text if post is not None else None
    item = QueueItem(
        finding_id=finding.id,
        account_id=finding.account_id,
        account=_label(None, account.handle if account else None),
        platform=account.platform if account else "",
        rule=finding.rule,
        severity=finding.severity,
        score=finding.score,
        status=finding.status,
        clause=finding.clause,
        post_id=finding.post_id,
        post_created_at=post.created_at if post else None,
        excerpt=_excerpt(text),
        evidence=finding.evidence,
        explanation_nl=finding.explanation_nl,
        explanation_en=finding.explanation_en,
        created_at=finding.created_at,
    )
    reviews = [
        ReviewEntry(r.disposition, r.reason, r.note, r.reviewer, r.created_at)
        for r in session.scalars(
            select(Review).where(Review.finding_id == finding.id).order_by(Review.created_at, Review.id)
        )
    ]
    return FindingDetail(
        item=item,
        post_text=text,
        post_kind=post.kind if post else None,
        post_lang=post.lang if post else None,
        post_urls=list(post.urls or []) if post else [],
        platform_post_id=post.platform_post_id if post else None,
        edited_at=post.edited_at if post else None,
        deleted_at=post.deleted_at if post else None,
        reply_to_text=post.in_reply_to_text if post else None,
        reply_to_author=post.in_reply_to_author if post else None,
        context_purged=bool(post and post.context_purged_at),
        segments=split_evidence(text or "", finding.evidence, finding.evidence_start, finding.evidence_end),
        clause=clause_of(
            session=session, pack=finding.pack, pack_hash=finding.pack_hash, clause_id=finding.clause
        ),
        pack=finding.pack,
        pack_version=finding.pack_version,
        rule_version=finding.rule_version,
        details=dict(finding.details or {}),
        reviews=reviews,
    )


def split_evidence(
    text: str, evidence: str | None, start: int | None, end: int | None
) -> tuple[str, str, str]:
    """``text`` cut into (before, evidence, after), by the span when it is valid, else by finding the evidence."""
    if start is not None and end is not None and 0 <= start < end <= len(text):
        return text[:start], text[start:end], text[end:]
    if evidence:
        at = text.find(evidence)
        if at < 0:
            at = text.lower().find(evidence.lower())
        if at >= 0:
            return text[:at], text[at : at + len(evidence)], text[at + len(evidence) :]
    return text, "", ""


def clause_of(*, session: Session, pack: str, pack_hash: str, clause_id: str) -> Clause | None:
    """The clause in the guideline's own words, from the pack document the analysis recorded (R13)."""
    document = session.scalar(
        select(PolicyVersion.document).where(PolicyVersion.pack == pack, PolicyVersion.pack_hash == pack_hash)
    )
    if document is None:  # the exact version is gone: the newest version of the pack still has the wording
        document = session.scalar(
            select(PolicyVersion.document)
            .where(PolicyVersion.pack == pack)
            .order_by(PolicyVersion.last_used_at.desc())
            .limit(1)
        )
    return find_clause(document or {}, clause_id)


def find_clause(document: dict[str, Any], clause_id: str) -> Clause | None:
    """The clause ``clause_id`` (``pack/clause`` or ``clause``) in a pack document."""
    clauses = document.get("clauses") or []
    if isinstance(clauses, dict):
        clauses = [dict(value, id=key) for key, value in clauses.items()]
    short = clause_id.split("/", 1)[-1]
    for clause in clauses:
        cid = str(clause.get("id", ""))
        if cid in (clause_id, short) or cid.split("/", 1)[-1] == short:
            return Clause(
                id=clause_id,
                title=str(clause.get("title", "")),
                text=str(clause.get("text", "")),
                purpose=str(clause.get("purpose", "")),
            )
    return None


@dataclass(frozen=True)
class FilterOptions:
    accounts: list[tuple[int, str]]
    rules: list[str]
    severities: tuple[str, ...] = SEVERITIES
    statuses: tuple[str, ...] = FINDING_STATUSES


def filter_options(*, session: Session, viewer: Viewer) -> FilterOptions:
    """The accounts and rules the queue can be filtered by."""
    require_post_level(viewer)
    accounts = [
        (a_id, f"@{handle} ({platform})")
        for a_id, handle, platform in session.execute(
            select(Account.id, Account.handle, Account.platform).order_by(
                Account.platform, Account.handle_key
            )
        )
    ]
    rules = list(session.scalars(select(Finding.rule).distinct().order_by(Finding.rule)))
    return FilterOptions(accounts=accounts, rules=rules)


def severity_rank(severity: str) -> int:
    return _SEVERITY_ORDER.get(severity, -1)
