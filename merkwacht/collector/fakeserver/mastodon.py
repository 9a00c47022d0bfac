"""The fake Mastodon API: account lookup, an account's statuses (max_id/since_id/min_id, Link headers),
single statuses, status edit history.

Statuses carry HTML ``content`` (paragraphs, ``<br />``, links split into invisible/visible spans
as Mastodon renders them), ``edited_at``, ``in_reply_to_id``, ``language`` and ``reblog``. At
most 40 a page; with ``min_id`` the page holds the statuses right after it (gap-free catch-up).
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlencode

from .server import Reply, Request, Route
from .state import FakeAccount, FakePost

MAX_LIMIT = 40


def _iso(value: Any) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def _link_html(url: str) -> str:
    scheme, _, rest = url.partition("://")
    visible, tail = rest[:30], rest[30:]
    return (f'<a href="{html.escape(url)}" rel="nofollow noopener noreferrer" target="_blank">'
            f'<span class="invisible">{html.escape(scheme)}://</span>'
            f'<span class="{"ellipsis" if tail else ""}">{html.escape(visible)}</span>'
            f'<span class="invisible">{html.escape(tail)}</span></a>')


def content_html(text: str, urls: list[str]) -> str:
    """Plain text as Mastodon renders it: paragraphs, line breaks, links."""
    for url in urls:
        if url not in text:
            text = f"{text} {url}"
    pattern = re.compile(r"https?://[^\s<>\"']+")

    def render(part: str) -> str:
        out, last = [], 0
        for match in pattern.finditer(part):
            out.append(html.escape(part[last:match.start()]))
            out.append(_link_html(match.group(0)))
            last = match.end()
        out.append(html.escape(part[last:]))
        return "".join(out).replace("\n", "<br />")

    return "".join(f"<p>{render(p)}</p>" for p in text.split("\n\n"))


def account_json(account: FakeAccount, base_url: str) -> dict[str, Any]:
    return {"id": account.id, "username": account.handle, "acct": account.handle,
            "display_name": account.handle.title(), "locked": False, "bot": False, "discoverable": True,
            "group": False, "created_at": "2020-01-01T00:00:00.000Z", "note": "<p></p>",
            "url": f"{base_url}/@{account.handle}", "uri": f"{base_url}/users/{account.handle}",
            "avatar": "", "avatar_static": "", "header": "", "header_static": "",
            "followers_count": 0, "following_count": 0, "statuses_count": 0,
            "last_status_at": None, "emojis": [], "fields": []}


def status_json(post: FakePost, state: Any, base_url: str) -> dict[str, Any]:
    account = state.account("mastodon", post.handle)
    data: dict[str, Any] = {
        "id": post.id, "created_at": _iso(post.created_at),
        "in_reply_to_id": None, "in_reply_to_account_id": None,
        "sensitive": False, "spoiler_text": "", "visibility": "public", "language": post.lang,
        "uri": f"{base_url}/users/{post.handle}/statuses/{post.id}",
        "url": f"{base_url}/@{post.handle}/{post.id}",
        "replies_count": 0, "reblogs_count": 0, "favourites_count": 0,
        "edited_at": _iso(post.edited_at) if post.edited_at else None,
        "content": content_html(post.text, post.urls), "reblog": None,
        "account": account_json(account, base_url), "media_attachments": [], "mentions": [], "tags": [],
        "emojis": [], "card": None, "poll": None,
    }
    if post.parent is not None and post.kind == "repost":
        data["reblog"] = status_json(post.parent, state, base_url)
        data["content"] = ""
    elif post.parent is not None:
        data["in_reply_to_id"] = post.parent.id
        data["in_reply_to_account_id"] = post.parent.account_id
    if post.parent is not None and post.kind == "quote":
        data["in_reply_to_id"] = None
        data["quote"] = {"state": "accepted", "quoted_status": status_json(post.parent, state, base_url)}
    return data


def lookup(request: Request) -> Reply:
    account = request.state.account("mastodon", request.params.get("acct", "").split("@")[0])
    if account is None:
        return Reply(404, {"error": "Record not found"})
    return Reply(200, account_json(account, request.base_url))


def statuses(request: Request) -> Reply:
    state = request.state
    params = request.params
    try:
        limit = max(1, min(MAX_LIMIT, int(params.get("limit", "20"))))
    except ValueError:
        limit = 20
    timeline = sorted(state.timeline("mastodon", request.match["id"]), key=lambda p: int(p.id), reverse=True)
    max_id, since_id, min_id = (int(params[k]) if params.get(k) else None for k in ("max_id", "since_id", "min_id"))
    items = [p for p in timeline if (max_id is None or int(p.id) < max_id)
             and (since_id is None or int(p.id) > since_id)]
    if min_id is not None:
        items = [p for p in items if int(p.id) > min_id][-limit:]
    else:
        items = items[:limit]
    headers = {}
    if items:
        path = f"{request.base_url}/api/v1/accounts/{request.match['id']}/statuses"
        headers["Link"] = (f'<{path}?{urlencode({"limit": limit, "max_id": items[-1].id})}>; rel="next", '
                           f'<{path}?{urlencode({"limit": limit, "min_id": items[0].id})}>; rel="prev"')
    return Reply(200, [status_json(p, state, request.base_url) for p in items], headers)


def _find(request: Request, status_id: str) -> FakePost | None:
    post = request.state.posts.get(("mastodon", status_id))
    return None if post is None or post.deleted else post


def status(request: Request) -> Reply:
    post = _find(request, request.match["id"])
    if post is None:
        return Reply(404, {"error": "Record not found"})
    return Reply(200, status_json(post, request.state, request.base_url))


def status_many(request: Request) -> Reply:
    ids = [v for k, values in request.multi.items() if k in ("id", "id[]") for v in values]
    found = [_find(request, i) for i in ids]
    return Reply(200, [status_json(p, request.state, request.base_url) for p in found if p is not None])


def history(request: Request) -> Reply:
    post = _find(request, request.match["id"])
    if post is None:
        return Reply(404, {"error": "Record not found"})
    account = account_json(request.state.account("mastodon", post.handle), request.base_url)
    versions, created = [], post.created_at
    for text, urls, until in post.versions:
        versions.append({"content": content_html(text, urls), "spoiler_text": "", "sensitive": False,
                         "created_at": _iso(created), "account": account, "media_attachments": [], "emojis": []})
        created = until
    versions.append({"content": content_html(post.text, post.urls), "spoiler_text": "", "sensitive": False,
                     "created_at": _iso(created), "account": account, "media_attachments": [], "emojis": []})
    return Reply(200, versions)


ROUTES = [
    Route("mastodon", "GET", re.compile(r"/api/v1/accounts/lookup"), "accounts_lookup", lookup,
          lambda r: r.params.get("acct", "").lower()),
    Route("mastodon", "GET", re.compile(r"/api/v1/accounts/(?P<id>\d+)/statuses"), "account_statuses", statuses,
          lambda r: r.match["id"]),
    Route("mastodon", "GET", re.compile(r"/api/v1/statuses/(?P<id>\d+)/history"), "status_history", history),
    Route("mastodon", "GET", re.compile(r"/api/v1/statuses/(?P<id>\d+)"), "status", status),
    Route("mastodon", "GET", re.compile(r"/api/v1/statuses"), "statuses", status_many),
]
