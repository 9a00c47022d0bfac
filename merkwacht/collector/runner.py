"""One collection pass for one account: fetch a page -> upsert its posts -> move the cursor, in ONE transaction.

Every page is committed together with the cursor that follows it, so the cursor moves only
with the data: a pass stopped anywhere (rate limit, error, killed process) and run again
neither loses nor doubles a post. Every pass leaves a collection-run record.

Nothing is requested for an account without an active opt-in (PRIVACY.md R2), nor before
the time a rate-limit answer named. Credentials are read from the environment for the
client only and never reach the database, the log or the run record.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from merkwacht.core.models import Account, CollectionRun, utcnow
from merkwacht.core.repository.accounts import require_collectable
from merkwacht.core.repository.posts import (
    StoreCounts,
    mark_deleted,
    mark_gone,
    recent_post_ids,
    record_history,
    upsert_posts,
)
from merkwacht.core.repository.runs import abandon_unfinished_runs, add_warning, finish_run, start_run
from merkwacht.core.settings import Settings, get_settings

from .base import AccountRef, Collector, Page
from .credentials import read_credentials
from .errors import CollectorError, platform_label
from .registry import collector_class
from .retry import RetryPolicy

log = logging.getLogger(__name__)

#: How many stored posts a recheck looks at.
RECHECK_POSTS = 100
#: The longest error message a run record keeps (an internal error's text can be long).
MESSAGE_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class RunResult:
    """The outcome of one pass, as plain data.

    ``error_code`` and ``error_message`` are what the run record stores (the message in English);
    ``error`` is the coded error itself, for a reader in another language (``error.text(lang)``).
    """

    run_id: int
    account_id: int
    handle: str
    platform: str
    status: str
    requests: int
    new: int
    updated: int
    deleted: int
    error_code: str | None = None
    error_message: str | None = None
    retry_after: datetime | None = None
    error: CollectorError | None = field(default=None, compare=False, repr=False)


def account_ref(account: Account) -> AccountRef:
    return AccountRef(id=account.id, platform=account.platform, handle=account.handle,
                      instance=account.instance or "", platform_account_id=account.platform_account_id)


def make_collector(account: Account, *, settings: Settings) -> Collector:
    """The platform's collector for ``account`` with its credentials from the environment."""
    cls = collector_class(account.platform)
    credentials = read_credentials(account.credentials_env, required=cls.required_credentials,
                                   optional=cls.optional_credentials)
    return cls(account=account_ref(account), credentials=credentials, settings=settings)


class _Pass:
    """State of one running pass (kept out of the ORM objects so a rollback cannot lose it)."""

    def __init__(self, *, session: Session, account: Account, run: CollectionRun, key: bytes, now: datetime,
                 before_commit: Callable[[Page], None] | None) -> None:
        self.session = session
        self.account = account
        self.run = run
        self.key = key
        self.now = now
        self.before_commit = before_commit
        self.counts = StoreCounts()
        self.requests = 0
        self.stored = 0

    def store(self, page: Page, *, move_cursor: bool = True) -> None:
        session, account = self.session, self.account
        counts = upsert_posts(session=session, account=account, posts=page.posts, seen_at=self.now, key=self.key)
        if page.gone_newer_than is not None:
            seen = page.seen_ids or [post.id for post in page.posts]
            counts.deleted += mark_gone(session=session, account=account, seen_ids=seen,
                                        newer_than=page.gone_newer_than, at=self.now)
        for post_id, versions in page.history.items():
            record_history(session=session, account=account, post_id=post_id,
                           versions=[(v.text, v.urls, v.edited_at) for v in versions])
        if page.gone_ids:
            counts.deleted += mark_deleted(session=session, account=account, ids=page.gone_ids, at=self.now)
        if move_cursor:
            account.cursor = dict(page.cursor)
        if page.platform_account_id and not account.platform_account_id:
            account.platform_account_id = page.platform_account_id
        for code, message in page.warnings:
            add_warning(run=self.run, code=code, message=message)
        self._record(counts)
        if self.before_commit is not None:
            self.before_commit(page)
        session.commit()
        self.counts.add(counts)
        self.stored += len(page.posts)

    def _record(self, counts: StoreCounts) -> None:
        run = self.run
        run.requests = self.requests
        run.posts_new = self.counts.new + counts.new
        run.posts_updated = self.counts.updated + counts.updated
        run.posts_deleted = self.counts.deleted + counts.deleted

    def result(self, *, error: CollectorError | None = None) -> RunResult:
        run = self.run
        return RunResult(run_id=run.id, account_id=self.account.id, handle=self.account.handle,
                         platform=self.account.platform, status=run.status, requests=run.requests,
                         new=run.posts_new, updated=run.posts_updated, deleted=run.posts_deleted,
                         error_code=run.error_code, error_message=run.error_message, retry_after=run.retry_after,
                         error=error)

    def fail(self, exc: CollectorError) -> RunResult:
        """End the pass with ``exc`` after a rollback: recorded as failed, or rate limited with its reset time."""
        self.session.rollback()
        self._record(StoreCounts())
        if exc.code == "E_RATE_LIMIT":
            self.account.next_allowed_at = exc.retry_after
            finish_run(session=self.session, run=self.run, status="rate_limited", error_code=exc.code,
                       error_message=exc.message, retry_after=exc.retry_after)
        else:
            finish_run(session=self.session, run=self.run, status="failed", error_code=exc.code,
                       error_message=exc.message[:MESSAGE_LIMIT])
        self.session.commit()
        return self.result(error=exc)


def collect_account(
    *,
    session: Session,
    account: Account,
    backfill: bool = False,
    recheck: bool = False,
    settings: Settings | None = None,
    sleep: Callable[[float], None] = time.sleep,
    progress: Callable[[int], None] | None = None,
    before_commit: Callable[[Page], None] | None = None,
    collector: Collector | None = None,
) -> RunResult:
    """Run one collection pass for ``account`` and record it; commits page by page through ``session``.

    Raises :class:`~merkwacht.core.errors.NotOptedIn` (before any request) for an account
    without an active opt-in. Everything else ends in the run record: ``ok``, ``nothing_new``,
    ``rate_limited`` (``Account.next_allowed_at`` says when to come back) or ``failed`` with a code.
    ``before_commit`` is called with each page just before its transaction commits (tests inject crashes).
    """
    settings = settings or get_settings()
    require_collectable(account)
    key = settings.require_pseudonym_key()
    now = utcnow()
    base_settings: dict[str, Any] = {"http_timeout": settings.http_timeout, "http_retries": settings.http_retries,
                                     "http_backoff": settings.http_backoff, "backfill": backfill, "recheck": recheck}
    abandon_unfinished_runs(session=session, account=account, at=now)
    if account.next_allowed_at is not None and account.next_allowed_at > now:
        run = start_run(session=session, account=account, backfill=backfill, settings=base_settings, at=now)
        error = CollectorError("E_RATE_LIMIT", code="rate_limit.not_asked", at=account.next_allowed_at.astimezone(UTC),
                               retry_after=account.next_allowed_at)
        finish_run(session=session, run=run, status="rate_limited", error_code=error.code,
                   error_message=error.message, retry_after=error.retry_after)
        session.commit()
        return _Pass(session=session, account=account, run=run, key=key, now=now, before_commit=None).result(
            error=error)

    run = start_run(session=session, account=account, backfill=backfill, settings=base_settings, at=now)
    session.commit()
    state = _Pass(session=session, account=account, run=run, key=key, now=now, before_commit=before_commit)
    policy = RetryPolicy(retries=settings.http_retries, backoff=settings.http_backoff, sleep=sleep)

    def warn_retry(exc: CollectorError, attempt: int) -> None:
        log.info("retry %d for %s %s after %s", attempt, account.platform, account.display_handle, exc)

    try:
        if collector is None:
            collector = make_collector(account, settings=settings)
        run.settings = {**base_settings, **collector.settings_in_force()}
        cursor = account.cursor
        while True:
            try:
                page = policy.call(lambda cursor=cursor: collector.fetch_page(cursor=cursor, backfill=backfill),
                                   on_retry=warn_retry)
            finally:
                state.requests = collector.requests
            state.store(page)
            cursor = page.cursor
            if progress is not None:
                progress(state.stored)
            if page.done:
                break
        if recheck:
            known = recent_post_ids(session=session, account=account, limit=RECHECK_POSTS)
            try:
                checked = policy.call(lambda: collector.recheck(known_ids=known, cursor=account.cursor),
                                      on_retry=warn_retry)
            finally:
                state.requests = collector.requests
            if checked is not None:
                account.last_recheck_at = now
                state.store(checked, move_cursor=False)
    except CollectorError as exc:
        state.requests = getattr(collector, "requests", state.requests)
        return state.fail(exc)
    except ValidationError as exc:  # a payload that does not make a valid Post: malformed, like bad JSON
        state.requests = getattr(collector, "requests", state.requests)
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ()))
        return state.fail(CollectorError("E_MALFORMED", code="malformed.invalid_post",
                                         platform=platform_label(account.platform), field=where,
                                         detail=first.get("msg", str(exc))))
    except Exception as exc:  # a crash ends this account's pass, recorded, not the process
        session.rollback()
        log.exception("collection of %s %s failed", account.platform, account.display_handle)
        state.requests = getattr(collector, "requests", state.requests)
        return state.fail(CollectorError("E_INTERNAL", code="internal.crash", kind=type(exc).__name__,
                                         detail=str(exc)))
    except BaseException:
        session.rollback()
        raise

    state._record(StoreCounts())
    changed = state.counts.new + state.counts.updated + state.counts.deleted
    account.next_allowed_at = None
    account.last_successful_collection_at = utcnow()
    finish_run(session=session, run=run, status="ok" if changed else "nothing_new")
    session.commit()
    return state.result()
