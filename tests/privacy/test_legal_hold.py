"""The legal hold: an approved, open, unexpired investigation case keeps what it covers past its retention
period, and only that, and only while it runs (R5 with R6); time frozen, SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from merkwacht.core.accesslog import verify_chain
from merkwacht.core.cases import approve_case, close_case, expire_cases, open_case
from merkwacht.core.models import AccessLogEntry, Finding, InvestigationCase, Post, PostVersion, Review
from merkwacht.core.pseudonyms import signature_pseudonym
from merkwacht.core.repository.accounts import revoke
from merkwacht.core.retention import due_counts, held_counts, plan, purge

from . import seed

NOW = datetime(2026, 9, 30, 12, 0, tzinfo=UTC)
REASON = "Klacht van 20 september over een grof antwoord aan een student"
NAMES = ("bibliotheek", "studenten", "Petra", "Jan", "privacy-officer", "AB", "Sanne", "vraagsteller", "grof antwoord", "ingang", "Zoek het zelf")


def ago(days: float) -> datetime:
    return NOW - timedelta(days=days)


def _exists(session, model, id_) -> bool:
    return session.scalar(select(model.id).where(model.id == id_)) is not None


def _world(session):
    """Data past its period: some covered by a case on ^AB (on account ``acc``), some not."""
    acc = seed.account(session, "bibliotheek", at=ago(1000))
    other = seed.account(session, "studenten", unit="Onderwijs", at=ago(1000))
    w = {"acc": acc, "other": other}
    # ^AB on acc: a reply past the findings period (with third-party context) and an own post past its period.
    w["ab"] = seed.post(session, acc, at=ago(300), text="Zoek het zelf uit ^AB", signature="^AB",
                        reply_text="Waar is de ingang?", reply_author="@vraagsteller")
    w["ab_f"] = seed.finding(session, w["ab"], at=ago(200), rule="off_tone")
    w["ab_r"] = seed.review(session, w["ab_f"], at=ago(190))
    w["ab_old"] = seed.post(session, acc, at=ago(800), text="Heel oud bericht ^AB", signature="^AB")
    session.add(PostVersion(post_id=w["ab_old"].id, version=1, text="Eerdere versie ^AB", urls=[], recorded_at=ago(800)))
    w["ab_old_f"] = seed.finding(session, w["ab_old"], at=ago(20))
    # Not covered: another signature, an unsigned post, an account-level finding, ^AB on the other account.
    w["sanne"] = seed.post(session, acc, at=ago(300), text="Graag gedaan! Groet, Sanne", signature="Sanne")
    w["sanne_f"] = seed.finding(session, w["sanne"], at=ago(200))
    w["unsigned"] = seed.post(session, acc, at=ago(300), text="Ongetekend bericht.")
    w["unsigned_f"] = seed.finding(session, w["unsigned"], at=ago(200))
    w["acct_f"] = seed.finding(session, None, at=ago(400), rule="dormant_account", account_id=acc.id)
    w["ab_elsewhere"] = seed.post(session, other, at=ago(300), text="Lees de site ^AB", signature="^AB")
    w["ab_elsewhere_f"] = seed.finding(session, w["ab_elsewhere"], at=ago(200))
    session.flush()
    return w


def _case(session, *, acc=None, days: int = 14, opened: datetime = NOW - timedelta(days=2), approve: bool = True,
          signature: str | None = "^AB") -> InvestigationCase:
    case = open_case(session=session, reason=REASON, requested_by="Petra", key=seed.KEY, scope_signature=signature,
                     scope_account_id=acc.id if acc is not None else None, days=days, now=opened)
    if approve:
        approve_case(session=session, case_id=case.id, approver="Jan", now=opened + timedelta(hours=1))
    return case


#: Past their period and covered by a case on ^AB (the post "ab" itself is within its own period).
HELD = ("ab_f", "ab_r", "ab_old", "ab_old_f")
NOT_HELD = ("sanne_f", "unsigned_f", "acct_f")


def _model(name: str):
    return Review if name.endswith("_r") else Finding if name.endswith("_f") else Post


def _alive(session, w, names) -> dict[str, bool]:
    return {n: _exists(session, _model(n), w[n].id) for n in names}


def test_held_rows_survive_a_purge_past_their_period_while_the_case_runs(session):
    w = _world(session)
    case = _case(session, acc=w["acc"])

    run = purge(session=session, triggered_by="privacy-officer", now=NOW, batch_size=1)  # batch size 1: many batches

    assert all(_alive(session, w, HELD).values())
    assert session.scalar(select(PostVersion.id).where(PostVersion.post_id == w["ab_old"].id)) is not None
    assert not any(_alive(session, w, (*NOT_HELD, "ab_elsewhere_f")).values())
    assert _exists(session, Post, w["ab_elsewhere"].id)  # its post is within its own period (300 < 730 days)
    session.expire_all()
    held_post = session.get(Post, w["ab"].id)
    assert held_post.in_reply_to_text is None and held_post.in_reply_to_author is None  # third-party text: not held
    assert run.held == {"findings": 2, "reviews": 1, "own_posts": 1, "post_versions": 1, "cases": 1}
    assert run.counts["findings"] == 4 and run.counts["own_posts"] == 0 and run.counts["third_party_text"] == 1

    # The report counts what was held and names nobody; the access log names the case.
    assert "bewaard voor lopend onderzoek" in run.report and "1 goedgekeurd(e), lopend(e) onderzoek(en)" in run.report
    assert "bevindingen 2" in run.report and "eigen berichten van merkaccounts 1" in run.report
    for name in (*NAMES, signature_pseudonym("^AB", key=seed.KEY), case.reason):
        assert name not in run.report, name
    entries = list(session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id)))
    holds = [e for e in entries if e.action == "purge_hold"]
    assert [(e.target, e.details) for e in holds] == [(f"case:{case.id}", {"retention_run": run.id})]
    assert entries[-1].action == "purge" and entries[-1].details["held"] == run.held
    assert verify_chain(session=session).ok


def test_dry_run_counts_what_is_held_and_the_real_purge_agrees(session):
    w = _world(session)
    _case(session, acc=w["acc"])
    dry = purge(session=session, triggered_by="privacy-officer", now=NOW, dry_run=True)
    assert "zou achterhouden voorbij hun termijn" in dry.report
    assert "purge_hold" not in [e.action for e in session.scalars(select(AccessLogEntry))]  # a dry run holds nothing
    real = purge(session=session, triggered_by="privacy-officer", now=NOW)
    assert dry.held == real.held and dry.counts == real.counts
    again = purge(session=session, triggered_by="privacy-officer", now=NOW)
    assert {k: v for k, v in again.counts.items() if v} == {}
    assert again.held == real.held  # still held, still counted


def test_the_first_purge_after_the_case_closes_removes_what_is_past_its_period(session):
    w = _world(session)
    case = _case(session, acc=w["acc"])
    purge(session=session, triggered_by="privacy-officer", now=NOW)
    close_case(session=session, case_id=case.id, by="Petra", reason="afgehandeld", now=NOW + timedelta(days=1))
    run = purge(session=session, triggered_by="privacy-officer", now=NOW + timedelta(days=1))
    assert not any(_alive(session, w, HELD).values())
    assert run.held == {"findings": 0, "reviews": 0, "own_posts": 0, "post_versions": 0, "cases": 0}
    assert "niets achtergehouden" in run.report


@pytest.mark.parametrize("expire_first", [False, True], ids=["not-yet-closed", "closed-by-expiry"])
def test_the_hold_ends_at_the_cases_expiry(session, expire_first):
    w = _world(session)
    case = _case(session, days=7)  # opened two days before NOW: expires in five days
    at = case.expires_at
    before = purge(session=session, triggered_by="privacy-officer", now=at - timedelta(seconds=1))
    assert before.held["cases"] == 1 and _exists(session, Finding, w["ab_f"].id)
    if expire_first:  # the daily job closes expired cases before it purges
        assert expire_cases(session=session, now=at) == [case.id]
    purge(session=session, triggered_by="privacy-officer", now=at)  # an expired case holds nothing, closed or not
    assert not any(_alive(session, w, HELD).values())


def test_a_case_without_an_account_holds_the_signature_on_every_account(session):
    w = _world(session)
    _case(session)
    purge(session=session, triggered_by="privacy-officer", now=NOW)
    assert _exists(session, Finding, w["ab_elsewhere_f"].id) and _exists(session, Finding, w["ab_f"].id)
    assert not any(_alive(session, w, NOT_HELD).values())


def test_an_account_only_case_holds_that_accounts_signed_posts(session):
    w = _world(session)
    _case(session, acc=w["acc"], signature=None)
    purge(session=session, triggered_by="privacy-officer", now=NOW)
    assert all(_alive(session, w, (*HELD, "sanne_f")).values())  # every signed post of the account
    assert not any(_alive(session, w, ("unsigned_f", "acct_f", "ab_elsewhere_f")).values())


def _requested(session, w):
    _case(session, acc=w["acc"], approve=False)


def _self_approved(session, w):
    case = _case(session, acc=w["acc"], approve=False)
    session.execute(update(InvestigationCase).where(InvestigationCase.id == case.id)
                    .values(status="approved", approved_by=" PETRA ", approved_at=NOW - timedelta(days=1)))


def _approved_after_now(session, w):
    _case(session, acc=w["acc"], opened=NOW + timedelta(hours=1))


@pytest.mark.parametrize("make", [_requested, _self_approved, _approved_after_now])
def test_a_case_that_is_not_approved_by_someone_else_holds_nothing(session, make):
    w = _world(session)
    make(session, w)
    run = purge(session=session, triggered_by="privacy-officer", now=NOW)
    assert not any(_alive(session, w, (*HELD, *NOT_HELD)).values())
    assert run.held["cases"] == 0 and "purge_hold" not in [e.action for e in session.scalars(select(AccessLogEntry))]


def test_a_revoked_opt_in_deletes_held_data_at_once(session):
    w = _world(session)
    _case(session, acc=w["acc"])
    session.refresh(w["acc"])
    revoke(session=session, account=w["acc"], by="Hoofd Communicatie", reason="account opgeheven",
           at=NOW - timedelta(hours=1))
    run = purge(session=session, triggered_by="privacy-officer", now=NOW)
    assert not any(_alive(session, w, (*HELD, "ab")).values())  # young or old, held or not
    assert run.counts["revoked_accounts"] == 1
    assert run.held == {"findings": 0, "reviews": 0, "own_posts": 0, "post_versions": 0, "cases": 0}


def test_held_and_due_counts_are_consistent(session):
    w = _world(session)
    _case(session, acc=w["acc"])
    p = plan(session=session, now=NOW)
    held = held_counts(session=session, plan_=p)
    due = due_counts(session=session, plan_=p)
    unheld = due_counts(session=session, plan_=replace(p, holding_case_ids=[]))  # as if no case held anything
    assert held["cases"] == 1 and len(p.holding_case_ids) == 1
    for category in ("findings", "reviews", "own_posts", "post_versions"):
        assert due[category] + held[category] == unheld[category], category


def test_an_inzage_about_the_signature_shows_that_a_case_held_its_data(session):
    from merkwacht.core.inzage import collect, resolve_subject

    w = _world(session)
    case = _case(session, acc=w["acc"])
    purge(session=session, triggered_by="privacy-officer", now=NOW)
    data = collect(session=session, subject=resolve_subject(session=session, subject="^AB", key=seed.KEY))
    assert [e["target"] for e in data["access_log"] if e["action"] == "purge_hold"] == [f"case:{case.id}"]
