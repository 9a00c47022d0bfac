"""Collector benchmark: requests per collected post, and storing throughput through the runner.

    python bench/bench_collect.py [--posts 3200] [--store 100000] [--pg postgresql+psycopg://...]

1. For each platform, a 3,200-post backfill and then a pass with nothing new against the fake
   platform server, through the real client libraries. Printed: listing requests, all requests
   (including the one-off account-id lookup on X and Mastodon and Reddit's OAuth token), the
   minimum possible (ceil(posts / page size), and 1) and the overhead over that minimum.
2. Storing N posts through the runner (fetch -> upsert -> cursor per page, one transaction each)
   on SQLite and on PostgreSQL, with an in-process collector that hands out pages of 100 ready
   posts, so the figure is the runner and the database, not HTTP. Printed in posts per second.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from sqlalchemy import text

os.environ.setdefault("MERKWACHT_PSEUDONYM_KEY", "bench-pseudonym-key-0123456789")

from merkwacht.collector.base import Page, clear_client_caches
from merkwacht.collector.fakeserver import FakePlatformServer
from merkwacht.collector.runner import collect_account
from merkwacht.core import db
from merkwacht.core.post import InReplyTo, Post
from merkwacht.core.repository.accounts import add_account, opt_in
from merkwacht.core.settings import Settings, set_settings

PAGE = {"x": 100, "reddit": 100, "mastodon": 40, "bluesky": 100}
LISTING = {"x": "users_tweets", "reddit": "user_overview", "mastodon": "account_statuses",
           "bluesky": "getAuthorFeed"}
HANDLE = {"x": "BenchBrand", "reddit": "BenchBrand", "mastodon": "benchbrand", "bluesky": "benchbrand.bsky.social"}
T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _account(session: Any, platform: str, server: FakePlatformServer | None, handle: str) -> Any:
    account = add_account(session=session, platform=platform, handle=handle, unit="Bench", purpose="benchmark",
                          credentials_env="BENCH",
                          instance=(server.mastodon_instance_url if server else "https://bench.invalid")
                          if platform == "mastodon" else None)
    opt_in(session=session, account=account, by="bench", role="owner")
    session.commit()
    return account


def requests_per_post(posts: int) -> list[dict[str, Any]]:
    os.environ.update({"BENCH_BEARER_TOKEN": "t", "BENCH_CLIENT_ID": "c", "BENCH_CLIENT_SECRET": "s"})
    rows = []
    for platform, page_size in PAGE.items():
        clear_client_caches()
        with FakePlatformServer() as server, tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            db.upgrade(url)
            engine = db.make_engine(url)
            settings = Settings(**server.settings_overrides(), database_url=url, http_backoff=0, http_timeout=10)
            set_settings(settings)
            for i in range(posts):
                server.add_post(platform=platform, handle=HANDLE[platform], text=f"Bericht {i} over de campus",
                                created_at=T0 + timedelta(minutes=i))
            with db.session_factory(engine)() as session:
                account = _account(session, platform, server, HANDLE[platform])
                started = time.perf_counter()
                backfill = collect_account(session=session, account=account, backfill=True, settings=settings)
                seconds = time.perf_counter() - started
                listing_backfill = server.request_count(platform=platform, endpoint=LISTING[platform])
                total_backfill = server.request_count(platform=platform)
                again = collect_account(session=session, account=account, settings=settings)
                listing_again = server.request_count(platform=platform, endpoint=LISTING[platform]) - listing_backfill
            engine.dispose()
            assert backfill.new == posts, backfill
            minimum = math.ceil(posts / page_size)
            rows.append({"platform": platform, "posts": backfill.new, "page": page_size,
                         "listing": listing_backfill, "total": total_backfill, "minimum": minimum,
                         "over": 100.0 * (listing_backfill - minimum) / minimum,
                         "over_total": 100.0 * (total_backfill - minimum) / minimum,
                         "nothing_new": listing_again, "nothing_new_status": again.status,
                         "per_post": total_backfill / posts, "seconds": seconds})
    return rows


class PrebuiltCollector:
    """Hands out pages of ready posts (no HTTP): measures the runner and the database."""

    platform: ClassVar[str] = "bluesky"
    page_size: ClassVar[int] = 100
    required_credentials: ClassVar[tuple[str, ...]] = ()
    optional_credentials: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *, handle: str, count: int) -> None:
        self.handle = handle
        self.count = count
        self.requests = 0

    def settings_in_force(self) -> dict[str, Any]:
        return {"page_size": self.page_size, "client": "bench"}

    def fetch_page(self, *, cursor: dict[str, Any] | None, backfill: bool) -> Page:
        self.requests += 1
        start = int((cursor or {}).get("next", 0))
        end = min(self.count, start + self.page_size)
        posts = []
        for i in range(start, end):
            reply = InReplyTo(id=f"parent-{i}", text="Hoe zit het met de tentamens?", author="student.example") \
                if i % 5 == 0 else None
            posts.append(Post(id=f"at://did:plc:bench/app.bsky.feed.post/{i:08d}", platform="bluesky",
                              account="@" + self.handle, created_at=T0 + timedelta(seconds=i),
                              kind="reply" if reply else "post", lang="nl",
                              text=f"Bericht {i}: de bibliotheek is open tot 22 uur. Groet, Sanne",
                              urls=("https://www.example.nl/bieb",), in_reply_to=reply))
        return Page(posts, {"next": end}, done=end >= self.count)

    def recheck(self, *, known_ids: list[str], cursor: dict[str, Any] | None) -> Page | None:
        return None


def store_throughput(url: str, count: int) -> float:
    db.upgrade(url)
    engine = db.make_engine(url)
    settings = Settings(database_url=url)
    set_settings(settings)
    with db.session_factory(engine)() as session:
        handle = f"store{uuid.uuid4().hex[:6]}.bsky.social"
        account = _account(session, "bluesky", None, handle)
        collector = PrebuiltCollector(handle=handle, count=count)
        started = time.perf_counter()
        result = collect_account(session=session, account=account, backfill=True, settings=settings,
                                 collector=collector)  # type: ignore[arg-type]
        seconds = time.perf_counter() - started
    engine.dispose()
    assert result.new == count, result
    return count / seconds


def _pg_database(base: str) -> tuple[str, Any]:
    from sqlalchemy.engine import make_url

    parsed = make_url(base)
    name = f"merkwacht_bench_{os.getpid()}"
    admin = db.make_engine(parsed.set(database="postgres").render_as_string(hide_password=False),
                           isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        db.dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return parsed.set(database=name).render_as_string(hide_password=False), drop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=3200)
    parser.add_argument("--store", type=int, default=100_000)
    parser.add_argument("--pg", default=os.environ.get("MERKWACHT_TEST_DATABASE_URL",
                                                       "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
    parser.add_argument("--skip-store", action="store_true")
    args = parser.parse_args(argv)

    print(f"== requests for a {args.posts}-post backfill and a pass with nothing new ==")
    print(f"{'platform':9} {'page':>4} {'listing':>7} {'all':>5} {'minimum':>7} {'over (listing)':>14} "
          f"{'over (all)':>10} {'nothing new':>11} {'backfill s':>10}")
    worst = 0.0
    for row in requests_per_post(args.posts):
        worst = max(worst, row["over"])
        print(f"{row['platform']:9} {row['page']:>4} {row['listing']:>7} {row['total']:>5} {row['minimum']:>7} "
              f"{row['over']:>13.2f}% {row['over_total']:>9.2f}% {row['nothing_new']:>6} (min 1) "
              f"{row['seconds']:>9.2f}")
    print(f"worst listing overhead over the minimum: {worst:.2f}% (target <= 2%)")
    if args.skip_store:
        return 0
    print(f"== storing {args.store} posts through the runner ==")
    with tempfile.TemporaryDirectory() as tmp:
        rate = store_throughput(f"sqlite:///{tmp}/store.db", args.store)
        print(f"SQLite:     {rate:,.0f} posts/s")
    try:
        url, drop = _pg_database(args.pg)
    except Exception as exc:  # noqa: BLE001 - no PostgreSQL here: say so
        print(f"PostgreSQL: skipped ({type(exc).__name__}: {exc})")
        return 0
    try:
        rate = store_throughput(url, args.store)
        print(f"PostgreSQL: {rate:,.0f} posts/s")
    finally:
        drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
