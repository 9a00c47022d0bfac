"""The access log's hash chain detects altered, deleted and inserted rows (R9)."""

from __future__ import annotations

import itertools
import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.exc import IntegrityError

from merkwacht.core import db
from merkwacht.core.accesslog import GENESIS, content_hash, log_access, verify_chain
from merkwacht.core.errors import MerkwachtError
from merkwacht.core.models import AccessLogEntry

T0 = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def _fill(session, n=5):
    return [
        log_access(session=session, actor=f"user{i}", role="comms", action="view_page", target=f"/page/{i}",
                   channel="dashboard", details={"i": i, "q": "é"}, at=T0 + timedelta(minutes=i))
        for i in range(n)
    ]


def test_intact_chain_verifies(session):
    rows = _fill(session)
    assert rows[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.row_hash for a, b in itertools.pairwise(rows))
    report = verify_chain(session=session)
    assert report.ok, report.message
    assert report.rows_checked == 5 and report.head_hash == rows[-1].row_hash


def test_empty_log_verifies(session):
    report = verify_chain(session=session)
    assert report.ok and report.rows_checked == 0 and report.head_hash == GENESIS


def test_altered_row_is_named(session):
    rows = _fill(session)
    session.execute(update(AccessLogEntry).where(AccessLogEntry.id == rows[2].id).values(actor="someone-else"))
    session.expire_all()
    report = verify_chain(session=session)
    assert not report.ok
    assert report.broken_id == rows[2].id and report.problem == "altered"


def test_altered_and_rehashed_row_breaks_next_link(session):
    rows = _fill(session)
    target = rows[1]
    new_hash = content_hash(prev_hash=target.prev_hash, at=target.at, actor="forged", role=target.role,
                            action=target.action, target=target.target, channel=target.channel, details=target.details)
    session.execute(update(AccessLogEntry).where(AccessLogEntry.id == target.id).values(actor="forged", row_hash=new_hash))
    session.expire_all()
    report = verify_chain(session=session)
    assert not report.ok and report.broken_id == rows[2].id and report.problem == "link"


def test_deleted_row_is_detected(session):
    rows = _fill(session)
    session.execute(delete(AccessLogEntry).where(AccessLogEntry.id == rows[3].id))
    session.expire_all()
    report = verify_chain(session=session)
    assert not report.ok and report.broken_id == rows[4].id and report.problem == "link"


def test_deleted_first_row_is_detected(session):
    rows = _fill(session)
    session.execute(delete(AccessLogEntry).where(AccessLogEntry.id == rows[0].id))
    session.expire_all()
    report = verify_chain(session=session)
    assert not report.ok and report.broken_id == rows[1].id


def test_inserted_row_is_detected(session):
    rows = _fill(session)
    ids = [r.id for r in rows]
    session.expunge_all()
    # Moving the newest row up leaves a gap in the ids; the chain itself is still intact.
    session.execute(text("UPDATE access_log SET id = :new WHERE id = :old"), {"new": ids[4] + 100, "old": ids[4]})
    assert verify_chain(session=session).ok
    # Slip a well-formed row into the gap. prev_hash is unique, so it cannot claim row 3's hash.
    at = T0 + timedelta(minutes=3, seconds=30)
    prev = rows[4].row_hash
    forged = content_hash(prev_hash=prev, at=at, actor="intruder", role="admin", action="export",
                          target=None, channel="cli", details={})
    session.add(AccessLogEntry(id=ids[4] + 1, at=at, actor="intruder", role="admin", action="export",
                               target=None, channel="cli", details={}, prev_hash=prev, row_hash=forged))
    session.flush()
    report = verify_chain(session=session)
    assert not report.ok and report.broken_id == ids[4] + 1 and report.problem == "link"


def test_expected_head_detects_truncated_tail(session):
    rows = _fill(session)
    head = rows[-1].row_hash
    assert verify_chain(session=session, expected_head=head).ok
    session.execute(delete(AccessLogEntry).where(AccessLogEntry.id == rows[-1].id))
    session.expire_all()
    report = verify_chain(session=session, expected_head=head)
    assert not report.ok and report.problem == "head"


def test_fork_on_same_head_is_refused_by_the_database(session):
    rows = _fill(session, 2)
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(AccessLogEntry(at=T0, actor="x", role="admin", action="view_page", channel="cli", details={},
                                   prev_hash=rows[0].prev_hash, row_hash="a" * 64))
        session.flush()


@pytest.mark.parametrize("kwargs, field", [
    ({"actor": " "}, "actor"), ({"role": "boss"}, "role"), ({"channel": "fax"}, "channel"), ({"action": ""}, "action"),
])
def test_bad_entries_are_refused_with_the_field_named(session, kwargs, field):
    base = {"session": session, "actor": "a", "role": "admin", "action": "view_page"}
    base.update(kwargs)
    with pytest.raises(MerkwachtError, match=field):
        log_access(**base)


def test_concurrent_writers_keep_one_chain(engine):
    """Eight threads append at once, each in its own committed transaction: one unbroken chain results."""
    marker = f"concurrency-{id(engine)}"

    def work(n: int) -> None:
        for j in range(5):
            with db.session_scope(engine) as s:
                log_access(session=s, actor=f"t{n}", role="system", action=marker, channel="scheduler",
                           details={"j": j})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        with db.session_scope(engine) as s:
            assert s.scalar(select(func.count()).where(AccessLogEntry.action == marker)) == 40
            report = verify_chain(session=s)
            assert report.ok, report.message
    finally:
        with db.session_scope(engine) as s:  # leave the shared database as it was
            s.execute(delete(AccessLogEntry))
