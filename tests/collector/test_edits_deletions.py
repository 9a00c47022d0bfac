"""Edits become versions, deletions become tombstones; nothing is hard-deleted by the collector."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from merkwacht.collector.fakeserver import FakePlatformServer
from merkwacht.core.models import PostVersion
from merkwacht.core.settings import Settings

from .conftest import T0, register


@pytest.mark.parametrize("platform", ["x", "reddit", "mastodon"])
def test_an_edit_becomes_a_new_version_of_the_same_post(
    platform: str, session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, platform)
    original = brand.post("Inschrijving sluit op 1 juni", 1, urls=["https://www.example.nl/oud"])
    brand.posts(3, start=2)
    assert brand.collect(backfill=True).new == 4
    server.edit_post(platform=platform, post_id=original, text="Inschrijving sluit op 15 juni",
                     urls=["https://www.example.nl/nieuw"], edited_at=T0 + timedelta(hours=2))
    # X: the edit is a new tweet that since_id brings; Reddit: the top page is read every pass;
    # Mastodon: the recheck re-reads the newest page.
    result = brand.collect(recheck=platform == "mastodon")
    assert result.status == "ok", result
    assert result.updated == 1 and result.new == 0
    row = brand.stored(original)
    assert row.text.startswith("Inschrijving sluit op 15 juni")
    assert row.version == 2 and row.edited_at is not None
    assert "https://www.example.nl/nieuw" in row.urls
    versions = session.scalars(select(PostVersion).where(PostVersion.post_id == row.id)).all()
    assert [(v.version, v.text.split(" http")[0]) for v in versions] == [(1, "Inschrijving sluit op 1 juni")]
    assert brand.row_count() == 4
    assert brand.stored_ids() == brand.server_ids()


def test_x_never_reads_a_tweet_twice(
    session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, "x")
    brand.posts(150)
    brand.collect(backfill=True)
    for round_ in range(3):
        brand.posts(20, start=1000 + 100 * round_)
        brand.collect()
    read = sum(len(p) for p in [brand.stored_ids()])
    assert read == 210
    # each users_tweets answer holds only tweets newer than the stored since_id
    assert brand.listing_requests() == 2 + 3
    assert brand.account.cursor["since_id"] == max(brand.stored_ids(), key=int)


@pytest.mark.parametrize("platform", ["x", "reddit", "mastodon", "bluesky"])
def test_a_deleted_post_becomes_a_tombstone(
    platform: str, session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, platform)
    ids = brand.posts(6)
    assert brand.collect(backfill=True).new == 6
    server.delete_post(platform=platform, post_id=ids[3])
    # Reddit and Bluesky notice it on the top page of every pass; X and Mastodon in a recheck
    result = brand.collect(recheck=platform in ("x", "mastodon"))
    assert result.status == "ok", result
    assert result.deleted == 1
    row = brand.stored(ids[3])
    assert row.deleted_at is not None
    assert brand.row_count() == 6  # kept, not hard-deleted
    assert brand.stored_ids() == brand.server_ids()
    assert brand.collect(recheck=platform in ("x", "mastodon")).deleted == 0


def test_mastodon_text_comes_from_html_with_links_kept(
    session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, "mastodon")
    text = "Open dag <za> & zo\nAanmelden via https://www.example.nl/een/heel/lange/link/naar/de/open-dag\n\nTot dan!"
    post_id = brand.post(text, 1)
    brand.collect(backfill=True)
    row = brand.stored(post_id)
    assert row.text == text
    assert row.urls == ["https://www.example.nl/een/heel/lange/link/naar/de/open-dag"]
    assert row.created_at == T0 + timedelta(minutes=1)


def test_bluesky_repost_and_quote_kinds(
    session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, "bluesky")
    repost = brand.post("Mooi onderzoek van collega's", 1, kind="repost",
                        in_reply_to={"text": "Mooi onderzoek van collega's", "author": "lab.bsky.social"})
    quote = brand.post("Lees dit!", 2, kind="quote", in_reply_to={"text": "x", "author": "lab.bsky.social"})
    brand.collect(backfill=True)
    assert brand.stored(repost).kind == "repost"
    assert brand.stored(quote).kind == "quote"


def test_mastodon_status_edited_before_collection_keeps_its_history(
    session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, "mastodon")
    post_id = brand.post("Eerste versie", 1)
    brand.post("Niet bewerkt", 2)
    server.edit_post(platform="mastodon", post_id=post_id, text="Tweede versie", edited_at=T0 + timedelta(hours=1))
    server.edit_post(platform="mastodon", post_id=post_id, text="Derde versie", edited_at=T0 + timedelta(hours=2))
    result = brand.collect(backfill=True)
    assert result.new == 2
    assert server.request_count(endpoint="status_history") == 1
    row = brand.stored(post_id)
    assert (row.text, row.version) == ("Derde versie", 3)
    versions = session.scalars(select(PostVersion).where(PostVersion.post_id == row.id)
                               .order_by(PostVersion.version)).all()
    assert [v.text for v in versions] == ["Eerste versie", "Tweede versie"]
