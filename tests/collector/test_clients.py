"""Client details: logins and tokens are reused between passes; credentials stay out of sight."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from merkwacht.collector.credentials import read_credentials
from merkwacht.collector.errors import CollectorError
from merkwacht.collector.fakeserver import FakePlatformServer
from merkwacht.core.settings import Settings

from .conftest import register


def test_bluesky_logs_in_once_with_an_app_password(
    session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, "bluesky")
    monkeypatch.setenv("T_BLUESKY_HANDLE", brand.handle)
    monkeypatch.setenv("T_BLUESKY_APP_PASSWORD", "app-pass-secret")
    brand.posts(3)
    assert brand.collect(backfill=True).new == 3
    brand.posts(1, start=10)
    assert brand.collect().new == 1
    assert server.request_count(endpoint="createSession") == 1
    assert brand.account.platform_account_id.startswith("did:plc:")


def test_reddit_fetches_its_oauth_token_once(
    session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, "reddit")
    brand.posts(2)
    first = brand.collect(backfill=True)
    second = brand.collect()
    assert server.request_count(endpoint="access_token") == 1
    assert (first.requests, second.requests) == (2, 1)  # the token counts once, in the first pass


def test_reddit_wrong_credentials_are_an_auth_error(
    session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, "reddit")
    monkeypatch.setenv("T_REDDIT_CLIENT_SECRET", "")
    result = brand.collect()
    assert (result.status, result.error_code) == ("failed", "E_CREDENTIALS")


def test_credentials_never_show_their_values() -> None:
    creds = read_credentials("ACME_X", required=("BEARER_TOKEN",), environ={"ACME_X_BEARER_TOKEN": "s3cr3t-value"})
    assert creds["BEARER_TOKEN"] == "s3cr3t-value"
    assert "s3cr3t" not in repr(creds) and "s3cr3t" not in creds.fingerprint()
    with pytest.raises(CollectorError, match="ACME_R_CLIENT_ID") as info:
        read_credentials("ACME_R", required=("CLIENT_ID",), environ={})
    assert info.value.code == "E_CREDENTIALS"


def test_x_unknown_user_is_not_found(
    session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, "x")
    server.state.accounts.clear()
    result = brand.collect()
    assert (result.status, result.error_code) == ("failed", "E_NOT_FOUND")


class _InvalidPayloadCollector:
    platform = "x"
    page_size = 100
    required_credentials: tuple[str, ...] = ()
    optional_credentials: tuple[str, ...] = ()
    requests = 0

    def settings_in_force(self) -> dict[str, object]:
        return {}

    def fetch_page(self, *, cursor: object, backfill: bool) -> object:
        from merkwacht.core.post import Post

        self.requests += 1
        return Post(id="1", platform="x", account="@a", created_at="2026-05-01T10:00:00Z", kind="post", text=7)

    def recheck(self, **_: object) -> None:
        return None


def test_a_payload_that_makes_no_valid_post_is_malformed(
    session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, "x")
    result = brand.collect(collector=_InvalidPayloadCollector())
    assert (result.status, result.error_code) == ("failed", "E_MALFORMED")
    assert "text" in result.error_message
    assert brand.account.cursor is None


@pytest.mark.parametrize("platform", ["x", "reddit", "mastodon"])
def test_secrets_never_reach_the_log_even_at_debug_level(
    platform: str, session: Session, server: FakePlatformServer, settings: Settings,
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    import logging

    caplog.set_level(logging.DEBUG)
    brand = register(session, server, settings, monkeypatch, platform)
    brand.posts(2)
    assert brand.collect(backfill=True).status == "ok"
    assert caplog.records  # something was logged
    for secret in ("x-secret-token", "reddit-secret", "masto-secret"):
        assert secret not in caplog.text
