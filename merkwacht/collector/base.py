"""The ``Collector`` protocol and what collectors exchange with the runner.

A collector reads one account's posts from one platform, page by page, through the
platform's client library, and turns every payload into :class:`merkwacht.core.post.Post`
once. No SDK object leaves its module: the runner sees only :class:`Page` objects.

Cursors are plain JSON dicts owned by the collector. The cursor in a :class:`Page` is the
one to store *together with* that page's posts, so a pass that stops halfway (rate limit,
crash) resumes where it stopped, and a page that was not stored is read again.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol, TypeVar

from merkwacht.core.post import Post

from .credentials import Credentials
from .errors import CollectorError


@dataclass(frozen=True, slots=True)
class AccountRef:
    """What a collector knows of the account: plain data, no ORM object."""

    id: int
    platform: str
    handle: str
    instance: str = ""
    platform_account_id: str | None = None

    @property
    def display(self) -> str:
        return "@" + self.handle


@dataclass(frozen=True, slots=True)
class PriorVersion:
    """An earlier version of a post that was edited before it was first collected."""

    text: str
    urls: tuple[str, ...]
    edited_at: datetime | None


@dataclass(slots=True)
class Page:
    """One page of a pass: the posts, the cursor to store with them, and whether the pass is done."""

    posts: list[Post]
    cursor: dict[str, Any]
    done: bool
    #: A complete newest-first read from the top reached back to this time: stored posts created
    #: after it that are not in ``seen_ids`` are gone (tombstoned).
    gone_newer_than: datetime | None = None
    seen_ids: list[str] = field(default_factory=list)
    #: Ids the platform said are gone (a recheck by lookup).
    gone_ids: list[str] = field(default_factory=list)
    platform_account_id: str | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)
    #: Earlier versions (oldest first) of posts on this page that were edited before collection.
    history: dict[str, list[PriorVersion]] = field(default_factory=dict)


class Collector(Protocol):
    """One platform's collector. Construct with ``(account=, credentials=, settings=)``."""

    platform: ClassVar[str]
    #: The platform's maximum page size, used for every listing request.
    page_size: ClassVar[int]
    #: Suffixes of the credential environment variables: required, optional.
    required_credentials: ClassVar[tuple[str, ...]]
    optional_credentials: ClassVar[tuple[str, ...]]
    #: Requests made so far by this instance (every attempt counts).
    requests: int

    def fetch_page(self, *, cursor: dict[str, Any] | None, backfill: bool) -> Page:
        """Read the next page of the pass ``cursor`` describes (``None``: first collection)."""
        ...

    def recheck(self, *, known_ids: list[str], cursor: dict[str, Any] | None) -> Page | None:
        """Re-read recent posts to notice edits and deletions; ``None`` when the platform has no cheap way."""
        ...

    def settings_in_force(self) -> dict[str, Any]:
        """Non-secret settings this collector uses (base URL, page size, client version)."""
        ...


def utc(value: datetime) -> datetime:
    """Aware UTC; a naive value is refused (platforms give offsets, Mastodon.py gives local time)."""
    if value.tzinfo is None:
        raise CollectorError("E_MALFORMED", code="malformed.no_time_zone", value=value)
    return value.astimezone(UTC)


def parse_time(value: Any, *, post: str, field: str) -> datetime:
    """An ISO 8601 string or datetime from a payload as aware UTC, or ``E_MALFORMED`` naming the post and field."""
    if isinstance(value, datetime):
        return utc(value)
    if not isinstance(value, str):
        raise CollectorError("E_MALFORMED", code="malformed.not_a_time", post=post, field=field, value=value)
    try:
        return utc(datetime.fromisoformat(value))
    except ValueError:
        raise CollectorError("E_MALFORMED", code="malformed.not_iso_time", post=post, field=field,
                             value=value) from None


C = TypeVar("C")


class ClientCache:
    """Client objects kept per account between runs (tokens stay valid; nothing is written to disk).

    The key includes a fingerprint of the credentials, so a rotated secret makes a new client.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[tuple[Any, ...], Any] = {}
        _ALL_CACHES.add(self)

    def get(self, key: tuple[Any, ...], make: Callable[[], C]) -> C:
        with self._lock:
            if key not in self._clients:
                self._clients[key] = make()
            return self._clients[key]

    def drop(self, key: tuple[Any, ...]) -> None:
        with self._lock:
            self._clients.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._clients.clear()


_ALL_CACHES: weakref.WeakSet[ClientCache] = weakref.WeakSet()


def clear_client_caches() -> None:
    """Forget every cached client (tests; after rotating credentials)."""
    for cache in list(_ALL_CACHES):
        cache.clear()


def cache_key(account: AccountRef, credentials: Credentials, *parts: Any) -> tuple[Any, ...]:
    return (account.platform, account.id, credentials.fingerprint(), *parts)


def newest_first_page(
    *,
    posts: list[Post],
    cursor: dict[str, Any],
    backfill: bool,
    position: Callable[[Post], tuple[str, ...]],
    next_token: str | None,
    token_key: str,
    platform_account_id: str | None,
) -> Page:
    """One page of a listing that is read newest first and has no "since" parameter (Reddit, Bluesky).

    The cursor keeps ``top``, the position of the newest post of the last complete pass. A pass
    pages back (``token_key`` holds the platform's paging token) until it meets a post at or below
    ``top``, then makes the newest position it saw (``pending_top``, carried in the cursor while the
    pass is under way, so an interrupted pass resumes knowing where it began) the new ``top``. A
    first look without ``--backfill`` reads only the newest page. Posts newer than the oldest post
    of the first page that are no longer listed are reported gone (tombstones).
    """
    top = tuple(cursor["top"]) if cursor.get("top") else None
    pending = cursor.get("pending_top") or (list(max(map(position, posts))) if posts else None)
    reached = top is not None and not backfill and any(position(p) <= top for p in posts)
    first_look = not cursor and not backfill
    gone_after = min(p.created_at for p in posts) if (posts and not cursor.get(token_key)) else None
    page = Page(posts, {}, done=True, gone_newer_than=gone_after, platform_account_id=platform_account_id)
    if next_token and not reached and not first_look:
        page.cursor = {"top": list(top) if top else None, "pending_top": pending, token_key: next_token}
        page.done = False
    else:
        page.cursor = {"top": pending or (list(top) if top else None)}
    return page
