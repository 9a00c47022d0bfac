"""One brand account in detail: registration, opt-in record, collection runs, posts and findings.

Post-level: comms and admin only; the council role is refused here (PRIVACY.md R10).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import NotFound
from ..models import Account, CollectionRun, Finding, OptIn, Post
from .roles import Viewer, require_post_level


@dataclass(frozen=True)
class AccountRef:
    account_id: int
    platform: str
    handle: str
    instance: str
    unit: str
    status: str

    @property
    def label(self) -> str:
        where = f" · {self.instance.split('://', 1)[-1]}" if self.instance else ""
        return f"@{self.handle} ({self.platform}{where})"


@dataclass(frozen=True)
class OptInRecord:
    granted_by: str
    granted_role: str
    granted_at: datetime
    purpose: str
    revoked_at: datetime | None
    revoked_by: str | None
    revoke_reason: str | None


@dataclass(frozen=True)
class RunRecord:
    run_id: int
    started_at: datetime
    finished_at: datetime | None
    status: str
    backfill: bool
    requests: int
    posts_new: int
    posts_updated: int
    posts_deleted: int
    error: str | None
    retry_after: datetime | None
    warnings: int
    #: The run's E_* code and its message as stored (``error`` joins them).
    error_code: str | None = None
    error_message: str | None = None


@dataclass(frozen=True)
class PostRow:
    post_id: int
    platform_post_id: str
    created_at: datetime
    kind: str
    lang: str | None
    text: str
    edited: bool
    deleted: bool
    findings: int


@dataclass(frozen=True)
class AccountDetail:
    ref: AccountRef
    purpose: str
    display_name: str | None
    platform_account_id: str | None
    credentials_env: str | None
    credentials_rotated_at: datetime | None
    next_allowed_at: datetime | None
    registered_at: datetime
    opt_ins: list[OptInRecord]
    runs: list[RunRecord]
    posts_total: int
    posts: list[PostRow]
    findings_by_rule_status: dict[str, dict[str, int]]


def _ref(account: Account) -> AccountRef:
    return AccountRef(
        account.id, account.platform, account.handle, account.instance, account.unit, account.status
    )


def account_list(*, session: Session, viewer: Viewer) -> list[AccountRef]:
    """Every registered account, by platform and handle."""
    require_post_level(viewer)
    return [_ref(a) for a in session.scalars(select(Account).order_by(Account.platform, Account.handle_key))]


def account_detail(
    *,
    session: Session,
    viewer: Viewer,
    account_id: int,
    post_limit: int = 25,
    post_offset: int = 0,
    run_limit: int = 20,
) -> AccountDetail:
    """The account, its opt-ins, latest runs, a page of its newest posts and its findings per rule and status."""
    require_post_level(viewer)
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(code="accounts.no_such_id", id=account_id)
    opt_ins = [
        OptInRecord(
            o.granted_by, o.granted_role, o.granted_at, o.purpose, o.revoked_at, o.revoked_by, o.revoke_reason
        )
        for o in session.scalars(
            select(OptIn).where(OptIn.account_id == account_id).order_by(OptIn.granted_at)
        )
    ]
    runs = [
        RunRecord(
            r.id,
            r.started_at,
            r.finished_at,
            r.status,
            r.backfill,
            r.requests,
            r.posts_new,
            r.posts_updated,
            r.posts_deleted,
            ": ".join(x for x in (r.error_code, r.error_message) if x) or None,
            r.retry_after,
            len(r.warnings or []),
            r.error_code,
            r.error_message,
        )
        for r in session.scalars(
            select(CollectionRun)
            .where(CollectionRun.account_id == account_id)
            .order_by(CollectionRun.started_at.desc(), CollectionRun.id.desc())
            .limit(run_limit)
        )
    ]
    total = session.scalar(select(func.count()).select_from(Post).where(Post.account_id == account_id)) or 0
    page = session.execute(
        select(
            Post.id,
            Post.platform_post_id,
            Post.created_at,
            Post.kind,
            Post.lang,
            Post.text,
            Post.edited_at,
            Post.deleted_at,
        )
        .where(Post.account_id == account_id)
        .order_by(Post.created_at.desc(), Post.id.desc())
        .limit(max(1, min(post_limit, 200)))
        .offset(max(0, post_offset))
    ).all()
    ids = [row[0] for row in page]
    per_post = (
        dict(
            session.execute(
                select(Finding.post_id, func.count())
                .where(Finding.post_id.in_(ids), Finding.superseded_at.is_(None))
                .group_by(Finding.post_id)
            ).all()
        )
        if ids
        else {}
    )
    posts = [
        PostRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6] is not None, r[7] is not None, per_post.get(r[0], 0))
        for r in page
    ]
    by_rule: dict[str, dict[str, int]] = {}
    for rule, status, count in session.execute(
        select(Finding.rule, Finding.status, func.count())
        .where(Finding.account_id == account_id, Finding.superseded_at.is_(None))
        .group_by(Finding.rule, Finding.status)
    ):
        by_rule.setdefault(rule, {})[status] = count
    return AccountDetail(
        ref=_ref(account),
        purpose=account.purpose,
        display_name=account.display_name,
        platform_account_id=account.platform_account_id,
        credentials_env=account.credentials_env,
        credentials_rotated_at=account.credentials_rotated_at,
        next_allowed_at=account.next_allowed_at,
        registered_at=account.created_at,
        opt_ins=opt_ins,
        runs=runs,
        posts_total=total,
        posts=posts,
        findings_by_rule_status=by_rule,
    )
