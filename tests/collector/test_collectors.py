"""Each collector against the fake server, through its real client library (tweepy, praw,
Mastodon.py, atproto): backfill, incremental runs, nothing new, faults and odd payloads."""

from __future__ import annotations

import math

from sqlalchemy import select

from merkwacht.core.models import CollectionRun
from merkwacht.core.pseudonyms import pseudonym

from .conftest import Brand

PAGE = {"x": 100, "reddit": 100, "mastodon": 40, "bluesky": 100}


def test_backfill_reads_several_pages_then_nothing_new_costs_one_request(brand: Brand) -> None:
    count = 230
    brand.posts(count)
    result = brand.collect(backfill=True)
    assert result.status == "ok", result
    assert result.new == count
    assert brand.stored_ids() == brand.server_ids()
    pages = brand.listing_requests()
    assert pages >= 3
    assert pages <= math.ceil(count / PAGE[brand.platform]) + 1

    before = brand.listing_requests()
    again = brand.collect()
    assert again.status == "nothing_new"
    assert again.requests == 1
    assert brand.listing_requests() - before == 1
    assert brand.row_count() == count


def test_incremental_runs_store_only_what_is_new(brand: Brand) -> None:
    brand.posts(5)
    assert brand.collect(backfill=True).new == 5
    brand.posts(3, start=100)
    result = brand.collect()
    assert (result.status, result.new) == ("ok", 3)
    assert result.requests == 1
    brand.posts(2, start=200)
    assert brand.collect().new == 2
    assert brand.stored_ids() == brand.server_ids()
    assert brand.row_count() == 10


def test_reply_is_stored_with_its_parent_text_and_a_pseudonymised_author(brand: Brand) -> None:
    author = "klant.bsky.social" if brand.platform == "bluesky" else "boze_klant"
    brand.posts(2)
    reply_id = brand.post("Dank voor je vraag, we zoeken het uit. ^AB", 10,
                          in_reply_to={"text": "Waarom is het rooster weer veranderd?", "author": author})
    assert brand.collect(backfill=True).status == "ok"
    row = brand.stored(reply_id)
    assert row.kind == "reply"
    assert row.in_reply_to_text == "Waarom is het rooster weer veranderd?"
    key = brand.settings.require_pseudonym_key()
    assert row.in_reply_to_author == pseudonym(author, key=key, platform=brand.platform)
    assert author not in (row.in_reply_to_author or "")
    assert row.signature is not None and row.signature.startswith("s:")
    assert "AB" not in row.signature

    # later passes that see the reply again keep its context
    brand.posts(1, start=50)
    brand.collect()
    assert brand.stored(reply_id).in_reply_to_text == "Waarom is het rooster weer veranderd?"


def test_emoji_and_right_to_left_text_survive_unchanged(brand: Brand) -> None:
    text = "Welkom 👋🏽 nieuwe studenten! שלום לכולם مرحبا بكم 🎓 Meer: https://www.example.nl/intro?a=1"
    post_id = brand.post(text, 1, lang="nl")
    assert brand.collect(backfill=True).status == "ok"
    row = brand.stored(post_id)
    assert row.text == text
    assert "https://www.example.nl/intro?a=1" in (row.urls or []) or brand.platform == "reddit"
    assert row.lang in ("nl", None)


def test_rate_limit_in_the_middle_of_paging_ends_the_run_and_resumes_later(brand: Brand) -> None:
    count = 3 * PAGE[brand.platform] - 10
    brand.posts(count)
    endpoint = {"x": "users_tweets", "reddit": "user_overview", "mastodon": "account_statuses",
                "bluesky": "getAuthorFeed"}[brand.platform]
    brand.server.inject_fault(platform=brand.platform, kind="rate_limit", after=1, endpoint=endpoint, reset_in=90)
    first = brand.collect(backfill=True)
    assert first.status == "rate_limited"
    assert first.error_code == "E_RATE_LIMIT"
    assert brand.account.next_allowed_at is not None and first.retry_after is not None
    stored_after_first = len(brand.stored_ids())
    assert 0 < stored_after_first < count

    # before the reset: no request at all
    before = brand.server.request_count()
    early = brand.collect()
    assert early.status == "rate_limited" and early.requests == 0
    assert brand.server.request_count() == before

    brand.account.next_allowed_at = None  # the reset time has passed
    resumed = brand.collect()
    assert resumed.status == "ok", resumed
    assert brand.stored_ids() == brand.server_ids()
    assert brand.row_count() == count
    # pages already stored were not read again: one page more than the minimum (the 429)
    assert brand.listing_requests() <= math.ceil(count / PAGE[brand.platform]) + 2


def test_server_error_then_success_is_retried_with_bounded_backoff(brand: Brand) -> None:
    brand.posts(7)
    brand.server.inject_fault(platform=brand.platform, kind="server_error", times=1,
                              endpoint=None if brand.platform != "reddit" else "user_overview")
    slept: list[float] = []
    result = brand.collect(backfill=True, settings=brand.settings.model_copy(update={"http_backoff": 0.25}),
                           sleep=slept.append)
    assert result.status == "ok", result
    assert slept == [0.25]
    assert brand.stored_ids() == brand.server_ids()


def test_server_errors_beyond_the_retries_fail_with_a_code_and_keep_the_cursor(brand: Brand) -> None:
    brand.posts(4)
    assert brand.collect(backfill=True).status == "ok"
    cursor = dict(brand.account.cursor)
    brand.posts(2, start=10)
    brand.server.inject_fault(platform=brand.platform, kind="server_error", times=10)
    slept: list[float] = []
    result = brand.collect(settings=brand.settings.model_copy(update={"http_backoff": 1.0}), sleep=slept.append)
    assert (result.status, result.error_code) == ("failed", "E_HTTP_5XX")
    assert slept == [1.0, 2.0]  # http_retries=2: bounded, doubling
    assert result.requests == 3
    assert brand.account.cursor == cursor
    brand.server.clear_faults()
    assert brand.collect().new == 2


def test_timeout_is_retried_and_then_reported(brand: Brand) -> None:
    brand.posts(3)
    brand.server.inject_fault(platform=brand.platform, kind="slow", seconds=1.0, times=1,
                              endpoint=None if brand.platform != "reddit" else "user_overview")
    assert brand.collect(backfill=True).status == "ok"
    brand.posts(1, start=10)
    brand.server.inject_fault(platform=brand.platform, kind="slow", seconds=1.0, times=3)
    result = brand.collect()
    assert (result.status, result.error_code) == ("failed", "E_TIMEOUT")


def test_truncated_json_fails_the_page_and_stores_nothing_of_it(brand: Brand) -> None:
    brand.posts(3)
    assert brand.collect(backfill=True).status == "ok"
    cursor = dict(brand.account.cursor)
    brand.posts(2, start=10)
    brand.server.inject_fault(platform=brand.platform, kind="truncated",
                              endpoint=None if brand.platform != "reddit" else "user_overview")
    result = brand.collect()
    assert (result.status, result.error_code) == ("failed", "E_MALFORMED")
    assert result.requests == 1  # not retried
    assert brand.row_count() == 3
    assert brand.account.cursor == cursor
    assert brand.collect().new == 2


def test_wrong_shape_is_malformed_with_a_clear_message(brand: Brand) -> None:
    brand.posts(2)
    brand.server.inject_fault(platform=brand.platform, kind="malformed",
                              endpoint=None if brand.platform != "reddit" else "user_overview")
    result = brand.collect(backfill=True)
    assert (result.status, result.error_code) == ("failed", "E_MALFORMED")
    assert result.error_message
    assert brand.row_count() == 0


def test_unknown_fields_are_ignored(brand: Brand) -> None:
    brand.posts(4)
    brand.server.inject_fault(platform=brand.platform, kind="unknown_field", times=5)
    result = brand.collect(backfill=True)
    assert result.status == "ok", result
    assert brand.stored_ids() == brand.server_ids()


def test_run_record_holds_counts_and_settings_but_no_credential(brand: Brand) -> None:
    brand.posts(3)
    result = brand.collect(backfill=True)
    run = brand.session.get(CollectionRun, result.run_id)
    assert run.status == "ok" and run.finished_at is not None and run.backfill
    assert (run.posts_new, run.requests) == (3, result.requests)
    assert run.settings["http_retries"] == 2 and run.settings["page_size"] == PAGE[brand.platform]
    blob = repr(run.settings) + repr(run.warnings) + repr(run.error_message)
    for secret in ("x-secret-token", "reddit-secret", "masto-secret"):
        assert secret not in blob
    assert brand.session.scalars(select(CollectionRun).where(CollectionRun.status == "running")).all() == []


def test_first_collection_without_backfill_reads_only_the_newest_page(brand: Brand) -> None:
    page = PAGE[brand.platform]
    ids = brand.posts(page + 15)
    result = brand.collect()
    assert result.status == "ok" and result.new == page
    assert brand.listing_requests() == 1
    assert set(brand.stored_ids()) == set(brand.server_ids()) - set(ids[:15])
    brand.posts(3, start=1000)
    assert brand.collect().new == 3  # from then on everything new is read
