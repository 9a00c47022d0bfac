"""Reddit through praw 8 (prawcore 4), application-only OAuth or a script account.

* The user's overview listing (``/user/NAME/overview?sort=new``) has submissions and comments
  in one listing, newest first, 100 a page (the maximum), paged with ``after``. Reddit has no
  "since": a pass walks from the top to the newest post it already knew, so a pass with
  nothing new is one request. The ``after`` token is stored with each page, so a pass cut off
  by a rate limit resumes where it stopped.
* The top page is complete from its oldest post up: a stored post newer than that which is
  missing from it was deleted (tombstoned); one whose text changed was edited (``edited``).
* Replies: a comment answering a submission gets the submission's title as context
  (``link_title``, ``link_author``); a comment answering a comment gets that comment through
  one batched ``/api/info`` request per page, only for comments not seen before.
* praw runs with ``check_for_updates=False``, the base URLs from settings, the timeout from
  settings, prawcore's own retries and rate-limit sleeps switched off (the runner retries
  with injectable backoff; a 429 ends the pass and records ``x-ratelimit-reset``).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import praw
import prawcore
import requests
from prawcore.rate_limit import RateLimiter
from prawcore.requestor import Requestor
from prawcore.sessions import FiniteRetryStrategy

from merkwacht.core.post import InReplyTo, Post, Provenance
from merkwacht.core.settings import Settings

from .base import AccountRef, ClientCache, Page, cache_key, newest_first_page
from .credentials import Credentials
from .errors import CollectorError, platform_label, rate_limited

CLIENT = f"praw/{praw.__version__}"
ENDPOINT = "GET /user/:name/overview"
INFO_ENDPOINT = "GET /api/info"
LABEL = platform_label("reddit")
USER_AGENT = "python:merkwacht:0.1 (brand-account audit; opted-in accounts only)"
_clients = ClientCache()
# prawcore logs request data (a script app's password) at DEBUG: never let that through.
logging.getLogger("prawcore").setLevel(logging.INFO)


class _NoRetry(FiniteRetryStrategy):
    """prawcore without its own retries (they sleep); the runner retries instead."""

    DEFAULT_RETRIES: ClassVar[int] = 0

    def __init__(self, retries: int = 0) -> None:
        super().__init__(retries=0)


class _NoSleepRateLimiter(RateLimiter):
    """prawcore's limiter without sleeping: never sleep in a scheduler thread."""

    def delay(self) -> None:
        return None


class _TimeoutRequestor(Requestor):
    """prawcore passes its own 16-second default to every request; use the configured timeout."""

    def request(self, *args: Any, timeout: float | None = None, **kwargs: Any) -> requests.Response:
        return super().request(*args, timeout=self.timeout, **kwargs)


def _make_client(credentials: Credentials, settings: Settings) -> praw.Reddit:
    extra = {}
    if "USERNAME" in credentials and "PASSWORD" in credentials:
        extra = {"username": credentials["USERNAME"], "password": credentials["PASSWORD"]}
    reddit = praw.Reddit(
        client_id=credentials["CLIENT_ID"], client_secret=credentials["CLIENT_SECRET"], user_agent=USER_AGENT,
        reddit_url=settings.reddit_url.rstrip("/"), oauth_url=settings.reddit_oauth_url.rstrip("/"),
        check_for_updates=False, requestor_class=_TimeoutRequestor,
        requestor_kwargs={"timeout": settings.http_timeout}, **extra,
    )
    for core in {id(c): c for c in (reddit._core, reddit._read_only_core, reddit._authorized_core) if c}.values():
        core._retry_strategy_class = _NoRetry
        core._rate_limiter = _NoSleepRateLimiter(window_size=core._rate_limiter.window_size)
    return reddit


def _reset_time(response: requests.Response | None) -> datetime:
    headers = response.headers if response is not None else {}
    for name in ("x-ratelimit-reset", "retry-after"):
        value = headers.get(name)
        if value:
            try:
                return datetime.now(UTC) + timedelta(seconds=float(value))
            except ValueError:
                pass
    return datetime.now(UTC) + timedelta(minutes=10)


def _translate(exc: Exception) -> CollectorError:
    if isinstance(exc, prawcore.TooManyRequests):
        when = _reset_time(exc.response)
        return rate_limited("reddit", until=when)
    if isinstance(exc, prawcore.ServerError):
        return CollectorError("E_HTTP_5XX", code="http.status", platform=LABEL, status=exc.response.status_code)
    if isinstance(exc, prawcore.BadJSON):
        return CollectorError("E_MALFORMED", code="malformed.not_json", platform=LABEL)
    if isinstance(exc, (prawcore.OAuthException, prawcore.InvalidToken, prawcore.Forbidden,
                        prawcore.InsufficientScope)):
        return CollectorError("E_AUTH", code="auth.credentials", platform=LABEL, reason=type(exc).__name__)
    if isinstance(exc, prawcore.ResponseException) and exc.response.status_code == 401:
        return CollectorError("E_AUTH", code="auth.credentials", platform=LABEL, reason=401)
    if isinstance(exc, (prawcore.NotFound, prawcore.Redirect)):
        return CollectorError("E_NOT_FOUND", code="not_found.account", platform=LABEL)
    if isinstance(exc, prawcore.ResponseException):
        return CollectorError("E_HTTP", code="http.status", platform=LABEL, status=exc.response.status_code)
    if isinstance(exc, prawcore.RequestException):
        original = exc.original_exception
        if isinstance(original, requests.Timeout):
            return CollectorError("E_TIMEOUT", code="network.timeout", platform=LABEL)
        return CollectorError("E_NETWORK", code="network.no_connection_detail", platform=LABEL,
                              detail=f"{type(original).__name__}: {original}")
    if isinstance(exc, ValueError):
        return CollectorError("E_MALFORMED", code="malformed.unreadable", platform=LABEL, detail=str(exc))
    raise exc


def _when(value: Any, *, post: str, field: str) -> datetime:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise CollectorError("E_MALFORMED", code="malformed.not_epoch_time", post=post, field=field, value=value)
    return datetime.fromtimestamp(value, UTC)


def _listing_children(answer: Any, *, endpoint: str) -> tuple[list[dict[str, Any]], str | None]:
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("children"), list):
        raise CollectorError("E_MALFORMED", code="malformed.answer_field", platform=LABEL, endpoint=endpoint,
                             field="data.children")
    children = []
    for child in data["children"]:
        if not isinstance(child, dict) or not isinstance(child.get("data"), dict):
            raise CollectorError("E_MALFORMED", code="malformed.item_field", platform=LABEL, field="kind/data")
        children.append(child)
    after = data.get("after")
    return children, after if isinstance(after, str) and after else None


def thing_to_post(child: dict[str, Any], *, account: AccountRef, context: dict[str, dict[str, Any]],
                  fetched_at: datetime, endpoint: str) -> Post | None:
    """One ``t1`` (comment) or ``t3`` (submission) thing as a :class:`Post`; other kinds are skipped."""
    kind, data = child.get("kind"), child["data"]
    if kind not in ("t1", "t3"):
        return None
    name = data.get("name")
    if not isinstance(name, str):
        raise CollectorError("E_MALFORMED", code="malformed.item_field", platform=LABEL, field=f"{kind}.name")
    created = _when(data.get("created_utc"), post=name, field="created_utc")
    edited = data.get("edited")
    # ``edited`` is false, the edit time, or (on some old things) plain true: then the time is unknown
    known = isinstance(edited, (int, float)) and not isinstance(edited, bool)
    edited_at = _when(edited, post=name, field="edited") if known else None
    urls: list[str] = []
    in_reply_to = None
    if kind == "t1":
        body = data.get("body")
        if not isinstance(body, str):
            raise CollectorError("E_MALFORMED", code="malformed.post_field", platform=LABEL, post=name, field="body")
        text, post_kind = body, "reply"
        parent_id = data.get("parent_id")
        if isinstance(parent_id, str) and parent_id.startswith("t3_"):
            in_reply_to = InReplyTo(id=parent_id, text=data.get("link_title"), author=data.get("link_author"))
        elif isinstance(parent_id, str):
            parent = context.get(parent_id) or {}
            in_reply_to = InReplyTo(id=parent_id, text=parent.get("body") or parent.get("title"),
                                    author=parent.get("author"))
    else:
        title = data.get("title")
        if not isinstance(title, str):
            raise CollectorError("E_MALFORMED", code="malformed.post_field", platform=LABEL, post=name, field="title")
        selftext = data.get("selftext") or ""
        text = f"{title}\n\n{selftext}" if selftext else title
        post_kind = "repost" if data.get("crosspost_parent") else "post"
        if data.get("is_self") is False and isinstance(data.get("url"), str):
            urls.append(data["url"])
    return Post(id=name, platform="reddit", account=account.display, created_at=created, kind=post_kind,
                text=text, lang=None, urls=tuple(urls), in_reply_to=in_reply_to, edited_at=edited_at,
                provenance=Provenance(endpoint=endpoint, client=CLIENT, fetched_at=fetched_at))


def _position(post: Post) -> tuple[str, str]:
    return (post.created_at.isoformat(), post.id)


class RedditCollector:
    """Collector for Reddit accounts (``PREFIX_CLIENT_ID``, ``PREFIX_CLIENT_SECRET``; optional
    ``PREFIX_USERNAME``/``PREFIX_PASSWORD`` for a script app)."""

    platform: ClassVar[str] = "reddit"
    page_size: ClassVar[int] = 100
    required_credentials: ClassVar[tuple[str, ...]] = ("CLIENT_ID", "CLIENT_SECRET")
    optional_credentials: ClassVar[tuple[str, ...]] = ("USERNAME", "PASSWORD")

    def __init__(self, *, account: AccountRef, credentials: Credentials, settings: Settings) -> None:
        self.account = account
        self.settings = settings
        self.requests = 0
        key = cache_key(account, credentials, settings.reddit_url, settings.reddit_oauth_url, settings.http_timeout)
        self.reddit = _clients.get(key, lambda: _make_client(credentials, settings))
        self.path = f"/user/{account.handle}/overview"

    def settings_in_force(self) -> dict[str, Any]:
        return {"reddit_url": self.settings.reddit_url, "oauth_url": self.settings.reddit_oauth_url,
                "page_size": self.page_size, "client": CLIENT}

    def _get(self, path: str, params: dict[str, Any]) -> Any:
        authenticated = getattr(self.reddit._core._authorizer, "access_token", None) is not None
        self.requests += 1 if authenticated else 2  # the first call also fetches the OAuth token
        try:
            return self.reddit.request(method="GET", path=path, params=params)
        except Exception as exc:
            raise _translate(exc) from exc

    def _parents(self, children: list[dict[str, Any]], top: tuple[str, str] | None) -> dict[str, dict[str, Any]]:
        """The comments answered by new comments on this page, in one ``/api/info`` request."""
        wanted = []
        for child in children:
            data = child["data"]
            parent = data.get("parent_id")
            created = data.get("created_utc")
            if child.get("kind") != "t1" or not isinstance(parent, str) or not parent.startswith("t1_"):
                continue
            if (top is not None and isinstance(created, (int, float))
                    and (datetime.fromtimestamp(created, UTC).isoformat(), str(data.get("name"))) <= top):
                continue  # known already: its context is stored
            wanted.append(parent)
        if not wanted:
            return {}
        answer = self._get("/api/info", {"id": ",".join(dict.fromkeys(wanted)), "raw_json": 1})
        found, _ = _listing_children(answer, endpoint=INFO_ENDPOINT)
        return {c["data"].get("name"): c["data"] for c in found}

    def fetch_page(self, *, cursor: dict[str, Any] | None, backfill: bool) -> Page:
        cursor = dict(cursor or {})
        top = tuple(cursor["top"]) if cursor.get("top") else None
        params: dict[str, Any] = {"limit": self.page_size, "sort": "new", "raw_json": 1}
        if cursor.get("after"):
            params["after"] = cursor["after"]
        answer = self._get(self.path, params)
        children, after = _listing_children(answer, endpoint=ENDPOINT)
        context = self._parents(children, top)
        now = datetime.now(UTC)
        posts = [p for c in children
                 if (p := thing_to_post(c, account=self.account, context=context, fetched_at=now,
                                        endpoint=ENDPOINT)) is not None]
        account_id = next((c["data"].get("author_fullname") for c in children
                           if isinstance(c["data"].get("author_fullname"), str)), None)
        return newest_first_page(posts=posts, cursor=cursor, backfill=backfill, position=_position,
                                 next_token=after, token_key="after", platform_account_id=account_id)

    def recheck(self, *, known_ids: list[str], cursor: dict[str, Any] | None) -> Page | None:
        """Every pass already re-reads the top page (edits, deletions): nothing more to do."""
        return None
