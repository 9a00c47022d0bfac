"""`merkwacht schedule`: the scheduler process (APScheduler 3.11 BlockingScheduler).

Jobs live in a persistent SQLAlchemy job store in the same database (table
``apscheduler_jobs``, left alone by Alembic): one collection job per opted-in account, kept in
step with the register by a re-sync every few minutes (held in memory, not persisted).
The process stops cleanly on SIGTERM and SIGINT, letting running jobs finish their page.

Seams for the other packages' periodic work:

* :data:`EXTRA_JOB_SPECS` — more persistent jobs (``JobSpec`` with a module-level function
  reference), e.g. the daily retention purge and the periodic report; ids need a prefix of
  their own (``purge:daily``) so the re-sync manages them.
* :data:`merkwacht.collector.jobs.AFTER_COLLECTION` — called after each collection run;
  analysis of what is new is wired there when ``merkwacht.analysis`` provides it.
"""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, datetime
from typing import Any

import click

from merkwacht.collector import jobs
from merkwacht.collector.jobs import JobSpec
from merkwacht.collector.runner import RunResult
from merkwacht.core import db
from merkwacht.core.settings import get_settings

from .context import console, handle_errors
from .helptext import Command
from .messages import msg
from .privacy import DAILY_PRIVACY_JOB, PERIODIC_REPORT_JOB

log = logging.getLogger(__name__)

#: Persistent jobs besides collection: the daily purge (with case expiry) and the quarterly report.
EXTRA_JOB_SPECS: list[JobSpec] = [JobSpec(**DAILY_PRIVACY_JOB), JobSpec(**PERIODIC_REPORT_JOB)]
RESYNC_MINUTES = 5
_analysis_lock = threading.Lock()


def analyse_after_collection(result: RunResult) -> None:
    """Analyse what a collection run added or changed (one analysis at a time)."""
    if result.new + result.updated + result.deleted == 0:
        return
    from merkwacht.analysis.database import analyse_database
    from merkwacht.analysis.packs import load_pack

    settings = get_settings()
    with _analysis_lock, db.session_scope(db.get_engine(settings.database_url)) as session:
        summary = analyse_database(session=session, pack=load_pack(settings.policy),
                                   batch_size=settings.analysis_batch_size)
    log.info("analysis after collecting @%s: %s", result.handle, summary)


def _wire_analysis() -> None:
    try:
        import merkwacht.analysis.database as analysis_db  # noqa: F401
    except ImportError:  # analysis not available in this installation
        return
    if analyse_after_collection not in jobs.AFTER_COLLECTION:
        jobs.AFTER_COLLECTION.append(analyse_after_collection)


def build_scheduler(*, blocking: bool = True, engine: Any = None) -> Any:
    """A scheduler with the persistent job store in the configured database and a memory store for the re-sync."""
    from apscheduler.executors.pool import ThreadPoolExecutor
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    engine = engine or db.get_engine(get_settings().database_url)
    cls = BlockingScheduler if blocking else BackgroundScheduler
    return cls(
        jobstores={"default": SQLAlchemyJobStore(engine=engine, tablename=db.SCHEDULER_TABLE),
                   "memory": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=4)},
        job_defaults={"coalesce": True, "max_instances": 1},
        timezone=UTC,
    )


def resync(scheduler: Any, *, engine: Any = None) -> jobs.SyncReport:
    report = jobs.sync_collection_jobs(scheduler, extra=EXTRA_JOB_SPECS, engine=engine)
    if report.added or report.changed or report.removed:
        log.info("jobs: added %s, changed %s, removed %s", report.added, report.changed, report.removed)
    return report


def prepare(scheduler: Any, *, engine: Any = None) -> jobs.SyncReport:
    """Sync the jobs once and add the in-memory re-sync job (before ``start()``)."""
    from apscheduler.triggers.interval import IntervalTrigger

    if not scheduler.running:
        # jobs can only be looked up in the stores once they are started
        scheduler.start(paused=True)
    report = resync(scheduler, engine=engine)
    scheduler.add_job(resync, trigger=IntervalTrigger(minutes=RESYNC_MINUTES), args=[scheduler],
                      kwargs={"engine": engine}, id="resync", jobstore="memory", replace_existing=True,
                      coalesce=True, max_instances=1)
    return report


@click.command("schedule", cls=Command)
@click.option("--once", is_flag=True)
@handle_errors
def schedule(once: bool) -> None:
    """Run the scheduler in the foreground: one collection job per opted-in account."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    get_settings().require_pseudonym_key()
    _wire_analysis()
    scheduler = build_scheduler(blocking=not once)
    if once:
        report = prepare(scheduler)
        for job in scheduler.get_jobs(jobstore="default"):
            console.print(msg("schedule.job", id=job.id, name=job.name, next=job.next_run_time))
        console.print(msg("schedule.synced", added=len(report.added), changed=len(report.changed),
                          removed=len(report.removed), kept=len(report.kept)))
        scheduler.shutdown(wait=False)
        return

    def stop(signum: int, _frame: Any) -> None:
        console.print(msg("schedule.stopping", signal=signum))
        threading.Thread(target=scheduler.shutdown, kwargs={"wait": True}, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    # BlockingScheduler.start() blocks, so the jobs are synced by the re-sync job's immediate first run.
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler.add_job(resync, trigger=IntervalTrigger(minutes=RESYNC_MINUTES), args=[scheduler], id="resync",
                      jobstore="memory", replace_existing=True, coalesce=True, max_instances=1,
                      next_run_time=datetime.now(UTC))
    console.print(msg("schedule.started"))
    scheduler.start()
    console.print(msg("schedule.stopped"))


def register(cli: click.Group) -> None:
    cli.add_command(schedule)
