"""The approvals register as the comms lead sees it: approvals, the posts that published them, and
standpoint posts that had no approval.

Post-level: comms and admin only; the council role is refused here (PRIVACY.md R10).

Which post published which approval: a post of the approval's account (or any account, for an
approval without one), written while the approval was valid, whose text contains the approved
text up to the edits publishing brings (shortening, hashtags, links, small rewording). The
comparison is rapidfuzz's ``partial_ratio`` on normalised text, the same tolerance the
``unapproved_statement`` rule applies; where the analysis recorded the approval it matched
(``details["approval_id"]`` on a finding), that record is used as well.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Account, Approval, Finding, Post
from .roles import Viewer, require_post_level

#: partial_ratio (0-100) at or above which a post counts as publishing an approval.
MATCH_THRESHOLD = 85.0
#: At most this many of an approval's candidate posts (newest first) are compared.
CANDIDATES = 2000
_NOISE = re.compile(r"https?://\S+|[#@]\w+", re.UNICODE)


def _normal(text: str) -> str:
    return " ".join(_NOISE.sub(" ", text).casefold().split())


@dataclass(frozen=True)
class MatchedPost:
    post_id: int
    account: str
    created_at: datetime
    text: str
    similarity: float


@dataclass(frozen=True)
class ApprovalRow:
    approval_id: int
    external_id: str
    account_handle: str | None
    text: str
    approved_by: str
    approved_at: datetime
    valid_until: datetime | None
    valid_now: bool
    matches: list[MatchedPost] = field(default_factory=list)


@dataclass(frozen=True)
class UnapprovedStandpoint:
    finding_id: int
    post_id: int | None
    account: str
    created_at: datetime | None
    text: str
    evidence: str | None
    status: str


def approval_register(
    *, session: Session, viewer: Viewer, now: datetime | None = None, with_matches: bool = True
) -> list[ApprovalRow]:
    """Every approval, newest first, with the posts that published it."""
    require_post_level(viewer)
    now = now or datetime.now(UTC)
    accounts = {a.id: a for a in session.scalars(select(Account))}
    rows = []
    for approval in session.scalars(
        select(Approval).order_by(Approval.approved_at.desc(), Approval.id.desc())
    ):
        valid = approval.approved_at <= now and (approval.valid_until is None or approval.valid_until >= now)
        matches = _matches(session, approval, accounts, now) if with_matches else []
        rows.append(
            ApprovalRow(
                approval.id,
                approval.external_id,
                approval.account_handle,
                approval.text,
                approval.approved_by,
                approval.approved_at,
                approval.valid_until,
                valid,
                matches,
            )
        )
    return rows


def _matches(
    session: Session, approval: Approval, accounts: dict[int, Account], now: datetime
) -> list[MatchedPost]:
    query = select(Post.id, Post.account_id, Post.created_at, Post.text).where(
        Post.created_at >= approval.approved_at, Post.deleted_at.is_(None)
    )
    if approval.valid_until is not None:
        query = query.where(Post.created_at <= approval.valid_until)
    if approval.account_handle:
        key = approval.account_handle.lstrip("@").lower()
        ids = [a.id for a in accounts.values() if a.handle_key == key]
        if not ids:
            return []
        query = query.where(Post.account_id.in_(ids))
    target = _normal(approval.text)
    found = []
    for post_id, account_id, created_at, text in session.execute(
        query.order_by(Post.created_at.desc()).limit(CANDIDATES)
    ):
        candidate = _normal(text)
        # A post may shorten the approved text, but not to less than half of it.
        if len(candidate) < 0.5 * len(target):
            continue
        score = fuzz.partial_ratio(target, candidate) if candidate else 0.0
        if score >= MATCH_THRESHOLD:
            account = accounts.get(account_id)
            found.append(
                MatchedPost(
                    post_id, f"@{account.handle}" if account else "?", created_at, text, round(score, 1)
                )
            )
    return found


def unapproved_standpoints(
    *, session: Session, viewer: Viewer, limit: int = 200
) -> list[UnapprovedStandpoint]:
    """Posts that state a standpoint with no matching approval: the ``unapproved_statement`` findings."""
    require_post_level(viewer)
    rows = session.execute(
        select(
            Finding.id,
            Finding.post_id,
            Account.handle,
            Post.created_at,
            Post.text,
            Finding.evidence,
            Finding.status,
        )
        .outerjoin(Post, Finding.post_id == Post.id)
        .outerjoin(Account, Finding.account_id == Account.id)
        .where(
            Finding.rule == "unapproved_statement",
            Finding.superseded_at.is_(None),
            Finding.status != "dismissed",
        )
        .order_by(Finding.id.desc())
        .limit(limit)
    ).all()
    return [
        UnapprovedStandpoint(r[0], r[1], f"@{r[2]}" if r[2] else "?", r[3], r[4] or "", r[5], r[6])
        for r in rows
    ]
