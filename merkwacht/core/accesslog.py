"""The append-only access log with a hash chain (PRIVACY.md R9).

Every row stores the hash of the row before it (``prev_hash``) and its own hash
(``row_hash`` = SHA-256 over ``prev_hash`` and the row's content). Changing a row's content
breaks its own hash; deleting a row or slipping one in between breaks the next row's link.
:func:`verify_chain` walks the rows in order and names the first row where the chain breaks.

Concurrent writers. The new row's ``prev_hash`` is read from the newest row, so two writers
must not read the same head. On PostgreSQL :func:`log_access` first takes a transaction-level
advisory lock (``pg_advisory_xact_lock``), held until the writer commits; under READ COMMITTED
the next writer then reads the committed head. On SQLite a no-op write takes the database's
write lock before the head is read (SQLite has a single writer). As a last line of defence
``prev_hash`` is unique: a fork is refused by the database, and the insert is retried in a
savepoint with the new head.

Retention. The purge (:mod:`merkwacht.core.retention`) removes rows older than their period
from the start of the chain. It first records an :class:`AccessLogAnchor` (the oldest row
kept and the hash of the newest row removed) and then appends a chained
``retention_anchor`` entry holding the same values, so the anchor itself is protected by
the chain. :func:`verify_chain` starts from the newest anchor instead of the genesis hash.

What the chain cannot show on its own: removal of the newest rows (the tail). The report
(``merkwacht accesslog verify``) prints the head hash and row count; a privacy officer who
notes them (or the evaluation report, which prints them) can pass ``expected_head`` later.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .errors import MerkwachtError
from .models import AccessLogAnchor, AccessLogEntry, utcnow
from .models.users import ROLES

#: The ``prev_hash`` of the very first row.
GENESIS = "0" * 64
CHANNELS = ("cli", "dashboard", "scheduler")
#: Roles a log entry may carry: the dashboard roles, an operator at the command line, the system (scheduler).
LOG_ROLES = (*ROLES, "operator", "system")
#: Arbitrary constant that names the access-log lock among PostgreSQL advisory locks.
_PG_LOCK_KEY = 0x6D65726B  # "merk"
_RETRIES = 5


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def content_hash(
    *,
    prev_hash: str,
    at: datetime,
    actor: str,
    role: str,
    action: str,
    target: str | None,
    channel: str,
    details: dict[str, Any] | None,
) -> str:
    """SHA-256 (hex) over the previous hash and a canonical JSON form of the row's content."""
    body = json.dumps(
        {
            "prev": prev_hash,
            "at": _iso(at),
            "actor": actor,
            "role": role,
            "action": action,
            "target": target,
            "channel": channel,
            "details": details or {},
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def row_hash_of(entry: AccessLogEntry) -> str:
    """The hash ``entry`` should carry, recomputed from its stored content."""
    return content_hash(
        prev_hash=entry.prev_hash,
        at=entry.at,
        actor=entry.actor,
        role=entry.role,
        action=entry.action,
        target=entry.target,
        channel=entry.channel,
        details=entry.details,
    )


def lock_for_append(session: Session) -> None:
    """Serialise appenders (and the purge) until this transaction ends: see the module docstring."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    elif dialect == "sqlite":
        # Any write statement takes SQLite's (single) write lock until the transaction ends.
        session.execute(text("UPDATE access_log SET id = id WHERE id < 0"))


def chain_head(*, session: Session) -> str:
    """The hash the next row must name as ``prev_hash``."""
    last = session.scalar(select(AccessLogEntry.row_hash).order_by(AccessLogEntry.id.desc()).limit(1))
    if last is not None:
        return last
    anchor = latest_anchor(session=session)
    return anchor.prev_hash if anchor is not None else GENESIS


def latest_anchor(*, session: Session) -> AccessLogAnchor | None:
    return session.scalar(select(AccessLogAnchor).order_by(AccessLogAnchor.id.desc()).limit(1))


def _canonical_details(details: dict[str, Any] | None) -> dict[str, Any]:
    if details is None:
        return {}
    if not isinstance(details, dict):
        raise MerkwachtError(f"details of an access-log entry must be a dict, not {type(details).__name__}")
    # Round-trip through JSON so what is hashed is exactly what the database gives back.
    return json.loads(json.dumps(details, sort_keys=True, ensure_ascii=False, default=str))


def log_access(
    *,
    session: Session,
    actor: str,
    role: str,
    action: str,
    target: str | None = None,
    channel: str = "cli",
    details: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AccessLogEntry:
    """Append one entry (who did what to which object) to the access log and return it.

    The row is flushed, not committed: it becomes permanent with the caller's transaction,
    so a view that fails and rolls back leaves no entry, and an entry never outlives what it
    records. ``at`` is for tests (frozen time); by default the current UTC time.
    """
    if not actor or not actor.strip():
        raise MerkwachtError("an access-log entry needs an actor (who did it)")
    if role not in LOG_ROLES:
        raise MerkwachtError(f"role {role!r} is not one of {', '.join(LOG_ROLES)}")
    if channel not in CHANNELS:
        raise MerkwachtError(f"channel {channel!r} is not one of {', '.join(CHANNELS)}")
    if not action or len(action) > 40:
        raise MerkwachtError(f"action {action!r} must be 1 to 40 characters")
    if target is not None:
        target = str(target)[:300]
    clean = _canonical_details(details)
    when = (at or utcnow()).astimezone(UTC)
    # The database keeps microseconds; hash what it keeps.
    lock_for_append(session)
    last_error: Exception | None = None
    for _attempt in range(_RETRIES):
        prev = chain_head(session=session)
        entry = AccessLogEntry(
            at=when,
            actor=actor.strip()[:200],
            role=role,
            action=action,
            target=target,
            channel=channel,
            details=clean,
            prev_hash=prev,
        )
        entry.row_hash = row_hash_of(entry)
        try:
            with session.begin_nested():
                session.add(entry)
                session.flush()
        except IntegrityError as exc:  # another writer chained onto the same head: read it again
            last_error = exc
            continue
        return entry
    raise MerkwachtError(f"the access log could not be appended to after {_RETRIES} attempts: {last_error}")


@dataclass(frozen=True)
class ChainReport:
    """The outcome of :func:`verify_chain`.

    ``ok`` is True when every row links to the one before and carries its own correct hash.
    Otherwise ``broken_id`` names the first row where the chain breaks and ``problem`` says how:
    ``altered`` (the row's content does not match its hash), ``link`` (its ``prev_hash`` is not
    the hash of the row before: a row was deleted or inserted before it, or the row before was
    altered and re-hashed), ``anchor`` (the start of the chain does not match the purge anchor),
    ``head`` (the newest hash is not the one expected: rows were removed from the end).
    """

    ok: bool
    rows_checked: int
    head_hash: str
    first_id: int | None = None
    last_id: int | None = None
    anchor_id: int | None = None
    broken_id: int | None = None
    problem: str | None = None
    message: str = ""
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "rows_checked": self.rows_checked,
            "head_hash": self.head_hash,
            "first_id": self.first_id,
            "last_id": self.last_id,
            "anchor_id": self.anchor_id,
            "broken_id": self.broken_id,
            "problem": self.problem,
            "message": self.message,
            "notes": list(self.notes),
        }


def _anchor_confirmed(session: Session, anchor: AccessLogAnchor) -> bool:
    """Is there a chained ``retention_anchor`` entry holding exactly this anchor's values?"""
    rows = session.scalars(
        select(AccessLogEntry).where(AccessLogEntry.action == "retention_anchor", AccessLogEntry.id > anchor.purged_through_id)
    )
    for row in rows:
        d = row.details or {}
        if (
            d.get("anchor_id") == anchor.id
            and d.get("prev_hash") == anchor.prev_hash
            and d.get("first_id") == anchor.first_id
            and d.get("purged_through_id") == anchor.purged_through_id
        ):
            return True
    return False


def verify_chain(*, session: Session, expected_head: str | None = None, batch_size: int = 2000) -> ChainReport:
    """Walk the access log in id order and check every link and every row hash.

    Returns a :class:`ChainReport` naming the first broken row, if any. ``expected_head`` (a
    head hash noted earlier) additionally detects rows removed from the end of the chain,
    as long as nothing was appended since; with appends, the noted head must still be found.
    """
    anchor = latest_anchor(session=session)
    expected_prev = anchor.prev_hash if anchor is not None else GENESIS
    anchor_id = anchor.id if anchor is not None else None
    checked = 0
    first_id: int | None = None
    last_id: int | None = None
    head = expected_prev
    seen_expected_head = expected_head is None or expected_head == head
    notes: list[str] = []

    def broken(row_id: int, problem: str, message: str) -> ChainReport:
        return ChainReport(
            ok=False, rows_checked=checked, head_hash=head, first_id=first_id, last_id=last_id,
            anchor_id=anchor_id, broken_id=row_id, problem=problem, message=message, notes=notes,
        )

    if anchor is not None:
        notes.append(
            f"chain starts at purge anchor {anchor.id} (rows up to id {anchor.purged_through_id} "
            f"removed by retention on {_iso(anchor.at)})"
        )
        if not _anchor_confirmed(session, anchor):
            return broken(
                anchor.first_id or 0, "anchor",
                f"purge anchor {anchor.id} is not confirmed by a retention_anchor entry in the chain: "
                "the anchor was altered, or log rows were removed outside a purge",
            )

    query = select(AccessLogEntry).order_by(AccessLogEntry.id).execution_options(yield_per=batch_size)
    for row in session.scalars(query):
        if first_id is None:
            first_id = row.id
            if anchor is not None and row.id <= anchor.purged_through_id:
                return broken(
                    row.id, "link",
                    f"row {row.id} lies before the purge anchor (rows up to {anchor.purged_through_id} were "
                    "removed): it was inserted afterwards",
                )
            if anchor is not None and anchor.first_id is not None and row.id != anchor.first_id:
                return broken(
                    row.id, "link",
                    f"the chain should start at row {anchor.first_id} (purge anchor {anchor.id}) but starts at "
                    f"row {row.id}: the first kept row was deleted",
                )
        if row.prev_hash != head:
            return broken(
                row.id, "link",
                f"row {row.id} does not link to the row before it"
                f"{f' (row {last_id})' if last_id is not None else ''}: a row was deleted or inserted here, "
                "or the row before was altered and re-hashed",
            )
        if row_hash_of(row) != row.row_hash:
            return broken(row.id, "altered", f"row {row.id} was altered: its content no longer matches its hash")
        head = row.row_hash
        last_id = row.id
        checked += 1
        if expected_head is not None and head == expected_head:
            seen_expected_head = True
    if not seen_expected_head:
        return broken(
            last_id or 0, "head",
            "the expected head hash was not found: rows were removed from the end of the log",
        )
    return ChainReport(
        ok=True, rows_checked=checked, head_hash=head, first_id=first_id, last_id=last_id, anchor_id=anchor_id,
        message=f"{checked} rows checked, chain intact", notes=notes,
    )
