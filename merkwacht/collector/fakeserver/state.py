"""The fake platforms' state: accounts, posts, faults and request counts, held in memory.

One :class:`PlatformState` holds every platform. The platform modules beside this one turn
it into answers shaped like each platform's documented API. Everything here is guarded by
one lock, because the HTTP server answers from several threads.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from merkwacht.core.platforms import get_platform

#: Fault kinds the server can inject.
FAULT_KINDS = ("rate_limit", "server_error", "slow", "truncated", "unknown_field", "malformed")


@dataclass
class FakeAccount:
    platform: str
    handle: str
    id: str
    brand: bool = True


@dataclass
class FakePost:
    """One post on a fake platform. ``versions`` holds earlier (text, urls, until) tuples."""

    platform: str
    id: str
    account_id: str
    handle: str
    text: str
    created_at: datetime
    kind: str = "post"
    lang: str | None = None
    urls: list[str] = field(default_factory=list)
    parent: FakePost | None = None
    edited_at: datetime | None = None
    versions: list[tuple[str, list[str], datetime]] = field(default_factory=list)
    #: X only: the ids this tweet had before its edits (edit_history_tweet_ids without itself).
    earlier_ids: list[str] = field(default_factory=list)
    deleted: bool = False
    #: A brand post (in a timeline) or a third-party post (a parent of a reply).
    brand: bool = True
    seq: int = 0


@dataclass
class Fault:
    kind: str
    times: int = 1
    after: int = 0
    endpoint: str | None = None
    seconds: float = 1.0
    reset_in: int = 60


def _aware(value: datetime | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    if value.tzinfo is None:
        raise ValueError("created_at must be timezone-aware")
    return value.astimezone(UTC)


class PlatformState:
    """Accounts, posts, faults and request counts of every fake platform."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.accounts: dict[tuple[str, str], FakeAccount] = {}
        self.posts: dict[tuple[str, str], FakePost] = {}
        self.faults: dict[str, list[Fault]] = {}
        self.requests: Counter[tuple[str, str, str]] = Counter()
        self._seq = itertools.count(1)
        self._ids: dict[str, itertools.count] = {}

    # -- ids ----------------------------------------------------------------------------
    def new_id(self, platform: str, created_at: datetime, *, owner: str = "", kind: str = "post") -> str:
        """A platform-shaped id that grows with time: X and Mastodon snowflakes, Reddit fullnames
        (``t3_`` submissions, ``t1_`` comments), Bluesky ``at://`` URIs with a TID record key."""
        seq = next(self._seq)
        millis = int(created_at.timestamp() * 1000)
        if platform == "x":
            return str(((millis - 1288834974657) << 22) | (seq & 0x3FFFFF))
        if platform == "mastodon":
            return str((millis << 16) | (seq & 0xFFFF))
        if platform == "reddit":
            return ("t1_" if kind == "reply" else "t3_") + _base36(36**5 + seq)
        collection = "repost" if kind == "repost" else "post"
        return f"at://{owner}/app.bsky.feed.{collection}/{_tid(millis * 1000, seq)}"

    # -- accounts -----------------------------------------------------------------------
    def add_account(self, *, platform: str, handle: str, platform_account_id: str | None = None,
                    brand: bool = True) -> FakeAccount:
        get_platform(platform)
        key = (platform, handle.lstrip("@").lower())
        with self.lock:
            if key in self.accounts:
                return self.accounts[key]
            if platform_account_id is None:
                seq = next(self._seq)
                platform_account_id = {
                    "x": str(1000000 + seq), "reddit": "t2_" + _base36(1000 + seq),
                    "mastodon": str(10000 + seq), "bluesky": f"did:plc:fake{seq:020d}",
                }[platform]
            account = FakeAccount(platform, handle.lstrip("@"), platform_account_id, brand)
            self.accounts[key] = account
            return account

    def account(self, platform: str, handle_or_id: str) -> FakeAccount | None:
        with self.lock:
            found = self.accounts.get((platform, handle_or_id.lstrip("@").lower()))
            if found is not None:
                return found
            for account in self.accounts.values():
                if account.platform == platform and account.id == handle_or_id:
                    return account
            return None

    # -- posts --------------------------------------------------------------------------
    def add_post(self, *, platform: str, handle: str, text: str, created_at: datetime | None = None,
                 kind: str = "post", lang: str | None = None, in_reply_to: dict[str, Any] | None = None,
                 urls: list[str] | None = None, post_id: str | None = None) -> str:
        created = _aware(created_at)
        with self.lock:
            account = self.add_account(platform=platform, handle=handle)
            parent = None
            if in_reply_to is not None:
                author = self.add_account(platform=platform, handle=in_reply_to.get("author") or "someone",
                                          brand=False)
                parent_id = in_reply_to.get("id") or self.new_id(platform, created, owner=author.id, kind="reply")
                parent = FakePost(platform=platform, id=parent_id,
                                  account_id=author.id, handle=author.handle, text=in_reply_to.get("text", ""),
                                  created_at=created, brand=False, seq=next(self._seq))
                self.posts[(platform, parent.id)] = parent
                if kind == "post":
                    kind = "reply"
            post_id = post_id or self.new_id(platform, created, owner=account.id, kind=kind)
            post = FakePost(platform=platform, id=post_id, account_id=account.id,
                            handle=account.handle, text=text, created_at=created, kind=kind, lang=lang,
                            urls=list(urls or []), parent=parent, seq=next(self._seq))
            self.posts[(platform, post.id)] = post
            return post.id

    def get_post(self, platform: str, post_id: str) -> FakePost:
        with self.lock:
            try:
                return self.posts[(platform, post_id)]
            except KeyError:
                raise KeyError(f"no {platform} post {post_id!r} on the fake server") from None

    def edit_post(self, *, platform: str, post_id: str, text: str, urls: list[str] | None = None,
                  edited_at: datetime | None = None) -> str:
        """Edit a post. On X an edit is a new tweet id (the old ids go to its edit history): returns the id."""
        at = _aware(edited_at)
        with self.lock:
            post = self.get_post(platform, post_id)
            post.versions.append((post.text, list(post.urls), at))
            post.text = text
            if urls is not None:
                post.urls = list(urls)
            post.edited_at = at
            if platform == "x":
                del self.posts[(platform, post.id)]
                post.earlier_ids.append(post.id)
                post.id = self.new_id(platform, at)
                post.created_at = at
                self.posts[(platform, post.id)] = post
            return post.id

    def delete_post(self, *, platform: str, post_id: str) -> None:
        with self.lock:
            self.get_post(platform, post_id).deleted = True

    def timeline(self, platform: str, account_id: str) -> list[FakePost]:
        """The account's visible posts, newest first."""
        with self.lock:
            posts = [p for p in self.posts.values()
                     if p.platform == platform and p.account_id == account_id and p.brand and not p.deleted]
        return sorted(posts, key=lambda p: (p.created_at, _sort_id(platform, p.id)), reverse=True)

    def visible_posts(self, platform: str, handle: str) -> list[FakePost]:
        account = self.account(platform, handle)
        return [] if account is None else self.timeline(platform, account.id)

    # -- faults and counts --------------------------------------------------------------
    def inject(self, platform: str, fault: Fault) -> None:
        if fault.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {fault.kind!r}; known: {', '.join(FAULT_KINDS)}")
        with self.lock:
            self.faults.setdefault(platform, []).append(fault)

    def take_fault(self, platform: str, endpoint: str) -> Fault | None:
        """The fault to apply to this request, if any (consumes one use of it)."""
        with self.lock:
            for fault in self.faults.get(platform, []):
                if fault.endpoint is not None and fault.endpoint != endpoint:
                    continue
                if fault.after > 0:
                    fault.after -= 1
                    return None
                fault.times -= 1
                if fault.times <= 0:
                    self.faults[platform].remove(fault)
                return fault
            return None

    def count(self, platform: str, account: str, endpoint: str) -> None:
        with self.lock:
            self.requests[(platform, account, endpoint)] += 1


def _sort_id(platform: str, post_id: str) -> Any:
    if platform in ("x", "mastodon") and post_id.isdigit():
        return int(post_id)
    if platform == "reddit":
        return int(post_id.split("_")[-1], 36)
    return post_id.rsplit("/", 1)[-1]


_B32 = "234567abcdefghijklmnopqrstuvwxyz"


def _tid(micros: int, clock: int) -> str:
    """An AT Protocol TID (13 base32-sortable characters) from microseconds and a clock id."""
    value = ((micros << 10) | (clock & 1023)) & ((1 << 63) - 1)
    return "".join(_B32[(value >> (5 * i)) & 31] for i in reversed(range(13)))


def _base36(value: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while value:
        value, rest = divmod(value, 36)
        out = digits[rest] + out
    return out or "0"
