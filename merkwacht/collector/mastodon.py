"""Mastodon through Mastodon.py 2.3, on the instance the account is registered with.

* ``GET /api/v1/accounts/:id/statuses`` with ``limit=40`` (the maximum). After the first
  collection a pass asks with ``min_id`` = the newest stored status: Mastodon answers with the
  statuses right after it, so catch-up is gap-free page by page and each page's newest id is
  stored with it; a pass with nothing new is one request.
* ``--backfill`` walks back with ``max_id`` to the oldest status (resumable, then switches to
  ``min_id``). The account id comes from ``/api/v1/accounts/lookup`` once and is kept.
* ``content`` is HTML: it becomes plain text with paragraphs and line breaks, links keep
  their full URL (Mastodon hides the scheme in an invisible span), and link targets other
  than mentions and hashtags are the post's URLs.
* ``created_at`` arrives from Mastodon.py in local time and is converted to UTC. Edits carry
  ``edited_at``; a recheck re-reads the newest page to notice edits (new version) and
  deletions (tombstone) of recent statuses.
* A status first seen already edited gets its earlier versions from
  ``GET /api/v1/statuses/:id/history`` (one request per such status), kept as post versions.
* Replies: the statuses answered by new replies come in one ``GET /api/v1/statuses?id[]=``
  request per page. ``ratelimit_method="throw"``: a 429 ends the pass, recording the reset.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from importlib.metadata import version
from typing import Any, ClassVar

from mastodon import (
    Mastodon,
    MastodonAPIError,
    MastodonNetworkError,
    MastodonNotFoundError,
    MastodonRatelimitError,
    MastodonServerError,
    MastodonUnauthorizedError,
)

from merkwacht.core.post import InReplyTo, Post, Provenance
from merkwacht.core.settings import Settings

from .base import AccountRef, ClientCache, Page, PriorVersion, cache_key, parse_time
from .credentials import Credentials
from .errors import CollectorError, platform_label, rate_limited

CLIENT = f"Mastodon.py/{version('Mastodon.py')}"
ENDPOINT = "GET /api/v1/accounts/:id/statuses"
LOOKUP_ENDPOINT = "GET /api/v1/accounts/lookup"
LABEL = platform_label("mastodon")
_clients = ClientCache()


class _PlainText(HTMLParser):
    """Mastodon's status HTML as plain text; link targets collected (mentions and hashtags aside)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.urls: list[str] = []
        self.paragraphs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            if self.paragraphs:
                self.parts.append("\n\n")
            self.paragraphs += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            values = dict(attrs)
            classes = (values.get("class") or "").split()
            href = values.get("href")
            if href and "mention" not in classes and "hashtag" not in classes:
                self.urls.append(href)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str) -> tuple[str, list[str]]:
    """Plain text and link URLs of a status's HTML ``content``."""
    parser = _PlainText()
    parser.feed(content or "")
    parser.close()
    return "".join(parser.parts).strip(), list(dict.fromkeys(parser.urls))


def _make_client(credentials: Credentials, instance: str, settings: Settings) -> Mastodon:
    return Mastodon(api_base_url=instance, access_token=credentials.get("ACCESS_TOKEN"), ratelimit_method="throw",
                    request_timeout=settings.http_timeout, version_check_mode="none",
                    user_agent="merkwacht/0.1 (brand-account audit)")


def _translate(exc: Exception, client: Mastodon) -> CollectorError:
    if isinstance(exc, MastodonRatelimitError):
        reset = getattr(client, "ratelimit_reset", None)
        when = (datetime.fromtimestamp(reset, UTC) if reset else datetime.now(UTC) + timedelta(minutes=5))
        return rate_limited("mastodon", until=when)
    if isinstance(exc, MastodonServerError):
        return CollectorError("E_HTTP_5XX", code="http.server_error", platform=LABEL, detail=str(exc.args[1:3]))
    if isinstance(exc, MastodonUnauthorizedError):
        return CollectorError("E_AUTH", code="auth.access_token", platform=LABEL)
    if isinstance(exc, MastodonNotFoundError):
        return CollectorError("E_NOT_FOUND", code="not_found.account", platform=LABEL)
    if isinstance(exc, MastodonNetworkError):
        text = str(exc).lower()
        if "timed out" in text or "timeout" in text:
            return CollectorError("E_TIMEOUT", code="network.timeout", platform=LABEL)
        return CollectorError("E_NETWORK", code="network.no_connection", platform=LABEL)
    if isinstance(exc, MastodonAPIError):
        if "parse response as json" in str(exc).lower():
            return CollectorError("E_MALFORMED", code="malformed.not_json", platform=LABEL)
        return CollectorError("E_HTTP", code="http.refused", platform=LABEL, detail=str(exc.args[1:3]))
    if isinstance(exc, (ValueError, TypeError, KeyError, AttributeError)):
        return CollectorError("E_MALFORMED", code="malformed.unreadable", platform=LABEL,
                              detail=f"{type(exc).__name__}: {exc}")
    raise exc


def _get(status: Any, key: str) -> Any:
    try:
        return status.get(key) if isinstance(status, dict) else getattr(status, key, None)
    except Exception:  # noqa: BLE001 - Mastodon.py's typed objects may raise on odd values
        return None


def status_to_post(status: Any, *, account: AccountRef, parents: dict[str, Any], fetched_at: datetime) -> Post:
    """One Mastodon status as a :class:`Post`."""
    status_id = _get(status, "id")
    if status_id is None:
        raise CollectorError("E_MALFORMED", code="malformed.item_field", platform=LABEL, field="id")
    status_id = str(status_id)
    created = parse_time(_get(status, "created_at"), post=status_id, field="created_at")
    edited = _get(status, "edited_at")
    kind, source = "post", status
    reblog = _get(status, "reblog")
    quote = _get(status, "quote")
    if reblog:
        kind, source = "repost", reblog
    elif quote:
        kind = "quote"
    content = _get(source, "content")
    if not isinstance(content, str):
        raise CollectorError("E_MALFORMED", code="malformed.post_field", platform=LABEL, post=status_id,
                             field="content")
    text, urls = html_to_text(content)
    spoiler = _get(source, "spoiler_text")
    if spoiler:
        text = f"{spoiler}\n\n{text}"
    in_reply_to = None
    parent_id = _get(status, "in_reply_to_id")
    if parent_id is not None and not reblog:
        kind = "reply"
        parent = parents.get(str(parent_id))
        parent_text = html_to_text(_get(parent, "content") or "")[0] if parent is not None else None
        author = _get(_get(parent, "account"), "acct") if parent is not None else None
        in_reply_to = InReplyTo(id=str(parent_id), text=parent_text, author=author)
    return Post(id=status_id, platform="mastodon", account=account.display, created_at=created, kind=kind, text=text,
                lang=_get(status, "language") or None, urls=tuple(urls), in_reply_to=in_reply_to,
                edited_at=parse_time(edited, post=status_id, field="edited_at") if edited else None,
                provenance=Provenance(endpoint=ENDPOINT, client=CLIENT, fetched_at=fetched_at))


class MastodonCollector:
    """Collector for Mastodon accounts (optional ``PREFIX_ACCESS_TOKEN``; public statuses need none)."""

    platform: ClassVar[str] = "mastodon"
    page_size: ClassVar[int] = 40
    required_credentials: ClassVar[tuple[str, ...]] = ()
    optional_credentials: ClassVar[tuple[str, ...]] = ("ACCESS_TOKEN",)

    def __init__(self, *, account: AccountRef, credentials: Credentials, settings: Settings) -> None:
        if not account.instance:
            raise CollectorError("E_NOT_FOUND", code="not_found.no_instance", platform=LABEL)
        self.account = account
        self.settings = settings
        self.requests = 0
        self.account_id = account.platform_account_id
        key = cache_key(account, credentials, account.instance, settings.http_timeout)
        self.client = _clients.get(key, lambda: _make_client(credentials, account.instance, settings))

    def settings_in_force(self) -> dict[str, Any]:
        return {"instance": self.account.instance, "page_size": self.page_size, "client": CLIENT}

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        self.requests += 1
        try:
            return method(*args, **kwargs)
        except Exception as exc:
            raise _translate(exc, self.client) from exc

    def _resolve_account(self) -> str:
        if self.account_id is None:
            found = self._call(self.client.account_lookup, self.account.handle)
            if _get(found, "id") is None:
                raise CollectorError("E_MALFORMED", code="malformed.answer_field", platform=LABEL,
                                     endpoint=LOOKUP_ENDPOINT, field="id")
            self.account_id = str(_get(found, "id"))
        return self.account_id

    def _statuses(self, **kwargs: Any) -> list[Any]:
        page = self._call(self.client.account_statuses, self._resolve_account(), limit=self.page_size, **kwargs)
        if not isinstance(page, list):
            raise CollectorError("E_MALFORMED", code="malformed.answer_field", platform=LABEL, endpoint=ENDPOINT,
                                 field="[...]")
        return page

    def _parents(self, page: list[Any], known_before: int | None) -> dict[str, Any]:
        wanted = [str(_get(s, "in_reply_to_id")) for s in page
                  if _get(s, "in_reply_to_id") is not None and not _get(s, "reblog")
                  and (known_before is None or int(str(_get(s, "id"))) > known_before)]
        if not wanted:
            return {}
        found = self._call(self.client.statuses, list(dict.fromkeys(wanted)))
        return {str(_get(s, "id")): s for s in found or [] if _get(s, "id") is not None}

    def _convert(self, page: list[Any], known_before: int | None = None, *, context: bool = True) -> list[Post]:
        parents = self._parents(page, known_before) if context else {}
        now = datetime.now(UTC)
        return [status_to_post(s, account=self.account, parents=parents, fetched_at=now) for s in page]

    def _history(self, posts: list[Post]) -> dict[str, list[PriorVersion]]:
        """Earlier versions of statuses that were edited before this first sight (``/statuses/:id/history``)."""
        history = {}
        for post in posts:
            if post.edited_at is None or post.kind == "repost":
                continue
            edits = self._call(self.client.status_history, post.id)
            versions = []
            for edit in list(edits or [])[:-1]:  # the last entry is the current version
                text, urls = html_to_text(_get(edit, "content") or "")
                created = _get(edit, "created_at")
                versions.append(PriorVersion(text=text, urls=tuple(urls),
                                             edited_at=parse_time(created, post=post.id, field="history[].created_at")
                                             if created else None))
            if versions:
                history[post.id] = versions
        return history

    def fetch_page(self, *, cursor: dict[str, Any] | None, backfill: bool) -> Page:
        cursor = dict(cursor or {})
        if cursor.get("min_id") and not cursor.get("max_id"):
            page = self._statuses(min_id=cursor["min_id"])
            posts = self._convert(page)
            newest = max((p.id for p in posts), key=int, default=cursor["min_id"])
            return Page(posts, {"min_id": newest}, done=len(page) < self.page_size,
                        platform_account_id=self.account_id, history=self._history(posts))
        if cursor.get("max_id"):
            page = self._statuses(max_id=cursor["max_id"])
        else:
            page = self._statuses()
        posts = self._convert(page)
        history = self._history(posts)
        pending = cursor.get("pending_top") or max((p.id for p in posts), key=int, default=None)
        gone_after = posts[-1].created_at if (posts and not cursor.get("max_id")) else None
        # --backfill, a resumed walk, or an account whose earlier passes found nothing: walk to the end.
        # A first collection without --backfill looks at the newest page only.
        if (backfill or cursor) and len(page) >= self.page_size:
            oldest = min((p.id for p in posts), key=int)
            return Page(posts, {"max_id": oldest, "pending_top": pending}, done=False,
                        gone_newer_than=gone_after, platform_account_id=self.account_id, history=history)
        return Page(posts, {"min_id": pending}, done=True, gone_newer_than=gone_after,
                    platform_account_id=self.account_id, history=history)

    def recheck(self, *, known_ids: list[str], cursor: dict[str, Any] | None) -> Page | None:
        """Re-read the newest page: changed statuses become new versions, missing ones tombstones."""
        page = self._statuses()
        posts = self._convert(page, context=False)
        gone_after = posts[-1].created_at if posts else None
        return Page(posts, dict(cursor or {}), done=True, gone_newer_than=gone_after)
