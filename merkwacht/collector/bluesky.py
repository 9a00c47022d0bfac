"""Bluesky through the atproto SDK (XRPC over httpx).

* ``app.bsky.feed.getAuthorFeed`` with ``limit=100`` (the maximum), newest first, paged with
  ``cursor``. There is no "since": a pass walks from the top to the newest post it already
  knew, so a pass with nothing new is one request; the feed cursor is stored with each page.
* Public reads need no login; with ``PREFIX_HANDLE`` and ``PREFIX_APP_PASSWORD`` the client
  logs in once (``com.atproto.server.createSession``) and keeps the session for later passes.
* The top page is complete from its oldest post up: stored posts newer than that which are
  missing were deleted (tombstoned). Bluesky has no edits.
* Links come from the record's facets (``app.bsky.richtext.facet#link``); a reply's parent
  post arrives in the feed item (``reply.parent``) with its text and author, so no extra
  request is needed; a repost (``reasonRepost``) is stored under the repost record's URI.
* The raw JSON is read through ``invoke_query`` so a field the SDK's models do not know yet
  never breaks collection; unknown fields are ignored.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib.metadata import version
from typing import Any, ClassVar

from atproto import Client, models
from atproto_client import exceptions as atp
from atproto_client.request import Request

from merkwacht.core.post import InReplyTo, Post, Provenance
from merkwacht.core.settings import Settings

from .base import AccountRef, ClientCache, Page, cache_key, newest_first_page, parse_time
from .credentials import Credentials
from .errors import CollectorError, platform_label, rate_limited

CLIENT = f"atproto/{version('atproto')}"
NSID = "app.bsky.feed.getAuthorFeed"
LABEL = platform_label("bluesky")
_clients = ClientCache()


def _make_client(settings: Settings) -> Client:
    return Client(base_url=settings.bluesky_api_url, request=Request(timeout=settings.http_timeout))


def _status(exc: atp.RequestErrorBase) -> int | None:
    return exc.response.status_code if exc.response is not None else None


def _translate(exc: Exception) -> CollectorError:
    if isinstance(exc, atp.RateLimitExceededError):
        when = exc.reset_at or datetime.now(UTC) + timedelta(minutes=5)
        return rate_limited("bluesky", until=when)
    if isinstance(exc, atp.InvokeTimeoutError):
        return CollectorError("E_TIMEOUT", code="network.timeout", platform=LABEL)
    if isinstance(exc, atp.UnauthorizedError):
        return CollectorError("E_AUTH", code="auth.app_password", platform=LABEL)
    if isinstance(exc, atp.RequestErrorBase):
        status = _status(exc)
        if status is not None and status >= 500:
            return CollectorError("E_HTTP_5XX", code="http.status", platform=LABEL, status=status)
        if status is None:
            return CollectorError("E_NETWORK", code="network.no_connection", platform=LABEL)
        if status == 400:
            return CollectorError("E_NOT_FOUND", code="http.refused", platform=LABEL, detail=str(exc))
        return CollectorError("E_HTTP", code="http.status", platform=LABEL, status=status)
    if isinstance(exc, ValueError):
        return CollectorError("E_MALFORMED", code="malformed.not_json_detail", platform=LABEL, detail=str(exc))
    raise exc


def _link_urls(record: dict[str, Any]) -> list[str]:
    urls = []
    for facet in record.get("facets") or []:
        for feature in (facet.get("features") or []) if isinstance(facet, dict) else []:
            if (isinstance(feature, dict) and feature.get("$type") == "app.bsky.richtext.facet#link"
                    and isinstance(feature.get("uri"), str)):
                urls.append(feature["uri"])
    return urls


def feed_item_to_post(item: Any, *, account: AccountRef, fetched_at: datetime) -> Post:
    """One ``FeedViewPost`` as a :class:`Post`."""
    view = item.get("post") if isinstance(item, dict) else None
    record = view.get("record") if isinstance(view, dict) else None
    if not isinstance(record, dict) or not isinstance(view.get("uri"), str) or not isinstance(record.get("text"), str):
        raise CollectorError("E_MALFORMED", code="malformed.item_field", platform=LABEL,
                             field="post.uri/post.record.text")
    post_id, kind = view["uri"], "post"
    created = parse_time(record.get("createdAt"), post=post_id, field="createdAt")
    reason = item.get("reason")
    in_reply_to = None
    if isinstance(reason, dict) and reason.get("$type") == "app.bsky.feed.defs#reasonRepost":
        kind = "repost"
        post_id = reason.get("uri") or f"{view['uri']}#repost-by-{account.platform_account_id or account.handle}"
        created = parse_time(reason.get("indexedAt"), post=post_id, field="reason.indexedAt")
    elif isinstance(record.get("reply"), dict):
        kind = "reply"
        ref = record["reply"].get("parent") or {}
        parent = (item.get("reply") or {}).get("parent") or {}
        parent_record = parent.get("record") if isinstance(parent.get("record"), dict) else {}
        in_reply_to = InReplyTo(id=str(ref.get("uri") or parent.get("uri") or ""),
                                text=parent_record.get("text"), author=(parent.get("author") or {}).get("handle"))
    elif isinstance(record.get("embed"), dict) and str(record["embed"].get("$type", "")).startswith(
            "app.bsky.embed.record"):
        kind = "quote"
    langs = record.get("langs") or []
    return Post(id=post_id, platform="bluesky", account=account.display, created_at=created, kind=kind,
                text=record["text"], lang=langs[0] if langs and isinstance(langs[0], str) else None,
                urls=tuple(dict.fromkeys(_link_urls(record))), in_reply_to=in_reply_to,
                provenance=Provenance(endpoint=f"GET /xrpc/{NSID}", client=CLIENT, fetched_at=fetched_at))


def _position(post: Post) -> tuple[str, str]:
    return (post.created_at.isoformat(), post.id)


class BlueskyCollector:
    """Collector for Bluesky accounts (optional ``PREFIX_HANDLE`` and ``PREFIX_APP_PASSWORD``)."""

    platform: ClassVar[str] = "bluesky"
    page_size: ClassVar[int] = 100
    required_credentials: ClassVar[tuple[str, ...]] = ()
    optional_credentials: ClassVar[tuple[str, ...]] = ("HANDLE", "APP_PASSWORD")

    def __init__(self, *, account: AccountRef, credentials: Credentials, settings: Settings) -> None:
        self.account = account
        self.settings = settings
        self.requests = 0
        self.credentials = credentials
        self.client = _clients.get(cache_key(account, credentials, settings.bluesky_api_url, settings.http_timeout),
                                   lambda: _make_client(settings))

    def settings_in_force(self) -> dict[str, Any]:
        return {"api_url": self.settings.bluesky_api_url, "page_size": self.page_size, "client": CLIENT,
                "login": "HANDLE" in self.credentials}

    def _call(self, func: Any, **kwargs: Any) -> Any:
        self.requests += 1
        try:
            return func(**kwargs)
        except Exception as exc:
            raise _translate(exc) from exc

    def _login(self) -> None:
        if ("HANDLE" in self.credentials and "APP_PASSWORD" in self.credentials and self.client.me is None
                and getattr(self.client, "_session", None) is None):
            self._call(self.client.login, login=self.credentials["HANDLE"],
                       password=self.credentials["APP_PASSWORD"], fetch_bsky_profile=False)

    def fetch_page(self, *, cursor: dict[str, Any] | None, backfill: bool) -> Page:
        cursor = dict(cursor or {})
        self._login()
        params = models.AppBskyFeedGetAuthorFeed.Params(
            actor=self.account.platform_account_id or self.account.handle, limit=self.page_size,
            cursor=cursor.get("cursor"))
        answer = self._call(self.client.invoke_query, nsid=NSID, params=params)
        content = answer.content
        if not isinstance(content, dict) or not isinstance(content.get("feed"), list):
            raise CollectorError("E_MALFORMED", code="malformed.answer_field", platform=LABEL, endpoint=NSID,
                                 field="feed")
        now = datetime.now(UTC)
        posts = [feed_item_to_post(item, account=self.account, fetched_at=now) for item in content["feed"]]
        did = next((item["post"]["author"].get("did") for item in content["feed"]
                    if not item.get("reason") and isinstance(item["post"].get("author"), dict)), None)
        next_cursor = content.get("cursor") if isinstance(content.get("cursor"), str) else None
        return newest_first_page(posts=posts, cursor=cursor, backfill=backfill, position=_position,
                                 next_token=next_cursor, token_key="cursor", platform_account_id=did)

    def recheck(self, *, known_ids: list[str], cursor: dict[str, Any] | None) -> Page | None:
        """Every pass already re-reads the top page (deletions): nothing more to do."""
        return None
