"""Database mode of the engine: batches, idempotence, superseding, policy versions (SQLite and PostgreSQL)."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from merkwacht.analysis import registry
from merkwacht.analysis.database import analyse_database
from merkwacht.analysis.packs import load_pack
from merkwacht.core.models import Finding, PolicyVersion
from merkwacht.core.models import Post as PostRow
from merkwacht.core.post import InReplyTo, Post
from merkwacht.core.repository import accounts as register
from merkwacht.core.repository.approvals import add_approval
from merkwacht.core.repository.posts import upsert_posts

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
KEY = b"test-key-for-pseudonyms-0123456789"


def _account(session, handle="Hogeschool", platform="mastodon"):
    account = register.add_account(
        session=session,
        platform=platform,
        handle=handle,
        unit="Communicatie",
        purpose="Toezicht op de richtlijn",
        instance="https://social.example.nl",
    )
    register.opt_in(
        session=session,
        account=account,
        by="Hoofd Communicatie",
        role="eigenaar",
        purpose="Naleving richtlijn",
    )
    return account


def _post(pid, text, *, at=None, kind="post", reply=None):
    return Post(
        id=pid,
        platform="mastodon",
        account="@Hogeschool",
        created_at=at or NOW - timedelta(days=1),
        kind=kind,
        text=text,
        in_reply_to=reply,
    )


def _active(session, **where):
    query = select(Finding).where(Finding.superseded_at.is_(None))
    for name, value in where.items():
        query = query.where(getattr(Finding, name) == value)
    return list(session.scalars(query))


def _count(session):
    return session.scalar(select(func.count(Finding.id)))


LEAK = "Nog niet officieel, maar de nieuwe campus in Delft komt er echt."
MAIL = "Vragen over je cijfer? Mail Joost de Graaf via joost.degraaf@gmail.com"
NEUTRAL = "Morgen is de open dag, van 10.00 tot 15.00 uur. Welkom!"


def test_analyses_in_batches_and_a_second_run_adds_nothing(session):
    account = _account(session)
    upsert_posts(
        session=session,
        account=account,
        key=KEY,
        posts=[
            _post("1", LEAK),
            _post("2", MAIL),
            _post("3", NEUTRAL),
            *[_post(f"n{i}", NEUTRAL + f" ({i})") for i in range(7)],
        ],
    )
    pack = load_pack("generic")
    first = analyse_database(session=session, pack=pack, batch_size=3, now=NOW)
    assert first.posts_analysed == 10
    assert first.batches == 4
    rules = {(f.post.platform_post_id, f.rule) for f in _active(session)}
    assert ("1", "confidential") in rules
    assert ("2", "personal_data") in rules
    assert not any(pid == "3" for pid, _ in rules)
    finding = _active(session, rule="confidential")[0]
    assert finding.pack == "generic" and finding.pack_hash == pack.hash and finding.rule_version
    assert finding.clause == "generic/vertrouwelijkheid"
    assert LEAK[finding.evidence_start : finding.evidence_end] == finding.evidence
    assert finding.explanation_nl and finding.explanation_en

    total = _count(session)
    second = analyse_database(session=session, pack=pack, batch_size=3, now=NOW)
    assert second.posts_analysed == 0
    assert second.findings_added == 0
    assert _count(session) == total


def test_policy_version_recorded_every_run(session):
    pack = load_pack("generic")
    analyse_database(session=session, pack=pack, now=NOW)
    analyse_database(session=session, pack=pack, now=NOW + timedelta(hours=1))
    rows = list(session.scalars(select(PolicyVersion).where(PolicyVersion.pack == "generic")))
    assert len(rows) == 1
    row = rows[0]
    assert row.pack_hash == pack.hash and row.version == pack.version
    assert row.last_used_at == NOW + timedelta(hours=1)
    assert row.document["clauses"][0]["text"]
    assert row.document["rules"]["personal_data"]["clauses"] == ["generic/schrijven-over-personen"]


def test_edited_post_supersedes_old_findings(session):
    account = _account(session)
    upsert_posts(session=session, account=account, key=KEY, posts=[_post("1", LEAK)])
    pack = load_pack("generic")
    analyse_database(session=session, pack=pack, now=NOW)
    [old] = _active(session, rule="confidential")
    upsert_posts(session=session, account=account, key=KEY, posts=[_post("1", NEUTRAL)])
    summary = analyse_database(session=session, pack=pack, now=NOW + timedelta(hours=1))
    assert summary.posts_analysed == 1
    assert summary.findings_superseded == 1
    session.refresh(old)
    assert old.superseded_at == NOW + timedelta(hours=1)
    assert _active(session, rule="confidential") == []
    # Edited back: the old finding comes back to life rather than a duplicate.
    upsert_posts(session=session, account=account, key=KEY, posts=[_post("1", LEAK)])
    analyse_database(session=session, pack=pack, now=NOW + timedelta(hours=2))
    assert len(_active(session, rule="confidential")) == 1


def test_new_rule_version_reanalyses(session):
    account = _account(session)
    upsert_posts(session=session, account=account, key=KEY, posts=[_post("1", LEAK), _post("2", NEUTRAL)])
    pack = load_pack("generic")
    analyse_database(session=session, pack=pack, now=NOW)
    [old] = _active(session, rule="confidential")
    spec = registry.get_rule("confidential")
    registry._RULES["confidential"] = dataclasses.replace(spec, version=spec.version + "-test")
    try:
        summary = analyse_database(session=session, pack=pack, now=NOW + timedelta(hours=1))
    finally:
        registry._RULES["confidential"] = spec
    assert summary.posts_analysed == 2
    [new] = _active(session, rule="confidential")
    assert new.rule_version == spec.version + "-test"
    session.refresh(old)
    assert old.superseded_at is not None


def test_reviewed_status_carries_over_to_a_new_rule_version(session):
    account = _account(session)
    upsert_posts(session=session, account=account, key=KEY, posts=[_post("1", LEAK)])
    pack = load_pack("generic")
    analyse_database(session=session, pack=pack, now=NOW)
    [old] = _active(session, rule="confidential")
    old.status = "dismissed"
    session.flush()
    spec = registry.get_rule("confidential")
    registry._RULES["confidential"] = dataclasses.replace(spec, version="9.9")
    try:
        analyse_database(session=session, pack=pack, now=NOW + timedelta(hours=1))
    finally:
        registry._RULES["confidential"] = spec
    [new] = _active(session, rule="confidential")
    assert new.status == "dismissed"
    assert new.details["status_carried_over_from"] == old.id


def test_approvals_from_the_register_are_used(session):
    account = _account(session)
    statement = "De hogeschool veroordeelt het geweld tegen journalisten in de stad."
    upsert_posts(
        session=session,
        account=account,
        key=KEY,
        posts=[_post("1", statement + " #persvrijheid https://example.nl/a")],
    )
    add_approval(
        session=session,
        text=statement,
        approved_by="Woordvoerder",
        account="@Hogeschool",
        approved_at=NOW - timedelta(days=3),
    )
    analyse_database(session=session, pack=load_pack("generic"), now=NOW)
    assert _active(session, rule="unapproved_statement") == []


def test_account_checks_dormant_and_credentials(session):
    account = _account(session)
    account.created_at = NOW - timedelta(days=400)
    upsert_posts(
        session=session, account=account, key=KEY, posts=[_post("1", NEUTRAL, at=NOW - timedelta(days=200))]
    )
    pack = load_pack("generic")
    summary = analyse_database(session=session, pack=pack, now=NOW)
    rules = {f.rule for f in _active(session, account_id=account.id) if f.post_id is None}
    assert {"dormant_account", "credentials_not_rotated"} <= rules
    assert summary.account_findings_added == 2
    again = analyse_database(session=session, pack=pack, now=NOW)
    assert again.account_findings_added == 0
    # Rotating the credentials makes that finding go away.
    register.record_credentials_rotation(session=session, account=account, at=NOW - timedelta(days=1))
    analyse_database(session=session, pack=pack, now=NOW + timedelta(minutes=1))
    assert {f.rule for f in _active(session, account_id=account.id) if f.post_id is None} == {
        "dormant_account"
    }


def test_deleted_without_notice(session):
    account = _account(session)
    upsert_posts(
        session=session,
        account=account,
        key=KEY,
        posts=[
            _post("1", "Het tentamen is verplaatst naar dinsdag.", at=NOW - timedelta(days=5)),
            _post("2", "Het rooster staat online.", at=NOW - timedelta(days=20)),
            _post(
                "3",
                "Correctie: het tentamen blijft op maandag, ons eerdere bericht klopte niet.",
                at=NOW - timedelta(days=4),
            ),
        ],
    )
    rows = {
        r.platform_post_id: r
        for r in session.scalars(select(PostRow).where(PostRow.account_id == account.id))
    }
    rows["1"].deleted_at = NOW - timedelta(days=4, hours=2)
    session.flush()
    pack = load_pack("generic")
    analyse_database(session=session, pack=pack, now=NOW)
    assert _active(session, rule="deleted_without_notice") == []  # the correction is the notice
    rows["2"].deleted_at = NOW - timedelta(days=19)
    session.flush()
    analyse_database(session=session, pack=pack, now=NOW)
    found = _active(session, rule="deleted_without_notice")
    assert [f.post_id for f in found] == [rows["2"].id]


@pytest.mark.skipif("off_tone" not in registry.all_rules(), reason="off_tone rule not installed")
def test_thread_hostility_counts_hostile_replies(session):
    account = _account(session)
    hostile = [
        "Jullie zijn een stelletje idioten.",
        "Wat een kutorganisatie, echt waardeloos klootzakken.",
        "Stelletje sukkels, jullie snappen er niks van.",
        "Idioten zijn jullie, allemaal.",
    ]
    posts = [
        _post(
            f"r{i}",
            "We begrijpen je frustratie. Stuur ons een bericht, dan zoeken we het uit.",
            at=NOW - timedelta(hours=10 - i),
            kind="reply",
            reply=InReplyTo(id=f"t{i}", text=t),
        )
        for i, t in enumerate(hostile)
    ]
    upsert_posts(session=session, account=account, key=KEY, posts=posts)
    analyse_database(session=session, pack=load_pack("generic"), now=NOW)
    found = _active(session, rule="thread_hostility")
    assert len(found) == 1
    assert found[0].subject_key.startswith("thread:")
    assert found[0].severity == "high"
