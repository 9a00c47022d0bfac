"""What the privacy officer (admin role) reads: the access log itself and its chain check (R9).

The access log names people (who looked at what), so only the admin role reads it entry by
entry; the council sees it only as totals per action and role (``council.access_summary``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..accesslog import ChainReport, verify_chain
from ..models import AccessLogEntry
from .roles import Viewer, require_role


@dataclass(frozen=True)
class LogRow:
    entry_id: int
    at: datetime
    actor: str
    role: str
    action: str
    target: str | None
    channel: str
    details: dict[str, Any]


def access_log(
    *, session: Session, viewer: Viewer, limit: int = 200, action: str | None = None, actor: str | None = None
) -> tuple[int, list[LogRow]]:
    """The newest ``limit`` access-log entries (optionally of one action or actor) and the total count."""
    require_role(viewer, "admin")
    query = select(AccessLogEntry)
    count = select(func.count()).select_from(AccessLogEntry)
    if action:
        query, count = (
            query.where(AccessLogEntry.action == action),
            count.where(AccessLogEntry.action == action),
        )
    if actor:
        query, count = query.where(AccessLogEntry.actor == actor), count.where(AccessLogEntry.actor == actor)
    rows = [
        LogRow(e.id, e.at, e.actor, e.role, e.action, e.target, e.channel, dict(e.details or {}))
        for e in session.scalars(query.order_by(AccessLogEntry.id.desc()).limit(max(1, min(limit, 5000))))
    ]
    return int(session.scalar(count) or 0), rows


def check_chain(*, session: Session, viewer: Viewer) -> ChainReport:
    """The access log's hash-chain check (``merkwacht accesslog verify``)."""
    require_role(viewer, "admin")
    return verify_chain(session=session)
