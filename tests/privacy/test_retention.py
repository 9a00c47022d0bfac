"""The purge removes exactly what is past its retention period, and nothing else (R5), time frozen."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from merkwacht.core.accesslog import log_access, verify_chain
from merkwacht.core.errors import MerkwachtError
from merkwacht.core.models import (
    AccessLogAnchor,
    AccessLogEntry,
    Finding,
    Post,
    PostVersion,
    RetentionRun,
    Review,
)
from merkwacht.core.repository.accounts import revoke
from merkwacht.core.retention import DEFAULT_PERIODS, purge, resolve_periods

from . import seed

NOW = datetime(2026, 9, 30, 12, 0, tzinfo=UTC)


def ago(days: float, seconds: float = 0) -> datetime:
    return NOW - timedelta(days=days, seconds=seconds)


def _ids(session, model):
    return set(session.scalars(select(model.id)))


def _exists(session, model, id_):
    return session.scalar(select(model.id).where(model.id == id_)) is not None


def _world(session):
    acc = seed.account(session, "bibliotheek", at=ago(1000))
    other = seed.account(session, "studenten", unit="Onderwijs", at=ago(1000))
    w = {"acc": acc, "other": other}
    w["ancient"] = seed.post(session, acc, at=ago(731), text="Oud bericht over de verbouwing.")
    session.add(PostVersion(post_id=w["ancient"].id, version=1, text="Oude versie.", urls=[], recorded_at=ago(731)))
    w["ancient_f"] = seed.finding(session, w["ancient"], at=ago(20))  # young finding on an old post: goes with it
    w["ancient_r"] = seed.review(session, w["ancient_f"], at=ago(19))
    w["keep_post_edge"] = seed.post(session, acc, at=ago(730))  # exactly at the cut-off: kept
    w["mid"] = seed.post(session, acc, at=ago(300), reply_text="Wanneer gaat de bieb weer open?",
                         reply_author="@vraagsteller", signature="^AB", text="Maandag weer open! ^AB")
    w["mid_f"] = seed.finding(session, w["mid"], at=ago(183, 1))  # one second past: due
    w["mid_r"] = seed.review(session, w["mid_f"], at=ago(100))  # young review of a due finding: goes with it
    w["edge_f"] = seed.finding(session, w["mid"], at=ago(183), rule="off_tone")  # exactly at cut-off: kept
    w["old_r"] = seed.review(session, w["edge_f"], at=ago(200), disposition="dismissed")  # review past period
    w["edge_context"] = seed.post(session, acc, at=ago(183), reply_text="Kan ik hier parkeren?", reply_author="@p")
    w["recent"] = seed.post(session, acc, at=ago(10), reply_text="Top, dank jullie wel!", reply_author="@fan")
    w["recent_f"] = seed.finding(session, w["recent"], at=ago(9))
    w["recent_r"] = seed.review(session, w["recent_f"], at=ago(8))
    w["acct_f"] = seed.finding(session, None, at=ago(400), rule="dormant_account", account_id=acc.id)
    w["other_post"] = seed.post(session, other, at=ago(5), reply_text="Hoe schrijf ik me in?", reply_author="@s")
    w["other_f"] = seed.finding(session, w["other_post"], at=ago(5))
    for days in (400, 399, 366):
        log_access(session=session, actor="beheerder", role="admin", action="view_page", target="/x", at=ago(days))
    for days in (365, 10):
        log_access(session=session, actor="beheerder", role="admin", action="view_page", target="/y", at=ago(days))
    session.flush()
    return w


def test_purge_removes_exactly_what_is_due(session):
    w = _world(session)
    before = {m: _ids(session, m) for m in (Post, Finding, Review, PostVersion)}
    log_before = [(e.id, e.row_hash) for e in session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id))]

    run = purge(session=session, triggered_by="privacy-officer", now=NOW)

    assert _ids(session, Post) == before[Post] - {w["ancient"].id}
    assert _ids(session, PostVersion) == set()
    assert _ids(session, Finding) == before[Finding] - {w["ancient_f"].id, w["mid_f"].id, w["acct_f"].id}
    assert _ids(session, Review) == before[Review] - {w["ancient_r"].id, w["mid_r"].id, w["old_r"].id}
    session.expire_all()
    contexts = {p.id: (p.in_reply_to_text, p.in_reply_to_author, p.context_purged_at) for p in session.scalars(select(Post))}
    assert contexts[w["mid"].id] == (None, None, NOW)
    assert contexts[w["edge_context"].id][0] == "Kan ik hier parkeren?"  # exactly at the cut-off
    assert contexts[w["recent"].id][0] is not None and contexts[w["recent"].id][2] is None
    assert session.get(Post, w["mid"].id).signature is not None  # own post and its pseudonym stay

    assert run.counts == {"findings": 3, "reviews": 3, "third_party_text": 1, "own_posts": 1, "post_versions": 1,
                          "access_log": 3, "revoked_accounts": 0}
    assert run.status == "ok" and not run.dry_run and run.periods == DEFAULT_PERIODS

    # access log: the three rows older than a year are gone, the chain still verifies from its anchor
    kept = [e.id for e in session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id))]
    assert kept[:2] == [log_before[3][0], log_before[4][0]]
    anchor = session.scalar(select(AccessLogAnchor))
    assert anchor.first_id == log_before[3][0] and anchor.prev_hash == log_before[2][1]
    assert anchor.retention_run_id == run.id
    report = verify_chain(session=session)
    assert report.ok, report.message
    assert [e.action for e in session.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id))][-2:] == [
        "retention_anchor", "purge"]

    # the deletion report names nobody
    for name in ("bibliotheek", "studenten", "beheerder", "privacy-officer", "vraagsteller", "AB", "Sanne"):
        assert name not in run.report
    assert "bevindingen" in run.report and "3" in run.report


def test_dry_run_counts_the_same_and_deletes_nothing(session):
    _world(session)
    before = {m: _ids(session, m) for m in (Post, Finding, Review, PostVersion, AccessLogEntry)}
    dry = purge(session=session, triggered_by="po", now=NOW, dry_run=True)
    assert {m: _ids(session, m) for m in (Post, Finding, Review, PostVersion)} == {
        m: before[m] for m in (Post, Finding, Review, PostVersion)}
    assert _ids(session, AccessLogEntry) >= before[AccessLogEntry]
    assert dry.dry_run and dry.status == "dry_run"
    real = purge(session=session, triggered_by="po", now=NOW, batch_size=1)  # batch size 1: many batches
    assert dry.counts == real.counts
    assert "Proefrun" in dry.report and "te verwijderen" in dry.report


def test_second_purge_finds_nothing_and_chain_holds(session):
    _world(session)
    purge(session=session, triggered_by="po", now=NOW)
    again = purge(session=session, triggered_by="po", now=NOW)
    assert {k: v for k, v in again.counts.items() if v} == {}
    later = purge(session=session, triggered_by="po", now=NOW + timedelta(days=400))  # everything old by then
    assert later.counts["access_log"] > 0
    assert verify_chain(session=session).ok
    assert len(list(session.scalars(select(RetentionRun)))) == 3


def test_revoked_opt_in_makes_the_account_due_at_once(session):
    w = _world(session)
    other = w["other"]
    session.refresh(other)
    revoke(session=session, account=other, by="Hoofd Onderwijs", reason="account opgeheven", at=NOW - timedelta(hours=1))
    kept_posts = _ids(session, Post) - {w["other_post"].id, w["ancient"].id}
    run = purge(session=session, triggered_by="po", now=NOW)
    assert run.counts["revoked_accounts"] == 1
    assert _ids(session, Post) == kept_posts
    assert not _exists(session, Finding, w["other_f"].id)
    assert _exists(session, Finding, w["recent_f"].id)  # the other account's young data is untouched
    assert "Onderwijs" not in run.report and "studenten" not in run.report


def test_revocation_in_the_future_of_now_is_not_yet_due(session):
    w = _world(session)
    session.refresh(w["other"])
    revoke(session=session, account=w["other"], by="x", at=NOW + timedelta(days=1))
    run = purge(session=session, triggered_by="po", now=NOW)
    assert run.counts["revoked_accounts"] == 0 and _exists(session, Post, w["other_post"].id)


def test_periods_come_from_the_caller(session):
    w = _world(session)
    run = purge(session=session, triggered_by="po", now=NOW, periods={"findings": 5, "reviews": 5})
    assert not _exists(session, Finding, w["recent_f"].id)  # 9 days old, period 5
    assert run.periods["findings"] == 5 and run.periods["own_posts"] == 730


@pytest.mark.parametrize("periods, word", [({"posts": 3}, "posts"), ({"findings": 0}, "findings"),
                                           ({"reviews": "zes"}, "reviews")])
def test_bad_periods_are_refused(periods, word):
    with pytest.raises(MerkwachtError, match=word):
        resolve_periods(periods)


def test_tampered_log_is_not_purged(session):
    _world(session)
    first = session.scalar(select(AccessLogEntry).order_by(AccessLogEntry.id).limit(1))
    session.execute(update(AccessLogEntry).where(AccessLogEntry.id == first.id).values(actor="weggepoetst"))
    run = purge(session=session, triggered_by="po", now=NOW)
    assert run.counts["access_log"] == 0
    assert "NIET opgeschoond" in run.report
    assert _exists(session, AccessLogEntry, first.id)
