"""A fake platform server for tests, benchmarks and the offline demo.

It answers like X API v2, Reddit, Mastodon and Bluesky (the parts Merkwacht uses), holds its
state in memory, counts requests per platform, account and endpoint, and injects faults::

    with FakePlatformServer() as server:
        server.add_account(platform="x", handle="UniLeiden")
        server.add_post(platform="x", handle="UniLeiden", text="Hallo", created_at=when)
        settings = Settings(**server.settings_overrides())   # point the real clients at it
        server.inject_fault(platform="x", kind="rate_limit", after=1)

Nothing here imports a platform SDK: the collectors talk to it through their real client libraries.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any, Self

from . import bluesky, mastodon, reddit, x
from .server import FakePlatformServerCore, Reply, Request, Route
from .state import FAULT_KINDS, FakePost, Fault, PlatformState

ROUTES: list[Route] = [*x.ROUTES, *reddit.ROUTES, *mastodon.ROUTES, *bluesky.ROUTES]

__all__ = ["FAULT_KINDS", "FakePlatformServer", "FakePost", "PlatformState", "Reply", "Request", "Route"]


class FakePlatformServer(FakePlatformServerCore):
    """A threaded HTTP server on 127.0.0.1 (port 0: a free port) that plays every platform."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0) -> None:
        super().__init__(host=host, port=port, routes=ROUTES)

    def __enter__(self) -> Self:
        self.start()
        return self

    # -- content ------------------------------------------------------------------------
    def add_account(self, *, platform: str, handle: str, platform_account_id: str | None = None) -> str:
        """Create a brand account on ``platform``; returns its platform id (X user id, DID, ...)."""
        return self.state.add_account(platform=platform, handle=handle,
                                      platform_account_id=platform_account_id).id

    def add_post(self, *, platform: str, handle: str, text: str, created_at: datetime | None = None,
                 kind: str = "post", lang: str | None = None, in_reply_to: dict[str, Any] | None = None,
                 urls: list[str] | None = None, post_id: str | None = None) -> str:
        """Publish a post; ``in_reply_to={"text": ..., "author": "handle"}`` creates the third-party parent.

        Returns the id a collector stores for it (X/Mastodon ids, Reddit fullnames, Bluesky URIs).
        """
        return self.state.add_post(platform=platform, handle=handle, text=text, created_at=created_at, kind=kind,
                                   lang=lang, in_reply_to=in_reply_to, urls=urls, post_id=post_id)

    def edit_post(self, *, platform: str, post_id: str, text: str, urls: list[str] | None = None,
                  edited_at: datetime | None = None) -> str:
        """Edit a post. On X an edit gets a new tweet id (returned); elsewhere the id stays."""
        return self.state.edit_post(platform=platform, post_id=post_id, text=text, urls=urls, edited_at=edited_at)

    def delete_post(self, *, platform: str, post_id: str) -> None:
        """Delete a post: it disappears from timelines, listings and lookups."""
        self.state.delete_post(platform=platform, post_id=post_id)

    def visible_post_ids(self, *, platform: str, handle: str) -> list[str]:
        """The ids a collector should hold for the account (X: the id of each tweet's first version)."""
        posts = self.state.visible_posts(platform, handle)
        return [(p.earlier_ids[0] if p.earlier_ids else p.id) for p in posts]

    # -- faults -------------------------------------------------------------------------
    def inject_fault(self, *, platform: str, kind: str, times: int = 1, after: int = 0,
                     endpoint: str | None = None, seconds: float = 1.0, reset_in: int = 60) -> None:
        """Make the next matching request(s) fail.

        ``kind``: ``rate_limit`` (429 with the platform's reset headers, ``reset_in`` seconds),
        ``server_error`` (500), ``slow`` (answer after ``seconds``), ``truncated`` (half the JSON),
        ``unknown_field`` (extra fields no client knows), ``malformed`` (valid JSON, wrong shape).
        ``after`` lets that many matching requests through first; ``endpoint`` limits it to one endpoint.
        """
        self.state.inject(platform, Fault(kind, times=times, after=after, endpoint=endpoint, seconds=seconds,
                                          reset_in=reset_in))

    def clear_faults(self) -> None:
        with self.state.lock:
            self.state.faults.clear()

    # -- counts and settings ------------------------------------------------------------
    @property
    def requests(self) -> Counter[tuple[str, str, str]]:
        """Requests answered so far, keyed by (platform, account, endpoint)."""
        return self.state.requests

    def request_count(self, *, platform: str | None = None, endpoint: str | None = None,
                      account: str | None = None) -> int:
        with self.state.lock:
            return sum(n for (p, a, e), n in self.state.requests.items()
                       if (platform is None or p == platform) and (endpoint is None or e == endpoint)
                       and (account is None or a == account.lower()))

    def reset_counts(self) -> None:
        with self.state.lock:
            self.state.requests.clear()

    @property
    def mastodon_instance_url(self) -> str:
        """The instance URL to register Mastodon accounts with."""
        return self.url

    def settings_overrides(self) -> dict[str, str]:
        """Settings values that point every collector at this server."""
        return {"x_api_url": self.url, "reddit_url": self.url, "reddit_oauth_url": self.url,
                "bluesky_api_url": self.url}
