"""The fake Bluesky XRPC API: getProfile, getAuthorFeed (cursor, limit 100), createSession.

Feed items are ``FeedViewPost``s: ``post`` (a ``PostView`` with ``record`` text, ``createdAt``,
``langs``, link ``facets`` with UTF-8 byte offsets and ``reply`` refs), ``reply.parent`` (the
post answered, as a ``PostView``) and, for reposts, ``reason`` (``reasonRepost``).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import time
from typing import Any

from .server import Reply, Request, Route
from .state import FakeAccount, FakePost

MAX_LIMIT = 100


def _iso(value: Any) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _cid(uri: str) -> str:
    return "bafyrei" + hashlib.sha256(uri.encode()).hexdigest()[:52]


def _profile(account: FakeAccount) -> dict[str, Any]:
    return {"did": account.id, "handle": account.handle, "displayName": account.handle.split(".")[0].title(),
            "avatar": None, "labels": [], "createdAt": "2023-01-01T00:00:00.000Z"}


def _facets(text: str, urls: list[str]) -> tuple[str, list[dict[str, Any]]]:
    for url in urls:
        if url not in text:
            text = f"{text} {url}"
    facets = []
    for match in re.finditer(r"https?://[^\s]+", text):
        start = len(text[:match.start()].encode("utf-8"))
        facets.append({"$type": "app.bsky.richtext.facet",
                       "index": {"byteStart": start, "byteEnd": start + len(match.group(0).encode("utf-8"))},
                       "features": [{"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)}]})
    return text, facets


def post_view(post: FakePost, state: Any) -> dict[str, Any]:
    text, facets = _facets(post.text, post.urls)
    record: dict[str, Any] = {"$type": "app.bsky.feed.post", "text": text, "createdAt": _iso(post.created_at)}
    if post.lang:
        record["langs"] = [post.lang]
    if facets:
        record["facets"] = facets
    if post.parent is not None and post.kind == "reply":
        ref = {"uri": post.parent.id, "cid": _cid(post.parent.id)}
        record["reply"] = {"root": ref, "parent": ref}
    if post.parent is not None and post.kind == "quote":
        record["embed"] = {"$type": "app.bsky.embed.record",
                           "record": {"uri": post.parent.id, "cid": _cid(post.parent.id)}}
    return {"uri": post.id, "cid": _cid(post.id), "author": _profile(state.account("bluesky", post.handle)),
            "record": record, "replyCount": 0, "repostCount": 0, "likeCount": 0, "quoteCount": 0,
            "indexedAt": _iso(post.created_at), "labels": []}


def feed_item(post: FakePost, state: Any) -> dict[str, Any]:
    if post.kind == "repost" and post.parent is not None:
        item = {"post": post_view(post.parent, state),
                "reason": {"$type": "app.bsky.feed.defs#reasonRepost", "uri": post.id, "cid": _cid(post.id),
                           "by": _profile(state.account("bluesky", post.handle)),
                           "indexedAt": _iso(post.created_at)}}
        return item
    item: dict[str, Any] = {"post": post_view(post, state)}
    if post.parent is not None and post.kind == "reply":
        parent = post_view(post.parent, state)
        item["reply"] = {"root": parent, "parent": parent}
    return item


def _sort_key(post: FakePost) -> str:
    return _iso(post.created_at) + "::" + post.id.rsplit("/", 1)[-1]


def get_profile(request: Request) -> Reply:
    account = request.state.account("bluesky", request.params.get("actor", ""))
    if account is None:
        return Reply(400, {"error": "InvalidRequest", "message": "Profile not found"})
    return Reply(200, {**_profile(account), "postsCount": len(request.state.timeline("bluesky", account.id))})


def get_author_feed(request: Request) -> Reply:
    account = request.state.account("bluesky", request.params.get("actor", ""))
    if account is None:
        return Reply(400, {"error": "InvalidRequest", "message": "Profile not found"})
    try:
        limit = int(request.params.get("limit", "50"))
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        return Reply(400, {"error": "InvalidRequest", "message": "limit must be between 1 and 100"})
    posts = request.state.timeline("bluesky", account.id)
    cursor = request.params.get("cursor")
    if cursor:
        posts = [p for p in posts if _sort_key(p) < cursor]
    page = posts[:limit]
    body: dict[str, Any] = {"feed": [feed_item(p, request.state) for p in page]}
    if len(posts) > limit:
        body["cursor"] = _sort_key(page[-1])
    return Reply(200, body)


def _jwt(payload: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    return f"{part({'typ': 'at+jwt', 'alg': 'HS256'})}.{part(payload)}.c2lnbmF0dXJl"


def create_session(request: Request) -> Reply:
    try:
        data = json.loads(request.body or b"{}")
    except ValueError:
        return Reply(400, {"error": "InvalidRequest", "message": "bad JSON body"})
    account = request.state.account("bluesky", str(data.get("identifier", "")))
    if account is None or not data.get("password"):
        return Reply(401, {"error": "AuthenticationRequired", "message": "Invalid identifier or password"})
    now = int(time.time())
    access = _jwt({"scope": "com.atproto.appPass", "sub": account.id, "iat": now, "exp": now + 7200,
                   "aud": "did:web:fake.pds"})
    refresh = _jwt({"scope": "com.atproto.refresh", "sub": account.id, "iat": now, "exp": now + 86400 * 60,
                    "jti": "fake", "aud": "did:web:fake.pds"})
    return Reply(200, {"did": account.id, "handle": account.handle, "accessJwt": access, "refreshJwt": refresh,
                       "active": True, "email": None})


def _actor(request: Request) -> str:
    return request.params.get("actor", "").lower()


ROUTES = [
    Route("bluesky", "GET", re.compile(r"/xrpc/app\.bsky\.actor\.getProfile"), "getProfile", get_profile, _actor),
    Route("bluesky", "GET", re.compile(r"/xrpc/app\.bsky\.feed\.getAuthorFeed"), "getAuthorFeed", get_author_feed,
          _actor),
    Route("bluesky", "POST", re.compile(r"/xrpc/com\.atproto\.server\.createSession"), "createSession",
          create_session, faultable=False),
]
