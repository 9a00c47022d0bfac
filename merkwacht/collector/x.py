"""X (Twitter) through tweepy 4.17 and the X API v2.

* ``GET /2/users/:id/tweets`` with ``max_results=100`` (the maximum) and ``since_id``: a pass
  with nothing new is one request. The first page's ``meta.newest_id`` becomes the next
  ``since_id`` once the pass has reached its end, so no tweet is ever read twice (X charges
  per tweet read). Paging goes by ``pagination_token``; the token is stored with each page,
  so a pass cut off by a rate limit resumes where it stopped.
* Only the 3,200 newest tweets are reachable; ``--backfill`` reads all of them.
* An edit is a new tweet whose ``edit_history_tweet_ids`` starts with the original id:
  it is stored as a new version of the original post.
* Replies carry the answered tweet from ``includes.tweets`` and its author from
  ``includes.users`` (pseudonymised when stored); links come from ``entities.urls``
  (``expanded_url`` replaces the t.co link in the text).
* tweepy fixes the host (api.twitter.com): requests are redirected to ``x_api_url`` by an
  adapter mounted on ``client.session``, which also sets the timeout. ``wait_on_rate_limit``
  is off: a 429 ends the pass and records ``x-rate-limit-reset``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

import requests
import tweepy
from requests.adapters import HTTPAdapter

from merkwacht.core.post import InReplyTo, Post, Provenance
from merkwacht.core.settings import Settings

from .base import AccountRef, ClientCache, Page, cache_key, parse_time
from .credentials import Credentials
from .errors import CollectorError, platform_label, rate_limited

TWEEPY_HOST = "https://api.twitter.com"
CLIENT = f"tweepy/{tweepy.__version__}"
ENDPOINT = "GET /2/users/:id/tweets"
USER_ENDPOINT = "GET /2/users/by/username/:username"
LABEL = platform_label("x")
TWEET_FIELDS = ["created_at", "lang", "entities", "referenced_tweets", "in_reply_to_user_id",
                "edit_history_tweet_ids", "conversation_id", "author_id"]
EXPANSIONS = ["referenced_tweets.id", "referenced_tweets.id.author_id"]
KINDS = {"replied_to": "reply", "quoted": "quote", "retweeted": "repost"}

_clients = ClientCache()
# tweepy logs every request's headers (the bearer token) at DEBUG: never let that through.
logging.getLogger("tweepy.client").setLevel(logging.INFO)


class _RedirectAdapter(HTTPAdapter):
    """Sends tweepy's api.twitter.com requests to the configured base URL, with a timeout."""

    def __init__(self, *, base_url: str, timeout: float) -> None:
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        if request.url and request.url.startswith(TWEEPY_HOST):
            request.url = self.base_url + request.url[len(TWEEPY_HOST):]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def _make_client(token: str, settings: Settings) -> tweepy.Client:
    client = tweepy.Client(bearer_token=token, return_type=dict, wait_on_rate_limit=False)
    client.session.mount(TWEEPY_HOST, _RedirectAdapter(base_url=settings.x_api_url, timeout=settings.http_timeout))
    return client


def _translate(exc: Exception) -> CollectorError:
    if isinstance(exc, tweepy.TooManyRequests):
        reset = exc.reset_time
        when = (datetime.fromtimestamp(reset, UTC) if reset else datetime.now(UTC) + timedelta(minutes=15))
        return rate_limited("x", until=when)
    if isinstance(exc, tweepy.TwitterServerError):
        return CollectorError("E_HTTP_5XX", code="http.status", platform=LABEL, status=exc.response.status_code)
    if isinstance(exc, (tweepy.Unauthorized, tweepy.Forbidden)):
        return CollectorError("E_AUTH", code="auth.bearer_token", platform=LABEL, status=exc.response.status_code)
    if isinstance(exc, tweepy.NotFound):
        return CollectorError("E_NOT_FOUND", code="not_found.account", platform=LABEL)
    if isinstance(exc, tweepy.HTTPException):
        return CollectorError("E_HTTP", code="http.status_detail", platform=LABEL, status=exc.response.status_code,
                              detail=str(exc))
    if isinstance(exc, requests.Timeout):
        return CollectorError("E_TIMEOUT", code="network.timeout", platform=LABEL)
    if isinstance(exc, requests.ConnectionError):
        return CollectorError("E_NETWORK", code="network.no_connection_detail", platform=LABEL,
                              detail=type(exc).__name__)
    if isinstance(exc, ValueError):  # requests.JSONDecodeError
        return CollectorError("E_MALFORMED", code="malformed.not_json_detail", platform=LABEL, detail=str(exc))
    raise exc


def _expand(text: str, entities: Any) -> tuple[str, list[str]]:
    """Replace each t.co link with its ``expanded_url``; the expanded URLs in order."""
    urls: list[str] = []
    if not isinstance(entities, dict):
        return text, urls
    for entity in entities.get("urls") or []:
        if not isinstance(entity, dict):
            continue
        expanded = entity.get("unwound_url") or entity.get("expanded_url")
        short = entity.get("url")
        if isinstance(expanded, str):
            urls.append(expanded)
            if isinstance(short, str) and short:
                text = text.replace(short, expanded, 1)
    return text, urls


def tweet_to_post(tweet: Any, *, account: AccountRef, includes: dict[str, Any], fetched_at: datetime) -> Post:
    """One tweet object of the v2 API as a :class:`Post` (keyed by the id of its first version)."""
    if not isinstance(tweet, dict) or not isinstance(tweet.get("id"), str) or not isinstance(tweet.get("text"), str):
        raise CollectorError("E_MALFORMED", code="malformed.item_field_value", platform=LABEL, field="id/text",
                             value=str(tweet)[:200])
    history = tweet.get("edit_history_tweet_ids") or [tweet["id"]]
    if not isinstance(history, list) or not all(isinstance(i, str) for i in history):
        raise CollectorError("E_MALFORMED", code="malformed.post_field", platform=LABEL, post=tweet["id"],
                             field="edit_history_tweet_ids")
    created = parse_time(tweet.get("created_at"), post=tweet["id"], field="created_at")
    text, urls = _expand(tweet["text"], tweet.get("entities"))
    kind, in_reply_to = "post", None
    tweets = {t.get("id"): t for t in includes.get("tweets") or [] if isinstance(t, dict)}
    users = {u.get("id"): u for u in includes.get("users") or [] if isinstance(u, dict)}
    for ref in tweet.get("referenced_tweets") or []:
        if not isinstance(ref, dict) or ref.get("type") not in KINDS:
            continue
        kind = KINDS[ref["type"]]
        if kind == "reply":
            parent = tweets.get(ref.get("id")) or {}
            author = users.get(parent.get("author_id") or tweet.get("in_reply_to_user_id")) or {}
            in_reply_to = InReplyTo(id=str(ref.get("id")), text=parent.get("text"), author=author.get("username"))
        break
    lang = tweet.get("lang")
    return Post(
        id=history[0], platform="x", account=account.display, created_at=created, kind=kind, text=text,
        lang=None if lang in (None, "und", "zxx", "qme", "qht") else lang, urls=tuple(urls),
        in_reply_to=in_reply_to, edited_at=created if len(history) > 1 else None,
        provenance=Provenance(endpoint=ENDPOINT, client=CLIENT, fetched_at=fetched_at),
    )


class XCollector:
    """Collector for X accounts (credentials: ``PREFIX_BEARER_TOKEN``)."""

    platform: ClassVar[str] = "x"
    page_size: ClassVar[int] = 100
    required_credentials: ClassVar[tuple[str, ...]] = ("BEARER_TOKEN",)
    optional_credentials: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, account: AccountRef, credentials: Credentials, settings: Settings) -> None:
        self.account = account
        self.settings = settings
        self.requests = 0
        self.user_id = account.platform_account_id
        key = cache_key(account, credentials, settings.x_api_url, settings.http_timeout)
        self.client = _clients.get(key, lambda: _make_client(credentials["BEARER_TOKEN"], settings))

    def settings_in_force(self) -> dict[str, Any]:
        return {"api_url": self.settings.x_api_url, "page_size": self.page_size, "client": CLIENT}

    def _call(self, method: Any, **kwargs: Any) -> dict[str, Any]:
        self.requests += 1
        try:
            answer = method(**kwargs)
        except Exception as exc:
            raise _translate(exc) from exc
        if not isinstance(answer, dict):
            raise CollectorError("E_MALFORMED", code="malformed.not_object", platform=LABEL)
        return answer

    def _resolve_user(self) -> str:
        if self.user_id is None:
            answer = self._call(self.client.get_user, username=self.account.handle)
            data = answer.get("data")
            if not isinstance(data, dict) or not isinstance(data.get("id"), str):
                if answer.get("errors"):
                    raise CollectorError("E_NOT_FOUND", code="not_found.handle", platform=LABEL,
                                         handle=self.account.handle)
                raise CollectorError("E_MALFORMED", code="malformed.answer_field", platform=LABEL,
                                     endpoint=USER_ENDPOINT, field="data.id")
            self.user_id = data["id"]
        return self.user_id

    def fetch_page(self, *, cursor: dict[str, Any] | None, backfill: bool) -> Page:
        cursor = dict(cursor or {})
        user_id = self._resolve_user()
        since_id = cursor.get("since_id")
        params: dict[str, Any] = {"id": user_id, "max_results": self.page_size, "tweet_fields": TWEET_FIELDS,
                                  "expansions": EXPANSIONS, "user_fields": ["username"]}
        if since_id:
            params["since_id"] = since_id
        if cursor.get("next_token"):
            params["pagination_token"] = cursor["next_token"]
        answer = self._call(self.client.get_users_tweets, **params)
        meta = answer.get("meta")
        data = answer.get("data") or []
        if not isinstance(meta, dict) or not isinstance(data, list):
            raise CollectorError("E_MALFORMED", code="malformed.answer_field", platform=LABEL, endpoint=ENDPOINT,
                                 field="meta/data")
        includes = answer.get("includes") if isinstance(answer.get("includes"), dict) else {}
        now = datetime.now(UTC)
        posts = [tweet_to_post(t, account=self.account, includes=includes, fetched_at=now) for t in data]
        if data and not isinstance(meta.get("newest_id"), str):
            raise CollectorError("E_MALFORMED", code="malformed.answer_field", platform=LABEL, endpoint=ENDPOINT,
                                 field="meta.newest_id")
        newest = cursor.get("pending_newest") or meta.get("newest_id") or since_id
        next_token = meta.get("next_token")
        # A first collection without --backfill looks at the newest page only; once a pass has
        # finished, the cursor exists (even with since_id None) and every later pass reads all that is new.
        first_look = not cursor and not backfill
        if next_token and not first_look:
            new_cursor = {"since_id": since_id, "pending_newest": newest, "next_token": next_token}
            return Page(posts, new_cursor, done=False, platform_account_id=user_id)
        return Page(posts, {"since_id": newest}, done=True, platform_account_id=user_id)

    def recheck(self, *, known_ids: list[str], cursor: dict[str, Any] | None) -> Page | None:
        """Look the stored tweets up by id (``GET /2/tweets``): those X no longer has are gone.

        This reads those tweets again, which X charges for, so schedules do not do it by default.
        """
        ids = known_ids[:100]
        if not ids:
            return None
        answer = self._call(self.client.get_tweets, ids=ids, tweet_fields=TWEET_FIELDS)
        gone = [e.get("resource_id") or e.get("value") for e in answer.get("errors") or []
                if isinstance(e, dict) and "not found" in str(e.get("title", "")).lower()]
        # Found tweets are not stored again: edits arrive as new tweets through since_id.
        return Page([], dict(cursor or {}), done=True, gone_ids=[g for g in gone if isinstance(g, str)])
