"""The fake Reddit API: the OAuth token endpoint, a user's overview/submitted/comments listings, /api/info.

Listings are ``{"kind": "Listing", "data": {"after", "before", "dist", "children"}}``, newest
first, at most 100 a page, paged with ``after``/``before`` fullnames. Submissions are ``t3``
things (``title``, ``selftext``, ``url``, ``is_self``), comments ``t1`` things (``body``,
``parent_id``, ``link_id``, ``link_title``); ``edited`` is ``false`` or the edit time.
"""

from __future__ import annotations

import base64
import re
from typing import Any

from .server import Reply, Request, Route
from .state import FakePost

MAX_LIMIT = 100


def _thing(post: FakePost) -> dict[str, Any]:
    short = post.id.split("_", 1)[1]
    common = {
        "id": short, "name": post.id, "author": post.handle, "author_fullname": post.account_id,
        "created_utc": post.created_at.timestamp(), "created": post.created_at.timestamp(),
        "subreddit": "brandsub", "subreddit_name_prefixed": "r/brandsub",
        "edited": post.edited_at.timestamp() if post.edited_at else False,
        "score": 1, "ups": 1, "downs": 0,
    }
    if post.id.startswith("t1_"):
        parent = post.parent
        return {"kind": "t1", "data": {
            **common, "body": post.text, "body_html": None,
            "parent_id": parent.id if parent is not None else "t3_thread0",
            "link_id": "t3_thread0", "link_title": "Discussion thread", "link_author": "moderator",
            "permalink": f"/r/brandsub/comments/thread0/discussion/{short}/",
        }}
    title, _, selftext = post.text.partition("\n\n")
    data = {**common, "title": title, "selftext": selftext, "is_self": not post.urls,
            "url": post.urls[0] if post.urls else f"https://www.reddit.com/r/brandsub/comments/{short}/",
            "permalink": f"/r/brandsub/comments/{short}/post/", "num_comments": 0, "over_18": False}
    if post.kind == "repost" and post.parent is not None:
        data["crosspost_parent"] = post.parent.id
        data["crosspost_parent_list"] = [_thing(post.parent)["data"]]
    return {"kind": "t3", "data": data}


def _listing(children: list[dict[str, Any]], after: str | None, before: str | None) -> dict[str, Any]:
    return {"kind": "Listing", "data": {"after": after, "before": before, "dist": len(children),
                                        "modhash": None, "geo_filter": "", "children": children}}


def access_token(request: Request) -> Reply:
    auth = request.headers.get("authorization", "")
    if not auth.lower().startswith("basic ") or ":" not in base64.b64decode(auth[6:]).decode("utf-8", "replace"):
        return Reply(401, {"message": "Unauthorized", "error": 401})
    grant = request.params.get("grant_type", "")
    if grant not in ("client_credentials", "password", "https://oauth.reddit.com/grants/installed_client"):
        return Reply(200, {"error": "unsupported_grant_type"})
    return Reply(200, {"access_token": "fake-reddit-token", "token_type": "bearer", "expires_in": 86400,
                       "scope": "*"})


def _user_listing(request: Request, kinds: tuple[str, ...]) -> Reply:
    if request.headers.get("authorization", "").lower() != "bearer fake-reddit-token":
        return Reply(401, {"message": "Unauthorized", "error": 401})
    account = request.state.account("reddit", request.match["name"])
    if account is None:
        return Reply(404, {"message": "Not Found", "error": 404})
    try:
        limit = max(1, min(MAX_LIMIT, int(request.params.get("limit", "25"))))
    except ValueError:
        limit = 25
    posts = [p for p in request.state.timeline("reddit", account.id) if p.id[:3] in kinds]
    after, before = request.params.get("after"), request.params.get("before")
    state = request.state
    if after:
        try:
            anchor = state.get_post("reddit", after)
            posts = [p for p in posts if (p.created_at, p.seq) < (anchor.created_at, anchor.seq)]
        except KeyError:
            posts = []
    if before:
        try:
            anchor = state.get_post("reddit", before)
            newer = [p for p in posts if (p.created_at, p.seq) > (anchor.created_at, anchor.seq)]
            posts = newer[-limit:]
        except KeyError:
            posts = []
    page = posts[:limit]
    more = len(posts) > limit
    return Reply(200, _listing([_thing(p) for p in page], page[-1].id if (page and more) else None,
                               page[0].id if (page and (after or before)) else None))


def overview(request: Request) -> Reply:
    return _user_listing(request, ("t1_", "t3_"))


def submitted(request: Request) -> Reply:
    return _user_listing(request, ("t3_",))


def comments(request: Request) -> Reply:
    return _user_listing(request, ("t1_",))


def info(request: Request) -> Reply:
    ids = [i for i in request.params.get("id", "").split(",") if i][:100]
    found = []
    with request.state.lock:
        for fullname in ids:
            post = request.state.posts.get(("reddit", fullname))
            if post is not None and not post.deleted:
                found.append(_thing(post))
    return Reply(200, _listing(found, None, None))


def _name(request: Request) -> str:
    return request.match["name"].lower()


ROUTES = [
    Route("reddit", "POST", re.compile(r"/api/v1/access_token"), "access_token", access_token, faultable=False),
    Route("reddit", "GET", re.compile(r"/user/(?P<name>[^/]+)/overview(?:\.json)?/?"), "user_overview", overview,
          _name),
    Route("reddit", "GET", re.compile(r"/user/(?P<name>[^/]+)/submitted(?:\.json)?/?"), "user_submitted",
          submitted, _name),
    Route("reddit", "GET", re.compile(r"/user/(?P<name>[^/]+)/comments(?:\.json)?/?"), "user_comments", comments,
          _name),
    Route("reddit", "GET", re.compile(r"/api/info(?:\.json)?/?"), "info", info),
]

