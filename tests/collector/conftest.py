"""Fixtures for the collector tests: a fake platform server, settings that point the real
client libraries at it (zero backoff, short timeouts), and registered, opted-in accounts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from merkwacht.collector.base import clear_client_caches
from merkwacht.collector.fakeserver import FakePlatformServer
from merkwacht.collector.runner import RunResult, collect_account
from merkwacht.core.models import Account, Post
from merkwacht.core.repository.accounts import add_account, opt_in
from merkwacht.core.settings import Settings, set_settings

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
HANDLES = {"x": "UniBrand", "reddit": "UniBrand", "mastodon": "unibrand", "bluesky": "unibrand.bsky.social"}
CREDENTIALS = {
    "x": {"BEARER_TOKEN": "x-secret-token"},
    "reddit": {"CLIENT_ID": "reddit-client", "CLIENT_SECRET": "reddit-secret"},
    "mastodon": {"ACCESS_TOKEN": "masto-secret"},
    "bluesky": {},
}
PLATFORMS = ("x", "reddit", "mastodon", "bluesky")


@pytest.fixture
def server() -> Iterator[FakePlatformServer]:
    clear_client_caches()
    with FakePlatformServer() as srv:
        yield srv
    clear_client_caches()
    assert srv.errors == [], f"the fake server itself failed: {srv.errors}"


@pytest.fixture
def settings(server: FakePlatformServer) -> Settings:
    value = Settings(**server.settings_overrides(), http_backoff=0.0, http_timeout=0.4, http_retries=2,
                     pseudonym_key="test-pseudonym-key-0123456789")
    set_settings(value)
    return value


@dataclass
class Brand:
    """A registered, opted-in account and the way to collect it."""

    session: Session
    server: FakePlatformServer
    settings: Settings
    account: Account
    platform: str
    handle: str

    def post(self, text: str, minutes: int, **kwargs: object) -> str:
        return self.server.add_post(platform=self.platform, handle=self.handle, text=text,
                                    created_at=T0 + timedelta(minutes=minutes), **kwargs)

    def posts(self, count: int, start: int = 0) -> list[str]:
        return [self.post(f"Bericht {start + i} over onderzoek", start + i) for i in range(count)]

    def collect(self, **kwargs: object) -> RunResult:
        kwargs.setdefault("settings", self.settings)
        return collect_account(session=self.session, account=self.account, **kwargs)

    def stored_ids(self, *, alive: bool = True) -> list[str]:
        query = select(Post.platform_post_id).where(Post.account_id == self.account.id)
        if alive:
            query = query.where(Post.deleted_at.is_(None))
        return sorted(self.session.scalars(query))

    def stored(self, post_id: str) -> Post:
        return self.session.scalars(select(Post).where(Post.account_id == self.account.id,
                                                       Post.platform_post_id == post_id)).one()

    def server_ids(self) -> list[str]:
        return sorted(self.server.visible_post_ids(platform=self.platform, handle=self.handle))

    def row_count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(Post).where(Post.account_id == self.account.id))

    def listing_requests(self) -> int:
        endpoint = {"x": "users_tweets", "reddit": "user_overview", "mastodon": "account_statuses",
                    "bluesky": "getAuthorFeed"}[self.platform]
        return self.server.request_count(platform=self.platform, endpoint=endpoint)


def register(session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch,
             platform: str, *, handle: str | None = None, opted_in: bool = True) -> Brand:
    handle = handle or HANDLES[platform]
    server.add_account(platform=platform, handle=handle)
    prefix = f"T_{platform.upper()}"
    for name, value in CREDENTIALS[platform].items():
        monkeypatch.setenv(f"{prefix}_{name}", value)
    account = add_account(session=session, platform=platform, handle=handle, unit="Communicatie",
                          purpose="Toets aan de richtlijn", credentials_env=prefix,
                          instance=server.mastodon_instance_url if platform == "mastodon" else None)
    if opted_in:
        opt_in(session=session, account=account, by="Hoofd communicatie", role="account owner")
    session.flush()
    return Brand(session, server, settings, account, platform, handle)


@pytest.fixture(params=PLATFORMS)
def brand(request: pytest.FixtureRequest, session: Session, server: FakePlatformServer, settings: Settings,
          monkeypatch: pytest.MonkeyPatch) -> Brand:
    return register(session, server, settings, monkeypatch, request.param)
