"""The HTTP side of the fake platform server: routing, fault injection and request counting.

One threaded HTTP server on 127.0.0.1 answers for every platform; the paths do not overlap
(X ``/2/...``, Reddit ``/api/v1/access_token``, ``/user/...``, ``/api/info``, Mastodon
``/api/v1/accounts/...``, ``/api/v1/statuses/...``, Bluesky ``/xrpc/...``), so the real client
libraries can all be pointed at the same base URL.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

from .state import PlatformState


@dataclass
class Request:
    """What a route handler gets: the parsed request and the shared state."""

    method: str
    path: str
    params: dict[str, str]
    match: re.Match[str]
    state: PlatformState
    base_url: str
    headers: dict[str, str]
    body: bytes = b""
    unknown_fields: bool = False
    #: Every value of repeated parameters (``id[]=1&id[]=2``).
    multi: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    """One endpoint: platform, method, path pattern, name (for counts and faults), handler."""

    platform: str
    method: str
    pattern: re.Pattern[str]
    name: str
    handler: Callable[[Request], Reply]
    #: Which request part names the account, for the per-account counts.
    account_of: Callable[[Request], str] = lambda request: ""
    #: Faults apply to API routes, not to token endpoints.
    faultable: bool = True


#: Headers a 429 answer carries on each platform (reset given as epoch seconds).
def _rate_limit_headers(platform: str, reset_in: int) -> dict[str, str]:
    reset = int(time.time()) + reset_in
    return {
        "x": {"x-rate-limit-limit": "900", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
        "reddit": {"x-ratelimit-used": "100", "x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset_in)},
        "mastodon": {"X-RateLimit-Limit": "300", "X-RateLimit-Remaining": "0",
                     "X-RateLimit-Reset": datetime.fromtimestamp(reset, UTC).isoformat().replace("+00:00", "Z")},
        "bluesky": {"ratelimit-limit": "3000", "ratelimit-remaining": "0", "ratelimit-reset": str(reset),
                    "ratelimit-policy": "3000;w=300"},
    }[platform]


def _error_body(platform: str, status: int, message: str) -> Any:
    if platform == "x":
        return {"title": message, "detail": message, "type": "about:blank", "status": status}
    if platform == "bluesky":
        return {"error": "InternalServerError" if status >= 500 else "RateLimitExceeded", "message": message}
    if platform == "reddit":
        return {"message": message, "error": status}
    return {"error": message}


def _with_unknown_fields(body: Any) -> Any:
    """Add fields no client knows, at the top level and in every listed item."""
    marker = {"x_future_field": {"nested": [1, 2, 3]}, "zz_unknown": "added by a newer API version"}
    if isinstance(body, list):
        return [(_with_unknown_fields(item) if isinstance(item, dict) else item) for item in body]
    if isinstance(body, dict):
        out = {**body, **marker}
        for key, value in body.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                out[key] = [{**item, **marker} for item in value]
        return out
    return body


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        return

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        # Token and session endpoints close their connection, as many OAuth servers do; it also
        # keeps urllib3 from reusing a connection the server side is about to recycle.
        self._close_after = True
        self._dispatch("POST")

    def _dispatch(self, method: str) -> None:
        parts = urlsplit(self.path)
        multi = parse_qs(parts.query, keep_blank_values=True)
        params = {k: v[-1] for k, v in multi.items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if method == "POST" and body and "json" not in (self.headers.get("Content-Type") or ""):
            params.update({k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace")).items()})
        owner: FakePlatformServerCore = self.server.owner
        for route in owner.routes:
            if route.method != method:
                continue
            match = route.pattern.fullmatch(parts.path)
            if match is None:
                continue
            request = Request(method, parts.path, params, match, owner.state, owner.url,
                              {k.lower(): v for k, v in self.headers.items()}, body, multi=multi)
            try:
                self._answer(owner, route, request)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True
            except Exception as exc:  # noqa: BLE001 - a fake-server bug answers 500 and is recorded
                owner.errors.append(f"{method} {parts.path}: {type(exc).__name__}: {exc}")
                self._send(Reply(500, {"error": "fake server failure", "detail": str(exc)}))
            return
        self._send(Reply(404, {"error": f"no fake route for {method} {parts.path}"}))

    def _answer(self, owner: FakePlatformServerCore, route: Route, request: Request) -> None:
        owner.state.count(route.platform, route.account_of(request), route.name)
        fault = owner.state.take_fault(route.platform, route.name) if route.faultable else None
        kind = fault.kind if fault else None
        if fault is not None and kind == "rate_limit":
            self._send(Reply(429, _error_body(route.platform, 429, "Too Many Requests"),
                             _rate_limit_headers(route.platform, fault.reset_in)))
            return
        if fault is not None and kind == "server_error":
            self._send(Reply(500, _error_body(route.platform, 500, "Internal Server Error")))
            return
        if fault is not None and kind == "slow":
            time.sleep(fault.seconds)
        request.unknown_fields = kind == "unknown_field"
        reply = route.handler(request)
        if request.unknown_fields and reply.status == 200:
            reply.body = _with_unknown_fields(reply.body)
        if kind == "malformed" and reply.status == 200:
            reply.body = [{"unexpected": True}] if isinstance(reply.body, list) else {"unexpected": True}
        self._send(reply, truncate=kind == "truncated")

    def _send(self, reply: Reply, *, truncate: bool = False) -> None:
        payload = json.dumps(reply.body, ensure_ascii=False).encode("utf-8")
        if truncate:
            payload = payload[: max(1, len(payload) // 2)]
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        for key, value in reply.headers.items():
            self.send_header(key, value)
        if getattr(self, "_close_after", False):
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(payload)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    owner: FakePlatformServerCore


class FakePlatformServerCore:
    """Start/stop plumbing; :class:`~merkwacht.collector.fakeserver.FakePlatformServer` adds the API."""

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0, routes: list[Route]) -> None:
        self.state = PlatformState()
        self.routes = routes
        #: Exceptions raised by route handlers (a bug in the fake, not an injected fault).
        self.errors: list[str] = []
        self._host = host
        self._port = port
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._httpd is None:
            raise RuntimeError("the fake platform server is not started; call start() first")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakePlatformServerCore:
        if self._httpd is not None:
            return self
        self._httpd = _Server((self._host, self._port), _Handler)
        self._httpd.owner = self
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fake-platform-server",
                                        kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
