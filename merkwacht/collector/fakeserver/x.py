"""The fake X API v2: user lookup, a user's tweets (since_id, until_id, pagination_token), tweet lookup.

Answers follow the documented shapes: ``data`` newest first, ``includes.tweets`` and
``includes.users`` for referenced tweets, ``entities.urls`` with ``expanded_url`` (the text
carries t.co links), ``edit_history_tweet_ids``, and ``meta`` with ``result_count``,
``newest_id``, ``oldest_id`` and ``next_token``. Only the 3,200 newest tweets are reachable.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from .server import Reply, Request, Route
from .state import FakePost

REACHABLE = 3200


def _iso(post_time: Any) -> str:
    return post_time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{post_time.microsecond // 1000:03d}Z"


def _tco(url: str) -> str:
    return "https://t.co/" + hashlib.sha1(url.encode()).hexdigest()[:10]


def _text_and_entities(post: FakePost) -> tuple[str, list[dict[str, Any]]]:
    text = post.text
    if post.kind == "repost" and post.parent is not None:
        text = f"RT @{post.parent.handle}: {post.parent.text}"
    for url in post.urls:
        if url not in text:
            text = f"{text} {url}"
    entities = []
    for url in dict.fromkeys([*post.urls, *re.findall(r"https?://[^\s]+", text)]):
        if url.startswith("https://t.co/"):
            continue
        short = _tco(url)
        start = text.find(url)
        text = text[:start] + short + text[start + len(url):]
        entities.append({"start": len(text[:start]), "end": len(text[:start]) + len(short), "url": short,
                         "expanded_url": url, "display_url": re.sub(r"^https?://", "", url)[:30]})
    # entity offsets count code points, as X documents
    return text, entities


def tweet_json(post: FakePost) -> dict[str, Any]:
    text, urls = _text_and_entities(post)
    tweet: dict[str, Any] = {
        "id": post.id,
        "text": text,
        "created_at": _iso(post.created_at),
        "author_id": post.account_id,
        "conversation_id": post.parent.id if post.parent is not None else post.id,
        "edit_history_tweet_ids": [*post.earlier_ids, post.id],
    }
    if post.lang:
        tweet["lang"] = post.lang
    if urls:
        tweet["entities"] = {"urls": urls}
    if post.parent is not None:
        relation = {"reply": "replied_to", "quote": "quoted", "repost": "retweeted"}.get(post.kind, "replied_to")
        tweet["referenced_tweets"] = [{"type": relation, "id": post.parent.id}]
        if relation == "replied_to":
            tweet["in_reply_to_user_id"] = post.parent.account_id
    return tweet


def _user_json(state: Any, account_id: str) -> dict[str, Any] | None:
    for account in state.accounts.values():
        if account.platform == "x" and account.id == account_id:
            return {"id": account.id, "name": account.handle.title(), "username": account.handle}
    return None


def _includes(state: Any, posts: list[FakePost], expansions: str) -> dict[str, Any]:
    if "referenced_tweets.id" not in expansions:
        return {}
    parents = {p.parent.id: p.parent for p in posts if p.parent is not None}
    includes: dict[str, Any] = {}
    if parents:
        includes["tweets"] = [tweet_json(parent) for parent in parents.values()]
        users = [_user_json(state, parent.account_id) for parent in parents.values()]
        includes["users"] = [u for u in users if u is not None]
    return includes


def user_by_username(request: Request) -> Reply:
    account = request.state.account("x", request.match["username"])
    if account is None:
        return Reply(200, {"errors": [{
            "value": request.match["username"], "detail": f"Could not find user with username: "
            f"[{request.match['username']}].", "title": "Not Found Error", "resource_type": "user",
            "parameter": "username", "type": "https://api.twitter.com/2/problems/resource-not-found"}]})
    return Reply(200, {"data": {"id": account.id, "name": account.handle.title(), "username": account.handle}})


def users_tweets(request: Request) -> Reply:
    params = request.params
    try:
        limit = int(params.get("max_results", "10"))
    except ValueError:
        limit = 0
    if not 5 <= limit <= 100:
        return Reply(400, {"title": "Invalid Request", "detail": "max_results must be between 5 and 100",
                           "type": "https://api.twitter.com/2/problems/invalid-request"})
    timeline = request.state.timeline("x", request.match["id"])[:REACHABLE]
    since = int(params["since_id"]) if params.get("since_id") else None
    until = int(params["until_id"]) if params.get("until_id") else None
    token = params.get("pagination_token")
    if token:
        until = min(until or 1 << 63, int(token.removeprefix("7140dib"), 16))
    matching = [p for p in timeline if (since is None or int(p.id) > since) and (until is None or int(p.id) < until)]
    page = matching[:limit]
    if not page:
        return Reply(200, {"meta": {"result_count": 0}})
    meta: dict[str, Any] = {"result_count": len(page), "newest_id": page[0].id, "oldest_id": page[-1].id}
    if len(matching) > limit:
        meta["next_token"] = "7140dib" + format(int(page[-1].id), "x")
    body: dict[str, Any] = {"data": [tweet_json(p) for p in page], "meta": meta}
    includes = _includes(request.state, page, params.get("expansions", ""))
    if includes:
        body["includes"] = includes
    return Reply(200, body)


def tweets_lookup(request: Request) -> Reply:
    ids = [i for i in request.params.get("ids", "").split(",") if i]
    found, errors = [], []
    with request.state.lock:
        for tweet_id in ids:
            post = next((p for p in request.state.posts.values() if p.platform == "x"
                         and (p.id == tweet_id or tweet_id in p.earlier_ids) and not p.deleted), None)
            if post is None:
                errors.append({"value": tweet_id, "detail": f"Could not find tweet with ids: [{tweet_id}].",
                               "title": "Not Found Error", "resource_type": "tweet", "parameter": "ids",
                               "resource_id": tweet_id,
                               "type": "https://api.twitter.com/2/problems/resource-not-found"})
            else:
                found.append(tweet_json(post))
    body: dict[str, Any] = {}
    if found:
        body["data"] = found
    if errors:
        body["errors"] = errors
    return Reply(200, body)


ROUTES = [
    Route("x", "GET", re.compile(r"/2/users/by/username/(?P<username>[^/]+)"), "users_by_username",
          user_by_username, lambda r: r.match["username"].lower()),
    Route("x", "GET", re.compile(r"/2/users/(?P<id>\d+)/tweets"), "users_tweets", users_tweets,
          lambda r: r.match["id"]),
    Route("x", "GET", re.compile(r"/2/tweets"), "tweets_lookup", tweets_lookup),
]
