"""Inzage finds everything about a subject in a seeded database and nothing about another subject (R8)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from merkwacht.core.accesslog import log_access
from merkwacht.core.cases import approve_case, findings_for_signature, open_case
from merkwacht.core.errors import MerkwachtError
from merkwacht.core.inzage import OMITTED, export, resolve_subject
from merkwacht.core.models import AccessLogEntry, PostVersion
from merkwacht.core.pseudonyms import pseudonym, signature_pseudonym

from . import seed

T = datetime(2026, 8, 1, 9, tzinfo=UTC)


def _world(session):
    bieb = seed.account(session, "bieb", at=T)
    sport = seed.account(session, "sportcentrum", unit="Sport", at=T)
    w = {"bieb": bieb, "sport": sport}
    w["ab1"] = seed.post(session, bieb, at=T, text="Zoek het zelf maar uit. ^AB", signature="^AB",
                         reply_text="Waar vind ik de scripties?", reply_author="@lezer_een")
    w["ab2"] = seed.post(session, sport, at=T, text="De zaal is dicht. ^AB", signature="^AB")
    w["sanne"] = seed.post(session, bieb, at=T, text="Graag gedaan! Groet, Sanne", signature="Sanne",
                           reply_text="Dank voor de hulp", reply_author="@lezer_twee")
    w["plain"] = seed.post(session, sport, at=T, text="Het rooster staat online.",
                           reply_text="Wanneer is de les?", reply_author="@lezer_een")
    session.add(PostVersion(post_id=w["ab1"].id, version=1, text="Eerste versie ^AB", urls=[]))
    w["f_ab1"] = seed.finding(session, w["ab1"], at=T, rule="off_tone")
    w["f_ab2"] = seed.finding(session, w["ab2"], at=T, rule="off_tone")
    w["f_sanne"] = seed.finding(session, w["sanne"], at=T, rule="personal_data")
    w["f_plain"] = seed.finding(session, w["plain"], at=T)
    w["r_ab1"] = seed.review(session, w["f_ab1"], at=T, reviewer="Reviewer Rita", disposition="confirmed")
    w["r_sanne"] = seed.review(session, w["f_sanne"], at=T, reviewer="Reviewer Rita", disposition="dismissed")
    log_access(session=session, actor="rita", role="comms", action="view_finding", target=f"finding:{w['f_ab1'].id}",
               channel="dashboard", at=T)
    log_access(session=session, actor="rita", role="comms", action="review",
               target=f"finding:{w['f_plain'].id},finding:{w['f_ab2'].id}", channel="dashboard", at=T)
    log_access(session=session, actor="rita", role="comms", action="view_finding",
               target=f"finding:{w['f_sanne'].id}", channel="dashboard", at=T)
    log_access(session=session, actor="rita", role="comms", action="view_account", target=f"account:{sport.id}",
               channel="dashboard", at=T)
    session.flush()
    return w


def _load(result):
    return json.loads((result.folder / "inzage.json").read_text(encoding="utf-8"))


def test_signature_in_clear_finds_everything_and_nothing_else(session, tmp_path):
    w = _world(session)
    case = open_case(session=session, reason="Klacht over een grof antwoord in de bieb", requested_by="Petra",
                     key=seed.KEY, scope_signature="^AB", now=T)
    approve_case(session=session, case_id=case.id, approver="Jan", now=T)
    findings_for_signature(session=session, case_id=case.id, actor="Petra", now=T)

    result = export(session=session, subject="^AB", out_dir=tmp_path, actor="privacy-officer", key=seed.KEY, now=T)
    data = _load(result)
    assert {p["id"] for p in data["posts"]} == {w["ab1"].id, w["ab2"].id}
    assert {f["id"] for f in data["findings"]} == {w["f_ab1"].id, w["f_ab2"].id}
    assert {r["id"] for r in data["reviews"]} == {w["r_ab1"].id}
    assert [v["post_id"] for v in data["post_versions"]] == [w["ab1"].id]
    assert [c["id"] for c in data["cases"]] == [case.id]
    targets = [e["target"] for e in data["access_log"]]
    assert f"finding:{w['f_ab1'].id}" in targets
    assert f"finding:{w['f_plain'].id},finding:{w['f_ab2'].id}" in targets  # a batch review that touched one of theirs
    assert f"case:{case.id}" in targets
    assert f"finding:{w['f_sanne'].id}" not in targets and f"account:{w['sport'].id}" not in targets
    text = (result.folder / "inzage.json").read_text(encoding="utf-8")
    for other in ("Sanne", "Het rooster", "lezer", "Waar vind ik de scripties", "Reviewer Rita", "rita"):
        assert other not in text, other
    assert data["posts"][0]["in_reply_to_text"] == OMITTED
    html = (result.folder / "inzage.html").read_text(encoding="utf-8")
    assert "Zoek het zelf maar uit" in html and "Bevindingen (2)" in html
    # the export is logged, under the pseudonym only
    entry = session.scalar(select(AccessLogEntry).where(AccessLogEntry.action == "inzage"))
    assert entry.target == f"inzage:signature:{signature_pseudonym('AB', key=seed.KEY)}"
    assert "^AB" not in json.dumps(entry.details)


def test_signature_written_as_a_closing_line_and_as_a_pseudonym(session, tmp_path):
    w = _world(session)
    by_line = _load(export(session=session, subject="Groet, Sanne", out_dir=tmp_path / "a", actor="po", key=seed.KEY, now=T))
    by_pseudonym = _load(export(session=session, subject=signature_pseudonym("sanne", key=seed.KEY),
                                out_dir=tmp_path / "b", actor="po", key=seed.KEY, now=T))
    assert [p["id"] for p in by_line["posts"]] == [p["id"] for p in by_pseudonym["posts"]] == [w["sanne"].id]


def test_third_party_sees_their_own_context_only(session, tmp_path):
    w = _world(session)
    p1 = pseudonym("@lezer_een", key=seed.KEY, platform="mastodon")
    data = _load(export(session=session, subject=p1, out_dir=tmp_path, actor="po", key=seed.KEY, now=T))
    assert {p["id"] for p in data["posts"]} == {w["ab1"].id, w["plain"].id}
    assert {p["in_reply_to_text"] for p in data["posts"]} == {"Waar vind ik de scripties?", "Wanneer is de les?"}
    assert all(p["signature"] in (None, OMITTED) for p in data["posts"])
    assert "Dank voor de hulp" not in json.dumps(data)
    clear = _load(export(session=session, subject="derde:@lezer_een", out_dir=tmp_path / "c", actor="po",
                         key=seed.KEY, now=T))
    assert {p["id"] for p in clear["posts"]} == {w["ab1"].id, w["plain"].id}


def test_account_export(session, tmp_path):
    w = _world(session)
    data = _load(export(session=session, subject="@sportcentrum", out_dir=tmp_path, actor="po", key=seed.KEY, now=T))
    assert {p["id"] for p in data["posts"]} == {w["ab2"].id, w["plain"].id}
    assert {f["id"] for f in data["findings"]} == {w["f_ab2"].id, w["f_plain"].id}
    assert [a["handle"] for a in data["accounts"]] == ["@sportcentrum"] and len(data["opt_ins"]) == 1
    assert f"account:{w['sport'].id}" in [e["target"] for e in data["access_log"]]
    assert all(p["signature"] in (None, OMITTED) for p in data["posts"])  # other staff's signatures left out
    assert "Wanneer is de les?" not in json.dumps(data)  # third-party text left out


def test_user_subject_lists_what_they_did(session, tmp_path):
    _world(session)
    data = _load(export(session=session, subject="user:rita", out_dir=tmp_path, actor="po", key=seed.KEY, now=T))
    assert len(data["access_log"]) == 4 and {e["actor"] for e in data["access_log"]} == {"rita"}
    assert data["posts"] == []


def test_unknown_subject_kind_and_empty_subject(session, tmp_path):
    with pytest.raises(MerkwachtError, match="subject"):
        resolve_subject(session=session, subject="  ", key=seed.KEY)
    with pytest.raises(MerkwachtError, match="kind"):
        resolve_subject(session=session, subject="x", key=seed.KEY, kind="boss")
    with pytest.raises(MerkwachtError, match="no account"):
        export(session=session, subject="@bestaatniet", out_dir=tmp_path, actor="po", key=seed.KEY)


def test_out_alias_and_configured_key(session, tmp_path, monkeypatch):
    """The dashboard calls export(out=..., no key): the configured key is used."""
    from merkwacht.core.settings import set_settings

    monkeypatch.setenv("MERKWACHT_PSEUDONYM_KEY", seed.KEY.decode())
    set_settings(None)
    w = _world(session)
    result = export(session=session, subject="Sanne", out=tmp_path, actor="po", role="admin", channel="dashboard")
    assert [p["id"] for p in result.data["posts"]] == [w["sanne"].id]
    with pytest.raises(MerkwachtError, match="folder"):
        export(session=session, subject="Sanne", actor="po")
