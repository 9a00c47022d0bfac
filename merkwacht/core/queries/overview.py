"""The comms overview: each brand account's health at a glance, and weekly trends.

Post-level (it names accounts and counts their findings): comms and admin only; the
council role is refused here, in the query layer (PRIVACY.md R10).

Built for large databases: every figure is a grouped count over an index
(``posts(account_id, created_at)``, ``posts(created_at)``, ``findings(status, rule)``,
``collection_runs(account_id, started_at)``), never a scan of post text.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from ..models import Account, CollectionRun, Finding, PolicyVersion, Post
from .roles import Viewer, require_post_level

#: Run statuses that count as a successful collection.
SUCCESS_STATUSES = ("ok", "nothing_new", "success", "partial")
#: An account without a post for this many days is dormant (Leiden: an account needs upkeep), unless the
#: pack in force says otherwise (``accounts.dormant_after_days``).
DORMANT_DAYS = 90
#: Credentials older than this many days are overdue for rotation (Leiden 9), unless the pack says otherwise
#: (``accounts.credentials_rotation_days``).
ROTATION_DAYS = 180
#: Replies of this many recent days make up the reply tone figure.
TONE_DAYS = 30


@dataclass(frozen=True)
class AccountHealth:
    """One row of the overview. ``open_by_rule`` maps rule -> {severity: count} of open findings."""

    account_id: int
    platform: str
    handle: str
    instance: str
    unit: str
    status: str
    last_success_at: datetime | None
    last_run_status: str | None
    last_run_error: str | None
    last_post_at: datetime | None
    posts_this_month: int
    open_findings: int
    open_by_rule: dict[str, dict[str, int]] = field(default_factory=dict)
    replies_recent: int = 0
    replies_off_tone: int = 0
    dormant: bool = False
    rate_limited_until: datetime | None = None
    credentials_overdue: bool = False
    credentials_rotated_at: datetime | None = None
    #: The E_* code of the latest run (``last_run_error`` is code and message).
    last_run_error_code: str | None = None

    @property
    def off_tone_share(self) -> float | None:
        return self.replies_off_tone / self.replies_recent if self.replies_recent else None


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def account_health(
    *,
    session: Session,
    viewer: Viewer,
    now: datetime | None = None,
    dormant_days: int | None = None,
    rotation_days: int | None = None,
) -> list[AccountHealth]:
    """The health of every registered account, ordered by platform and handle.

    The dormancy and rotation periods come from the pack in force unless given.
    """
    require_post_level(viewer)
    now = _now(now)
    expected = _account_expectations(session)
    dormant_days = dormant_days or expected.get("dormant_after_days") or DORMANT_DAYS
    rotation_days = rotation_days or expected.get("credentials_rotation_days") or ROTATION_DAYS
    month_start = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    tone_start = now - timedelta(days=TONE_DAYS)

    last_post = select(func.max(Post.created_at)).where(Post.account_id == Account.id).scalar_subquery()
    last_success = (
        select(func.max(CollectionRun.finished_at))
        .where(CollectionRun.account_id == Account.id, CollectionRun.status.in_(SUCCESS_STATUSES))
        .scalar_subquery()
    )
    accounts = session.execute(
        select(Account, last_post.label("last_post"), last_success.label("last_success")).order_by(
            Account.platform, Account.handle_key
        )
    ).all()

    posts_month = dict(
        session.execute(
            select(Post.account_id, func.count())
            .where(Post.created_at >= month_start)
            .group_by(Post.account_id)
        ).all()
    )
    open_by: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for account_id, rule, severity, count in session.execute(
        select(Finding.account_id, Finding.rule, Finding.severity, func.count())
        .where(Finding.status == "open", Finding.superseded_at.is_(None))
        .group_by(Finding.account_id, Finding.rule, Finding.severity)
    ):
        open_by[account_id][rule][severity] = count
    replies = dict(
        session.execute(
            select(Post.account_id, func.count())
            .where(Post.created_at >= tone_start, Post.kind == "reply")
            .group_by(Post.account_id)
        ).all()
    )
    off_tone = dict(
        session.execute(
            select(Post.account_id, func.count(func.distinct(Post.id)))
            .join(Finding, Finding.post_id == Post.id)
            .where(
                Post.created_at >= tone_start,
                Post.kind == "reply",
                Finding.rule == "off_tone",
                Finding.status != "dismissed",
                Finding.superseded_at.is_(None),
            )
            .group_by(Post.account_id)
        ).all()
    )
    last_runs = _last_runs(session)

    rows = []
    for account, last_post_at, last_success_at in accounts:
        run = last_runs.get(account.id)
        by_rule = {rule: dict(sev) for rule, sev in open_by.get(account.id, {}).items()}
        limited = (
            account.next_allowed_at if account.next_allowed_at and account.next_allowed_at > now else None
        )
        overdue = bool(account.credentials_env) and (
            account.credentials_rotated_at is None
            or account.credentials_rotated_at < now - timedelta(days=rotation_days)
        )
        rows.append(
            AccountHealth(
                account_id=account.id,
                platform=account.platform,
                handle=account.handle,
                instance=account.instance,
                unit=account.unit,
                status=account.status,
                last_success_at=last_success_at,
                last_run_status=run[0] if run else None,
                last_run_error=run[1] if run else None,
                last_post_at=last_post_at,
                posts_this_month=posts_month.get(account.id, 0),
                open_findings=sum(sum(s.values()) for s in by_rule.values()),
                open_by_rule=by_rule,
                replies_recent=replies.get(account.id, 0),
                replies_off_tone=off_tone.get(account.id, 0),
                dormant=account.status == "active"
                and (last_post_at is None or last_post_at < now - timedelta(days=dormant_days)),
                rate_limited_until=limited,
                credentials_overdue=overdue,
                credentials_rotated_at=account.credentials_rotated_at,
                last_run_error_code=run[2] if run else None,
            )
        )
    return rows


def _account_expectations(session: Session) -> dict[str, int]:
    """``accounts`` of the pack document analysis last ran under (dormancy and rotation periods)."""
    document = session.scalar(
        select(PolicyVersion.document).order_by(PolicyVersion.last_used_at.desc()).limit(1)
    )
    values = (document or {}).get("accounts") or {}
    out = {}
    for key in ("dormant_after_days", "credentials_rotation_days"):
        try:
            out[key] = int(values[key])
        except (KeyError, TypeError, ValueError):
            continue
    return out


def _last_runs(session: Session) -> dict[int, tuple[str, str | None, str | None]]:
    """The status, error (code and message) and error code of each account's latest collection run."""
    latest = (
        select(CollectionRun.account_id, func.max(CollectionRun.started_at).label("started"))
        .where(CollectionRun.account_id.is_not(None))
        .group_by(CollectionRun.account_id)
        .subquery()
    )
    result: dict[int, tuple[str, str | None, str | None]] = {}
    for account_id, status, code, message in session.execute(
        select(
            CollectionRun.account_id,
            CollectionRun.status,
            CollectionRun.error_code,
            CollectionRun.error_message,
        )
        .join(
            latest,
            and_(
                latest.c.account_id == CollectionRun.account_id, latest.c.started == CollectionRun.started_at
            ),
        )
        .order_by(CollectionRun.id)
    ):
        error = ": ".join(x for x in (code, message) if x) or None
        result[account_id] = (status, error, code)
    return result


@dataclass(frozen=True)
class TrendPoint:
    """Posts and findings of one week (starting Monday) for one account."""

    week: date
    account: str
    posts: int
    findings: int


def _week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def weekly_trend(
    *,
    session: Session,
    viewer: Viewer,
    weeks: int = 12,
    now: datetime | None = None,
    account_id: int | None = None,
) -> list[TrendPoint]:
    """Posts and their findings per week and account over the last ``weeks`` weeks (UTC days)."""
    require_post_level(viewer)
    now = _now(now)
    start_day = _week_start(now.date()) - timedelta(weeks=weeks - 1)
    start = datetime.combine(start_day, datetime.min.time(), tzinfo=UTC)
    handles = {
        a_id: f"{platform}:@{handle}"
        for a_id, platform, handle in session.execute(select(Account.id, Account.platform, Account.handle))
    }

    def count(query) -> dict[tuple[int, date], int]:  # type: ignore[no-untyped-def]
        if account_id is not None:
            query = query.where(Post.account_id == account_id)
        counts: dict[tuple[int, date], int] = defaultdict(int)
        for a_id, d, n in session.execute(query):
            counts[(a_id, _week_start(_as_date(d)))] += n
        return counts

    day = func.date(Post.created_at)
    posts = count(
        select(Post.account_id, day, func.count())
        .where(Post.created_at >= start)
        .group_by(Post.account_id, day)
    )
    # Findings are counted in the week of the post they are about, so a re-analysis moves nothing.
    findings = count(
        select(Post.account_id, day, func.count())
        .join(Finding, Finding.post_id == Post.id)
        .where(Post.created_at >= start, Finding.superseded_at.is_(None))
        .group_by(Post.account_id, day)
    )
    keys = sorted(set(posts) | set(findings), key=lambda k: (k[1], handles.get(k[0], "")))
    return [
        TrendPoint(
            week=w,
            account=handles.get(a, str(a)),
            posts=posts.get((a, w), 0),
            findings=findings.get((a, w), 0),
        )
        for a, w in keys
    ]
