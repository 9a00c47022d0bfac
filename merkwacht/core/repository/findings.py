"""Recording findings: what the analyser found, idempotently, with superseding of what no longer holds.

The analysis engine passes plain data in (core imports nothing of analysis). Writes take
``session=`` and never commit. A few reads that only the engine needs (which posts to look at,
the facts of accounts) live here beside the writes they feed; they return plain dataclasses.

Idempotence: a finding is identified by post, account, rule, rule version, pack hash, subject
and the post's content hash. Recording the same result twice adds nothing. When a post is
edited, or a rule version or the pack changes, the findings that no longer come out are marked
superseded (never deleted: reviews stay attached), and a finding that comes back for the same
evidence keeps the reviewer's status.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from ..models import Account, Approval, Finding, Post
from ..models.base import utcnow

#: Columns of a finding the engine fills in (besides post/account/subject/content hash).
FINDING_FIELDS = (
    "rule",
    "rule_version",
    "pack",
    "pack_version",
    "pack_hash",
    "clause",
    "severity",
    "score",
    "evidence",
    "evidence_start",
    "evidence_end",
    "explanation_nl",
    "explanation_en",
    "details",
)


@dataclass(frozen=True, slots=True)
class PostForAnalysis:
    """A stored post with what the analyser needs, as plain data."""

    id: int
    account_id: int
    handle: str
    platform: str
    platform_post_id: str
    created_at: datetime
    kind: str
    lang: str | None
    text: str
    urls: tuple[str, ...]
    in_reply_to_id: str | None
    in_reply_to_text: str | None
    in_reply_to_author: str | None
    edited_at: datetime | None
    deleted_at: datetime | None
    content_hash: str


@dataclass(frozen=True, slots=True)
class PostResult:
    """The findings (dicts with :data:`FINDING_FIELDS`) of one analysed post."""

    post_id: int
    account_id: int
    content_hash: str
    findings: Sequence[dict[str, Any]]


@dataclass
class SaveResult:
    added: int = 0
    kept: int = 0
    superseded: int = 0
    reactivated: int = 0


_POST_COLUMNS = (
    Post.id,
    Post.account_id,
    Account.handle,
    Account.platform,
    Post.platform_post_id,
    Post.created_at,
    Post.kind,
    Post.lang,
    Post.text,
    Post.urls,
    Post.in_reply_to_id,
    Post.in_reply_to_text,
    Post.in_reply_to_author,
    Post.edited_at,
    Post.deleted_at,
    Post.content_hash,
)


def _post_row(row: Any) -> PostForAnalysis:
    return PostForAnalysis(
        id=row.id,
        account_id=row.account_id,
        handle=row.handle,
        platform=row.platform,
        platform_post_id=row.platform_post_id,
        created_at=row.created_at,
        kind=row.kind,
        lang=row.lang,
        text=row.text,
        urls=tuple(row.urls or ()),
        in_reply_to_id=row.in_reply_to_id,
        in_reply_to_text=row.in_reply_to_text,
        in_reply_to_author=row.in_reply_to_author,
        edited_at=row.edited_at,
        deleted_at=row.deleted_at,
        content_hash=row.content_hash,
    )


def posts_to_analyse(
    *, session: Session, signature: str, after_id: int = 0, limit: int = 500
) -> list[PostForAnalysis]:
    """The next ``limit`` posts (by id, after ``after_id``) not yet analysed with ``signature`` in their
    current content: new posts, edited posts, and all posts when the pack or a rule version changed."""
    stmt = (
        select(*_POST_COLUMNS)
        .join(Account, Account.id == Post.account_id)
        .where(
            Post.id > after_id,
            or_(
                Post.analysis_signature.is_(None),
                Post.analysis_signature != signature,
                Post.analysed_content_hash.is_(None),
                Post.analysed_content_hash != Post.content_hash,
            ),
        )
        .order_by(Post.id)
        .limit(limit)
    )
    return [_post_row(row) for row in session.execute(stmt)]


def approvals_register(*, session: Session) -> list[dict[str, Any]]:
    """Every approval as interchange-shaped data (id, account, text, approved_by, approved_at, valid_until)."""
    rows = session.execute(
        select(
            Approval.external_id,
            Approval.account_handle,
            Approval.text,
            Approval.approved_by,
            Approval.approved_at,
            Approval.valid_until,
        ).order_by(Approval.id)
    )
    return [
        {
            "id": r.external_id,
            "account": r.account_handle,
            "text": r.text,
            "approved_by": r.approved_by,
            "approved_at": r.approved_at,
            "valid_until": r.valid_until,
        }
        for r in rows
    ]


def _key(rule: str, rule_version: str, pack_hash: str, content_hash: str) -> tuple[str, str, str, str]:
    return (rule, rule_version, pack_hash, content_hash)


def save_post_results(
    *, session: Session, results: Sequence[PostResult], now: datetime | None = None
) -> SaveResult:
    """Record the findings of a batch of analysed posts (post-level rules, subject '').

    Findings already recorded for the same content, rule version and pack are kept; active ones
    that did not come out again are superseded; new ones are added.
    """
    now = now or utcnow()
    outcome = SaveResult()
    if not results:
        return outcome
    post_ids = [r.post_id for r in results]
    existing: dict[int, list[Any]] = {pid: [] for pid in post_ids}
    rows = session.execute(
        select(
            Finding.id,
            Finding.post_id,
            Finding.rule,
            Finding.rule_version,
            Finding.pack_hash,
            Finding.post_content_hash,
            Finding.superseded_at,
            Finding.status,
            Finding.evidence,
        ).where(Finding.post_id.in_(post_ids), Finding.subject_key == "")
    )
    for row in rows:
        existing[row.post_id].append(row)
    to_insert: list[dict[str, Any]] = []
    to_supersede: list[int] = []
    to_reactivate: list[int] = []
    for result in results:
        rows_for_post = existing[result.post_id]
        by_key = {_key(r.rule, r.rule_version, r.pack_hash, r.post_content_hash): r for r in rows_for_post}
        wanted = set()
        for finding in result.findings:
            key = _key(finding["rule"], finding["rule_version"], finding["pack_hash"], result.content_hash)
            wanted.add(key)
            old = by_key.get(key)
            if old is not None:
                if old.superseded_at is None:
                    outcome.kept += 1
                else:
                    to_reactivate.append(old.id)
                continue
            status, carried = "open", None
            for prior in rows_for_post:  # the reviewer's verdict on the same evidence carries over
                if (
                    prior.rule == finding["rule"]
                    and prior.evidence == finding["evidence"]
                    and prior.status != "open"
                ):
                    status, carried = prior.status, prior.id
            details = dict(finding.get("details") or {})
            if carried is not None:
                details["status_carried_over_from"] = carried
            to_insert.append(
                {
                    **{name: finding.get(name) for name in FINDING_FIELDS},
                    "details": details,
                    "post_id": result.post_id,
                    "account_id": result.account_id,
                    "subject_key": "",
                    "post_content_hash": result.content_hash,
                    "status": status,
                    "created_at": now,
                }
            )
        for row in rows_for_post:
            key = _key(row.rule, row.rule_version, row.pack_hash, row.post_content_hash)
            if row.superseded_at is None and key not in wanted:
                to_supersede.append(row.id)
    if to_supersede:
        session.execute(update(Finding).where(Finding.id.in_(to_supersede)).values(superseded_at=now))
    if to_reactivate:
        session.execute(update(Finding).where(Finding.id.in_(to_reactivate)).values(superseded_at=None))
    if to_insert:
        session.execute(insert(Finding), to_insert)
    outcome.added += len(to_insert)
    outcome.superseded += len(to_supersede)
    outcome.reactivated += len(to_reactivate)
    return outcome


def mark_analysed(*, session: Session, posts: Iterable[tuple[int, str, str, str]]) -> None:
    """Note ``(post id, signature, content hash, analysed key)`` as analysed, so the next run skips them."""
    values = [
        {"id": pid, "analysis_signature": sig, "analysed_content_hash": content, "analysed_key": key}
        for pid, sig, content, key in posts
    ]
    if values:
        session.execute(update(Post), values)


def save_subject_finding(
    *,
    session: Session,
    account_id: int,
    subject_key: str,
    finding: dict[str, Any],
    post_id: int | None = None,
    now: datetime | None = None,
) -> bool:
    """Record an account- or thread-level finding once: ``False`` when an active one for the same
    account, post, rule, rule version, pack and subject exists already."""
    now = now or utcnow()
    clauses = [
        Finding.account_id == account_id,
        Finding.subject_key == subject_key,
        Finding.rule == finding["rule"],
        Finding.rule_version == finding["rule_version"],
        Finding.pack_hash == finding["pack_hash"],
        Finding.post_id.is_(None) if post_id is None else Finding.post_id == post_id,
    ]
    found = session.execute(select(Finding.id, Finding.superseded_at).where(and_(*clauses))).first()
    if found is not None:
        if found.superseded_at is not None:
            session.execute(update(Finding).where(Finding.id == found.id).values(superseded_at=None))
            return True
        return False
    session.execute(
        insert(Finding),
        [
            {
                **{name: finding.get(name) for name in FINDING_FIELDS},
                "details": dict(finding.get("details") or {}),
                "post_id": post_id,
                "account_id": account_id,
                "subject_key": subject_key,
                "post_content_hash": "",
                "status": "open",
                "created_at": now,
            }
        ],
    )
    return True


def supersede_subject_findings(
    *, session: Session, account_id: int, rule: str, keep: Iterable[str], now: datetime | None = None
) -> int:
    """Mark active findings of ``rule`` on ``account_id`` superseded unless their subject is in ``keep``
    (the condition no longer holds: the account posts again, the credentials were rotated)."""
    keep = list(keep)
    stmt = (
        update(Finding)
        .where(
            Finding.account_id == account_id,
            Finding.rule == rule,
            Finding.superseded_at.is_(None),
            Finding.subject_key.not_in(keep) if keep else Finding.subject_key.is_not(None),
        )
        .values(superseded_at=now or utcnow())
    )
    return session.execute(stmt).rowcount or 0


@dataclass(frozen=True, slots=True)
class AccountForChecks:
    """An account's facts for the account-level checks."""

    id: int
    handle: str
    platform: str
    status: str
    created_at: datetime
    credentials_env: str | None
    credentials_rotated_at: datetime | None
    last_post_at: datetime | None


def accounts_for_checks(*, session: Session) -> list[AccountForChecks]:
    """Every registered account with the time of its newest post."""
    newest = (
        select(Post.account_id, func.max(Post.created_at).label("last_post_at"))
        .group_by(Post.account_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Account.id,
            Account.handle,
            Account.platform,
            Account.status,
            Account.created_at,
            Account.credentials_env,
            Account.credentials_rotated_at,
            newest.c.last_post_at,
        )
        .outerjoin(newest, newest.c.account_id == Account.id)
        .order_by(Account.id)
    )
    return [AccountForChecks(**row._asdict()) for row in rows]


@dataclass(frozen=True, slots=True)
class TimedText:
    post_id: int
    platform_post_id: str
    created_at: datetime
    text: str
    edited_at: datetime | None = None
    deleted_at: datetime | None = None
    in_reply_to_text: str | None = None


def deleted_posts(
    *,
    session: Session,
    account_id: int,
    after_id: int = 0,
    limit: int = 500,
    since: datetime | None = None,
) -> list[TimedText]:
    """The account's posts that were deleted (tombstoned), by id; only those deleted since ``since``."""
    where = [Post.account_id == account_id, Post.deleted_at.is_not(None), Post.id > after_id]
    if since is not None:
        where.append(Post.deleted_at >= since)
    rows = session.execute(
        select(Post.id, Post.platform_post_id, Post.created_at, Post.text, Post.edited_at, Post.deleted_at)
        .where(*where)
        .order_by(Post.id)
        .limit(limit)
    )
    return [
        TimedText(r.id, r.platform_post_id, r.created_at, r.text, r.edited_at, r.deleted_at) for r in rows
    ]


def posts_between(
    *, session: Session, account_id: int, start: datetime, end: datetime, limit: int = 200
) -> list[TimedText]:
    """The account's posts created between ``start`` and ``end`` (oldest first, at most ``limit``)."""
    rows = session.execute(
        select(
            Post.id,
            Post.platform_post_id,
            Post.created_at,
            Post.text,
            Post.edited_at,
            Post.deleted_at,
            Post.in_reply_to_text,
        )
        .where(Post.account_id == account_id, Post.created_at >= start, Post.created_at <= end)
        .order_by(Post.created_at, Post.id)
        .limit(limit)
    )
    return [
        TimedText(
            r.id, r.platform_post_id, r.created_at, r.text, r.edited_at, r.deleted_at, r.in_reply_to_text
        )
        for r in rows
    ]


def replies_since(
    *, session: Session, account_id: int, since: datetime, after_id: int = 0, limit: int = 1000
) -> list[TimedText]:
    """The account's replies (with the text they answer) created since ``since``, by id."""
    rows = session.execute(
        select(Post.id, Post.platform_post_id, Post.created_at, Post.text, Post.in_reply_to_text)
        .where(
            Post.account_id == account_id,
            Post.created_at >= since,
            Post.id > after_id,
            Post.in_reply_to_text.is_not(None),
        )
        .order_by(Post.id)
        .limit(limit)
    )
    return [
        TimedText(r.id, r.platform_post_id, r.created_at, r.text, in_reply_to_text=r.in_reply_to_text)
        for r in rows
    ]


__all__ = [
    "FINDING_FIELDS",
    "AccountForChecks",
    "PostForAnalysis",
    "PostResult",
    "SaveResult",
    "TimedText",
    "accounts_for_checks",
    "approvals_register",
    "deleted_posts",
    "mark_analysed",
    "posts_between",
    "posts_to_analyse",
    "replies_since",
    "save_post_results",
    "save_subject_finding",
    "supersede_subject_findings",
]
