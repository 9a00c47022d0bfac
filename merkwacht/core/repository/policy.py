"""The policy versions analysis has run under (PRIVACY.md R1): which pack, which hash, agreed when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import PolicyVersion
from ..models.base import utcnow


def record_policy_version(
    *,
    session: Session,
    pack: str,
    version: str,
    pack_hash: str,
    agreed_at: datetime | None,
    agreed_hash: str | None,
    document: dict[str, Any],
    now: datetime | None = None,
) -> PolicyVersion:
    """Record that analysis runs under this pack version now; the first use adds a row, later uses
    move ``last_used_at``. The document (the whole pack with clause wording) is kept as it was loaded."""
    now = now or utcnow()
    row = session.scalar(
        select(PolicyVersion).where(PolicyVersion.pack == pack, PolicyVersion.pack_hash == pack_hash)
    )
    if row is None:
        row = PolicyVersion(
            pack=pack,
            version=version,
            pack_hash=pack_hash,
            agreed_at=agreed_at,
            agreed_hash=agreed_hash,
            document=document,
            first_used_at=now,
            last_used_at=now,
        )
        session.add(row)
    else:
        row.last_used_at = max(row.last_used_at, now)
        row.agreed_at = agreed_at
        row.agreed_hash = agreed_hash
    session.flush()
    return row
