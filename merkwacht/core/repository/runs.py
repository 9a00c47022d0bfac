"""Collection-run records: one per collection pass of one account.

A run records the account, when it started and finished, its status (``running``, ``ok``,
``nothing_new``, ``rate_limited``, ``failed``, ``refused``), requests made, posts new, updated
and deleted, a coded error with its message, coded warnings and the settings in force.
It never holds a credential: :func:`start_run` refuses settings whose names look secret.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import Account, CollectionRun, utcnow

RUN_STATUSES = ("running", "ok", "nothing_new", "rate_limited", "failed", "refused")
_SECRET_NAME = re.compile(r"token|secret|password|bearer|key|credential", re.IGNORECASE)


def _check_no_secrets(settings: dict[str, Any]) -> None:
    for name in settings:
        if _SECRET_NAME.search(name):
            raise ValueError(f"setting {name!r} looks like a secret and may not be kept in a run record")


def start_run(
    *, session: Session, account: Account, backfill: bool = False, settings: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> CollectionRun:
    """Open a run record (status ``running``)."""
    settings = dict(settings or {})
    _check_no_secrets(settings)
    run = CollectionRun(account_id=account.id, platform=account.platform, started_at=at or utcnow(),
                        status="running", backfill=backfill, settings=settings, warnings=[])
    session.add(run)
    session.flush()
    return run


def add_warning(*, run: CollectionRun, code: str, message: str) -> None:
    run.warnings = [*(run.warnings or []), {"code": code, "message": message}]


def finish_run(
    *, session: Session, run: CollectionRun, status: str, error_code: str | None = None,
    error_message: str | None = None, retry_after: datetime | None = None, at: datetime | None = None,
) -> CollectionRun:
    """Close a run with its final status and, when it did not succeed, a coded error."""
    if status not in RUN_STATUSES or status == "running":
        raise ValueError(f"a run cannot finish with status {status!r}")
    run.status = status
    run.finished_at = at or utcnow()
    run.error_code = error_code
    run.error_message = error_message
    run.retry_after = retry_after
    session.flush()
    return run


def abandon_unfinished_runs(*, session: Session, account: Account, at: datetime | None = None) -> int:
    """Close runs of the account still marked ``running`` (their process ended) as failed ``E_ABORTED``."""
    result = session.execute(
        update(CollectionRun)
        .where(CollectionRun.account_id == account.id, CollectionRun.status == "running")
        .values(status="failed", finished_at=at or utcnow(), error_code="E_ABORTED",
                error_message="the run did not finish: its process ended before it could record a result")
    )
    return result.rowcount or 0


def runs_for_account(*, session: Session, account: Account, limit: int = 50) -> list[CollectionRun]:
    query = (select(CollectionRun).where(CollectionRun.account_id == account.id)
             .order_by(CollectionRun.started_at.desc(), CollectionRun.id.desc()).limit(limit))
    return list(session.scalars(query))
