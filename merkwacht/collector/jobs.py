"""Collection jobs for the scheduler (APScheduler 3.11).

One job per opted-in account, with a stable id (``collect:<account id>``), its own interval
(the account's or the default), jitter, ``coalesce=True`` and ``max_instances=1``. Job
functions are importable at module level, so a persistent job store can hold them by
reference; their arguments are only the account id (no URL, no credential).

A job re-reads the account when it runs: a revoked account is not requested at once, even
before the next re-sync removes its job. The job function also refuses to overlap with
itself for the same account within the process, whatever the scheduler does.

:data:`AFTER_COLLECTION` is the seam for work that follows a collection (analysis): the
scheduler process registers callables there; the collector package itself imports nothing
beyond ``core``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session, selectinload

from merkwacht.core import db
from merkwacht.core.models import Account, utcnow
from merkwacht.core.repository.accounts import collectable_accounts
from merkwacht.core.settings import get_settings

from .runner import RunResult, collect_account

log = logging.getLogger(__name__)

JOB_PREFIX = "collect:"
COLLECT_FUNC = "merkwacht.collector.jobs:collect_job"
MAX_JITTER_SECONDS = 300

#: Called with each finished run's result in the scheduler process (e.g. analysis after collection).
AFTER_COLLECTION: list[Callable[[RunResult], None]] = []

_locks: dict[int, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True, slots=True)
class JobSpec:
    """A job the scheduler should hold: id, function reference, keyword arguments and interval."""

    id: str
    func: str
    minutes: float
    kwargs: dict[str, Any] = field(default_factory=dict)
    name: str = ""
    jitter: int = 0


@dataclass(slots=True)
class SyncReport:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


def collection_job_id(account_id: int) -> str:
    return f"{JOB_PREFIX}{account_id}"


def collection_job_specs(*, session: Session, default_minutes: int | None = None) -> list[JobSpec]:
    """One job per account with an active opt-in."""
    default = default_minutes or get_settings().collect_interval_minutes
    specs = []
    for account in collectable_accounts(session=session):
        minutes = account.collect_interval_minutes or default
        specs.append(JobSpec(id=collection_job_id(account.id), func=COLLECT_FUNC, minutes=minutes,
                             kwargs={"account_id": account.id},
                             name=f"collect {account.platform} @{account.handle}",
                             jitter=min(MAX_JITTER_SECONDS, int(minutes * 60 * 0.1))))
    return specs


def _same(job: Any, spec: JobSpec) -> bool:
    trigger = job.trigger
    return (getattr(trigger, "interval", None) == timedelta(minutes=spec.minutes)
            and getattr(trigger, "jitter", None) == (spec.jitter or None)
            and dict(job.kwargs) == spec.kwargs and job.name == (spec.name or spec.id))


def apply_specs(scheduler: Any, specs: Iterable[JobSpec], *, managed_prefixes: tuple[str, ...] = (JOB_PREFIX,)
                ) -> SyncReport:
    """Make the scheduler hold exactly ``specs`` among jobs whose ids start with ``managed_prefixes``.

    Unchanged jobs are left alone (re-adding would restart their interval); changed ones are
    replaced (``replace_existing=True``); jobs no longer wanted are removed.
    """
    from apscheduler.triggers.interval import IntervalTrigger

    report = SyncReport()
    wanted = {spec.id: spec for spec in specs}
    for job in scheduler.get_jobs():
        if job.id.startswith(managed_prefixes) and job.id not in wanted:
            scheduler.remove_job(job.id)
            report.removed.append(job.id)
    for spec in wanted.values():
        existing = scheduler.get_job(spec.id)
        if existing is not None and _same(existing, spec):
            report.kept.append(spec.id)
            continue
        scheduler.add_job(spec.func, trigger=IntervalTrigger(minutes=spec.minutes, jitter=spec.jitter or None),
                          id=spec.id, name=spec.name or spec.id, kwargs=spec.kwargs, replace_existing=True,
                          coalesce=True, max_instances=1, misfire_grace_time=max(60, int(spec.minutes * 30)))
        (report.changed if existing is not None else report.added).append(spec.id)
    return report


def sync_collection_jobs(scheduler: Any, *, extra: Iterable[JobSpec] = (), engine: Any = None) -> SyncReport:
    """Register one collection job per opted-in account (plus ``extra`` specs), remove the rest."""
    engine = engine or db.get_engine(get_settings().database_url)
    with db.session_factory(engine)() as session:
        specs = collection_job_specs(session=session)
    extra = list(extra)
    prefixes = (JOB_PREFIX, *sorted({spec.id.split(":")[0] + ":" for spec in extra}))
    return apply_specs(scheduler, [*specs, *extra], managed_prefixes=prefixes)


def _lock_for(account_id: int) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(account_id, threading.Lock())


def recheck_due(account: Account, now: datetime, *, hours: dict[str, float]) -> bool:
    """Whether this pass should also recheck stored posts (``hours``: the ``recheck_hours`` setting).

    Only the platforms in ``hours`` are rechecked: a recheck reads stored posts again, which X charges
    for, so X is left out unless the organisation sets it.
    """
    every = hours.get(account.platform)
    if every is None:
        return False
    return account.last_recheck_at is None or now - account.last_recheck_at >= timedelta(hours=every)


def collect_job(*, account_id: int) -> str:
    """The scheduled job: one collection pass for one account. Returns the run status, ``skipped``
    (a pass for this account is still running) or ``not_collected`` (no active opt-in, or gone)."""
    lock = _lock_for(account_id)
    if not lock.acquire(blocking=False):
        log.info("collection of account %s is still running; this run is skipped", account_id)
        return "skipped"
    try:
        engine = db.get_engine(get_settings().database_url)
        with db.session_factory(engine)() as session:
            account = session.get(Account, account_id, options=[selectinload(Account.opt_ins)],
                                  populate_existing=True)
            if account is None or account.active_opt_in() is None:
                log.info("account %s has no active opt-in: not collected", account_id)
                return "not_collected"
            result = collect_account(session=session, account=account,
                                     recheck=recheck_due(account, utcnow(), hours=get_settings().recheck_hours))
        for hook in AFTER_COLLECTION:
            try:
                hook(result)
            except Exception:
                log.exception("after-collection step %r failed", hook)
        return result.status
    finally:
        lock.release()
