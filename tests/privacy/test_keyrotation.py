"""Rotating the pseudonymisation key: recorded by fingerprint, old pseudonyms still findable with the old key."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from merkwacht.core.errors import MerkwachtError, Refused
from merkwacht.core.inzage import export
from merkwacht.core.keyrotation import key_fingerprint, key_status, record_key, rotate
from merkwacht.core.models import AccessLogEntry, Post
from merkwacht.core.pseudonyms import signature_pseudonym

from . import seed

T = datetime(2026, 8, 1, tzinfo=UTC)
OLD = seed.KEY
NEW = b"a-brand-new-pseudonym-key-9876543210"


def test_rotation_is_recorded_and_reported(session):
    acc = seed.account(session, "bieb", at=T)
    seed.post(session, acc, at=T, text="Graag gedaan ^AB", signature="^AB", reply_text="Dank!", reply_author="@x")
    assert key_status(session=session, key=OLD) == "unrecorded"
    record_key(session=session, key=OLD, by="po", now=T)
    assert key_status(session=session, key=OLD) == "current"
    assert key_status(session=session, key=NEW) == "unknown"  # a changed key without rotation is noticed
    report = rotate(session=session, old_key=OLD, new_key=NEW, by="po", now=T)
    assert report.third_party_pseudonyms == 1 and report.signature_pseudonyms == 1
    assert report.third_party_gone_by == T.replace(year=2027, month=1, day=31)  # 183 days
    assert key_status(session=session, key=NEW) == "current" and key_status(session=session, key=OLD) == "retired"
    entry = session.scalar(select(AccessLogEntry).where(AccessLogEntry.action == "key_rotation"))
    assert entry.details["new"] == key_fingerprint(NEW)
    assert OLD.decode() not in json.dumps(entry.details) and NEW.decode() not in json.dumps(entry.details)
    with pytest.raises(Refused, match="used before"):
        rotate(session=session, old_key=NEW, new_key=OLD, by="po", now=T)


def test_rotation_refuses_a_wrong_old_key_or_the_same_key(session):
    record_key(session=session, key=OLD, by="po", now=T)
    with pytest.raises(Refused, match="not the key recorded"):
        rotate(session=session, old_key=b"some-other-key-0000000000", new_key=NEW, by="po")
    with pytest.raises(MerkwachtError, match="equals the old key"):
        rotate(session=session, old_key=OLD, new_key=OLD, by="po")


def test_inzage_after_rotation_finds_old_data_only_with_the_previous_key(session, tmp_path):
    acc = seed.account(session, "bieb", at=T)
    before = seed.post(session, acc, at=T, text="Voor de rotatie ^AB", signature="^AB")  # seed uses OLD
    after = seed.post(session, acc, at=T, text="Na de rotatie ^AB")
    after.signature = signature_pseudonym("AB", key=NEW)
    session.flush()
    only_new = export(session=session, subject="^AB", out_dir=tmp_path / "a", actor="po", key=NEW, now=T)
    assert [p["id"] for p in only_new.data["posts"]] == [after.id]
    both = export(session=session, subject="^AB", out_dir=tmp_path / "b", actor="po", key=NEW, previous_keys=[OLD],
                  now=T)
    assert sorted(p["id"] for p in both.data["posts"]) == sorted([before.id, after.id])
    assert session.get(Post, before.id).signature == signature_pseudonym("AB", key=OLD)  # not rewritten
