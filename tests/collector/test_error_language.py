"""Collector errors in Dutch and English: coded messages, English in run records, the reader's language on screen."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from merkwacht.collector.credentials import read_credentials
from merkwacht.collector.errors import CODES, ERROR_CODES, CollectorError, describe, rate_limited
from merkwacht.collector.fakeserver import FakePlatformServer
from merkwacht.core.errors import Coded
from merkwacht.core.models import CollectionRun
from merkwacht.core.settings import Settings

from .conftest import register


def test_str_is_english_with_its_code_and_the_reader_gets_their_language() -> None:
    error = CollectorError("E_HTTP_5XX", code="http.status", platform="X", status=503)
    assert str(error) == "E_HTTP_5XX: X answered 503"
    assert error.message == "X answered 503" and error.text("en") == "X answered 503"
    assert error.text("nl") == "X antwoordde 503"
    assert (error.code, error.message_code, error.params) == ("E_HTTP_5XX", "http.status", {"platform": "X",
                                                                                              "status": 503})
    assert error.retryable and isinstance(error, Coded)


def test_a_rate_limit_keeps_its_reset_time_and_names_it_in_both_languages() -> None:
    until = datetime(2026, 5, 1, 10, 15, tzinfo=UTC)
    error = rate_limited("mastodon", until=until)
    assert (error.code, error.retry_after, error.retryable) == ("E_RATE_LIMIT", until, False)
    assert error.message == "Mastodon answered 429; the limit resets at 2026-05-01 10:15:00 UTC"
    assert error.text("nl") == "Mastodon antwoordde 429; de limiet wordt gereset om 2026-05-01 10:15:00 UTC"


def test_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="E_NOPE"):
        CollectorError("E_NOPE", code="http.status", platform="X", status=1)


def test_the_codes_are_described_in_both_languages() -> None:
    assert list(CODES) == list(ERROR_CODES)
    assert CODES["E_AUTH"] == "the platform refused the credentials" == describe("E_AUTH")
    assert describe("E_AUTH", lang="nl") == "het platform weigerde de inloggegevens"
    assert describe("E_ABORTED", lang="nl") == ""  # not a collector code


def test_missing_credentials_name_the_variables_never_their_values() -> None:
    with pytest.raises(CollectorError) as info:
        read_credentials("UNI_X", required=("BEARER_TOKEN",), environ={"UNI_X_OTHER": "geheim"})
    assert info.value.code == "E_CREDENTIALS"
    assert info.value.text("nl") == "omgevingsvariabele(n) niet ingesteld: UNI_X_BEARER_TOKEN"
    assert "geheim" not in str(info.value) + info.value.text("nl")


def test_the_run_record_keeps_the_english_message_and_the_result_the_coded_error(
    session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, "x")
    monkeypatch.delenv("T_X_BEARER_TOKEN")
    result = brand.collect()
    run = session.get(CollectionRun, result.run_id)
    assert (run.error_code, run.error_message) == ("E_CREDENTIALS", "environment variable(s) not set: T_X_BEARER_TOKEN")
    assert result.error is not None and result.error.text("nl") == "omgevingsvariabele(n) niet ingesteld: T_X_BEARER_TOKEN"


def test_a_server_error_after_the_retries_is_coded(
    session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, "bluesky")
    brand.posts(2)
    server.inject_fault(platform="bluesky", kind="server_error", times=10)
    result = brand.collect()
    assert (result.status, result.error_code) == ("failed", "E_HTTP_5XX")
    assert result.error_message == "Bluesky answered 500"
    assert result.error is not None and result.error.text("nl") == "Bluesky antwoordde 500"
