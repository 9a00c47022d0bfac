"""The access log, retention runs and investigation cases (PRIVACY.md R5, R6, R9)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, utcnow


class AccessLogEntry(Base):
    """One entry of the append-only access log: who did what to which object, when.

    ``row_hash`` is SHA-256 over the previous row's hash and this row's content, so an
    altered, deleted or inserted row breaks the chain (``merkwacht accesslog verify``).
    """

    __tablename__ = "access_log"
    #: Ids never come back after the oldest rows are purged (SQLite would otherwise reuse them).
    __table_args__ = {"sqlite_autoincrement": True}  # noqa: RUF012 - SQLAlchemy's own convention

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    #: view_page | view_finding | export | inzage | review | case_open | case_approve | ...
    action: Mapped[str] = mapped_column(String(40))
    target: Mapped[str | None] = mapped_column(String(300))
    channel: Mapped[str] = mapped_column(String(20), default="cli")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: Unique: two writers can never both chain onto the same row (a fork is refused by the database).
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)
    row_hash: Mapped[str] = mapped_column(String(64), unique=True)


class AccessLogAnchor(Base):
    """Where the access-log chain starts after a retention purge removed its oldest rows.

    ``first_id`` is the oldest row kept and ``prev_hash`` the hash of the last row removed (which
    that kept row names as its ``prev_hash``). The purge also writes the anchor into a chained
    ``retention_anchor`` log entry, so an anchor altered afterwards no longer matches the chain.
    """

    __tablename__ = "access_log_anchors"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Id of the oldest access-log row kept; ``None`` when the purge removed every row.
    first_id: Mapped[int | None]
    #: The ``row_hash`` of the newest row removed: the kept chain continues from it.
    prev_hash: Mapped[str] = mapped_column(String(64))
    #: Id of the newest row removed.
    purged_through_id: Mapped[int]
    rows_purged: Mapped[int] = mapped_column(default=0)
    retention_run_id: Mapped[int | None] = mapped_column(ForeignKey("retention_runs.id", ondelete="SET NULL"))


class RetentionRun(Base):
    """One purge: what was due, what was deleted per data category, and a report that names no person."""

    __tablename__ = "retention_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    dry_run: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(20), default="running")
    triggered_by: Mapped[str] = mapped_column(String(200))
    #: {category: count} deleted (or due, in a dry run)
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: {category: retention period in days} in force
    periods: Mapped[dict[str, Any]] = mapped_column(default=dict)
    #: {category: count} past its period but kept by the legal hold of open investigation cases, and
    #: ``cases``: how many cases held something. Counts only: the cases themselves are in the access log.
    held: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default=text("'{}'"))
    report: Mapped[str | None] = mapped_column(Text)


class InvestigationCase(Base):
    """A documented, time-boxed investigation (R6): the only way to list findings per signature."""

    __tablename__ = "investigation_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[str] = mapped_column(String(200))
    approved_by: Mapped[str | None] = mapped_column(String(200))
    approved_at: Mapped[datetime | None]
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]
    close_reason: Mapped[str | None] = mapped_column(Text)
    scope_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    scope_signature: Mapped[str | None] = mapped_column(String(64))
    #: requested | approved | closed | expired (closed because its expiry passed)
    status: Mapped[str] = mapped_column(String(20), default="requested")
    closed_by: Mapped[str | None] = mapped_column(String(200))


class PseudonymKey(Base):
    """A pseudonymisation key that was in use (R4), known only by its fingerprint, never the key itself.

    ``fingerprint`` is an HMAC of a fixed text under the key: it tells keys apart and reveals
    nothing about them. ``retired_at`` is set when ``merkwacht pseudonyms rotate`` replaces it.
    """

    __tablename__ = "pseudonym_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(32), unique=True)
    activated_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_by: Mapped[str] = mapped_column(String(200))
    retired_at: Mapped[datetime | None]
