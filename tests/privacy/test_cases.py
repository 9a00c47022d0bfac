"""Findings per signature only inside an open, approved, unexpired case (R6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from merkwacht.core.cases import (
    approve_case,
    close_case,
    expire_cases,
    findings_for_signature,
    list_cases,
    open_case,
)
from merkwacht.core.errors import MerkwachtError, Refused
from merkwacht.core.models import AccessLogEntry
from merkwacht.core.pseudonyms import signature_pseudonym

from . import seed

T = datetime(2026, 8, 1, 9, tzinfo=UTC)
REASON = "Klacht van 28 juli over een grof antwoord aan een student"


def _world(session):
    acc = seed.account(session, "bieb", at=T)
    other = seed.account(session, "sport", at=T)
    ab = [seed.finding(session, seed.post(session, acc, at=T, text=f"Dat is jouw probleem {i} ^AB", signature="^AB"),
                       at=T, rule="off_tone") for i in range(2)]
    seed.finding(session, seed.post(session, acc, at=T, text="Graag gedaan! Groet, Sanne", signature="Sanne"), at=T)
    ab_other = seed.finding(session, seed.post(session, other, at=T, text="Zoek het zelf uit ^AB", signature="^AB"), at=T)
    seed.finding(session, seed.post(session, acc, at=T, text="Ongetekend bericht."), at=T)
    return acc, other, ab, ab_other


def _actions(session):
    return [e.action for e in session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id))]


def test_approved_case_lists_findings_for_its_signature_and_logs_every_step(session):
    acc, _other, ab, ab_other = _world(session)
    case = open_case(session=session, reason=REASON, requested_by="Petra", key=seed.KEY, scope_signature="^ab",
                     now=T)
    assert case.scope_signature == signature_pseudonym("AB", key=seed.KEY)  # stored only as a pseudonym
    approve_case(session=session, case_id=case.id, approver="Jan", now=T + timedelta(hours=1))
    rows = findings_for_signature(session=session, case_id=case.id, actor="petra", now=T + timedelta(days=1))
    assert sorted(r["finding_id"] for r in rows) == sorted([f.id for f in ab] + [ab_other.id])
    scoped = open_case(session=session, reason=REASON, requested_by="Petra", key=seed.KEY, scope_signature="^AB",
                       scope_account_id=acc.id, now=T)
    approve_case(session=session, case_id=scoped.id, approver="Jan", now=T)
    rows = findings_for_signature(session=session, case_id=scoped.id, actor="Jan", now=T + timedelta(days=1))
    assert sorted(r["finding_id"] for r in rows) == sorted(f.id for f in ab)
    close_case(session=session, case_id=case.id, by="Petra", reason="afgehandeld", now=T + timedelta(days=2))
    assert _actions(session) == ["case_open", "case_approve", "case_use", "case_open", "case_approve", "case_use",
                                 "case_close"]


def test_without_a_second_approver_there_is_no_access(session):
    _world(session)
    case = open_case(session=session, reason=REASON, requested_by="Petra", key=seed.KEY, scope_signature="^AB", now=T)
    with pytest.raises(Refused, match="not been approved"):
        findings_for_signature(session=session, case_id=case.id, actor="Petra", now=T)
    with pytest.raises(Refused, match="cannot approve their own"):
        approve_case(session=session, case_id=case.id, approver=" petra ", now=T)
    with pytest.raises(Refused, match="not been approved"):
        findings_for_signature(session=session, case_id=case.id, actor="Petra", now=T)
    assert "case_use" not in _actions(session)


def test_an_expired_case_gives_no_access_and_closes_itself(session):
    _world(session)
    case = open_case(session=session, reason=REASON, requested_by="Petra", key=seed.KEY, scope_signature="^AB",
                     days=7, now=T)
    approve_case(session=session, case_id=case.id, approver="Jan", now=T)
    assert findings_for_signature(session=session, case_id=case.id, actor="Petra", now=T + timedelta(days=6))
    with pytest.raises(Refused, match="expired"):
        findings_for_signature(session=session, case_id=case.id, actor="Petra", now=T + timedelta(days=7))
    assert case.status == "expired" and case.closed_at == T + timedelta(days=7)
    assert "case_expire" in _actions(session)
    with pytest.raises(Refused):
        approve_case(session=session, case_id=case.id, approver="Kees", now=T + timedelta(days=8))


def test_expiry_sweep_and_closed_cases(session):
    _world(session)
    a = open_case(session=session, reason=REASON, requested_by="Petra", key=seed.KEY, scope_signature="^AB", days=1, now=T)
    b = open_case(session=session, reason=REASON, requested_by="Petra", key=seed.KEY, scope_signature="^AB", days=3, now=T)
    approve_case(session=session, case_id=b.id, approver="Jan", now=T)
    assert expire_cases(session=session, now=T + timedelta(days=2)) == [a.id]
    close_case(session=session, case_id=b.id, by="Jan", now=T + timedelta(days=2))
    with pytest.raises(Refused, match="closed"):
        findings_for_signature(session=session, case_id=b.id, actor="Jan", now=T + timedelta(days=2))
    assert {c["id"]: c["status"] for c in list_cases(session=session, now=T + timedelta(days=2))} == {
        a.id: "expired", b.id: "closed"}


def test_only_people_named_in_the_case_may_use_it(session):
    _world(session)
    case = open_case(session=session, reason=REASON, requested_by="Petra", key=seed.KEY, scope_signature="^AB", now=T)
    approve_case(session=session, case_id=case.id, approver="Jan", now=T)
    with pytest.raises(Refused, match="only the requester and the approver"):
        findings_for_signature(session=session, case_id=case.id, actor="Kees", now=T)


@pytest.mark.parametrize("kwargs, message", [
    ({"reason": "kort"}, "reason"),
    ({"days": 90}, "days"),
    ({"scope_signature": None}, "scope"),
    ({"scope_signature": "p:0123456789abcdef0123"}, "third-party"),
])
def test_bad_cases_are_refused(session, kwargs, message):
    base = {"session": session, "reason": REASON, "requested_by": "Petra", "key": seed.KEY, "scope_signature": "^AB",
            "now": T}
    base.update(kwargs)
    with pytest.raises(MerkwachtError, match=message):
        open_case(**base)
