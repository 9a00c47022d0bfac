"""Dashboard page render times on a large database (issue 6 performance target: < 1 s median per page).

Fills a database with ``--posts`` posts (default 1,000,000) and ``--findings`` findings (default
100,000) spread over two years and 20 accounts on the four platforms, with reviews, collection runs,
approvals and a policy version; then renders every page with ``streamlit.testing.v1.AppTest`` as the
role that may see it and prints the median render time per page, with cold caches (every
``st.cache_data`` cleared before each run: the time a first visitor waits) and warm caches.

    python bench/bench_dashboard.py --sqlite /tmp/bench.db
    python bench/bench_dashboard.py --pg postgresql+psycopg://postgres@127.0.0.1:5432/bench
    python bench/bench_dashboard.py --sqlite /tmp/bench.db --reuse      # skip filling an existing database

The generated sentences are random combinations of a small vocabulary written for this script.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from merkwacht.core import auth, db
from merkwacht.core.models import (
    Account,
    Approval,
    CollectionRun,
    Finding,
    OptIn,
    PolicyVersion,
    Post,
    Review,
)

APP = ROOT / "merkwacht" / "dashboard" / "app.py"
PLATFORMS = ("x", "reddit", "mastodon", "bluesky")
RULES = ("missing_source", "unapproved_statement", "off_tone", "personal_data", "confidential")
SEVERITIES = ("low", "medium", "high")
STATUSES = ("open",) * 6 + ("confirmed",) * 2 + ("dismissed", "resolved")
WORDS = [
    "de",
    "campus",
    "open",
    "dag",
    "studenten",
    "onderzoek",
    "bibliotheek",
    "rooster",
    "tentamen",
    "inschrijving",
    "nieuws",
    "lezing",
    "welkom",
    "vandaag",
    "morgen",
    "haven",
    "zorg",
    "techniek",
    "docent",
    "minor",
    "stage",
    "diploma",
    "collegegeld",
    "vragen",
    "the",
    "students",
    "research",
    "library",
    "exam",
    "week",
    "today",
    "welcome",
    "news",
    "talk",
    "open",
    "day",
    "campus",
]
PAGES = {  # page -> role that renders it
    "overview": "comms",
    "findings": "comms",
    "findings+detail": "comms",
    "account": "comms",
    "approvals": "comms",
    "council": "council",
    "evaluation": "council",
    "privacy": "admin",
}
CHUNK = 20_000


def sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 24))).capitalize() + "."


def fill(url: str, *, posts: int, findings: int, seed: int = 6) -> None:
    rng = random.Random(seed)
    now = datetime.now(UTC)
    start = now - timedelta(days=730)
    db.upgrade(url)
    engine = db.make_engine(url)
    with db.session_scope(engine) as session:
        if session.scalar(select(func.count()).select_from(Post)):
            raise SystemExit(f"{url} already holds posts; use --reuse or an empty database")
        document = {
            "pack": "generic",
            "version": "bench",
            "k": 5,
            "clauses": [
                {"id": f"generic/{r}", "title": r, "text": f"Clause for {r}.", "purpose": "bench"}
                for r in RULES
            ],
            "rules": {r: {"clauses": [f"generic/{r}"]} for r in RULES},
            "accounts": {"dormant_after_days": 90, "credentials_rotation_days": 180},
        }
        session.add(
            PolicyVersion(
                pack="generic",
                version="bench",
                pack_hash="b" * 64,
                document=document,
                first_used_at=start,
                last_used_at=now,
            )
        )
        accounts = []
        for i in range(20):
            platform = PLATFORMS[i % 4]
            account = Account(
                platform=platform,
                handle=f"Brand{i}",
                handle_key=f"brand{i}",
                instance="https://social.example.nl" if platform == "mastodon" else "",
                unit=f"Eenheid {i % 5}",
                purpose="bench",
                status="active",
                credentials_env=f"BRAND{i}" if i % 3 else None,
            )
            account.opt_ins.append(
                OptIn(granted_by="bench", granted_role="owner", granted_at=start, purpose="bench")
            )
            session.add(account)
            accounts.append(account)
        session.flush()
        account_ids = [a.id for a in accounts]
        for i in range(10):
            session.add(
                Approval(
                    external_id=f"bench-{i}",
                    account_handle=None,
                    text=sentence(rng),
                    approved_by="bench",
                    approved_at=start + timedelta(days=70 * i),
                )
            )
        runs = []
        for account_id in account_ids:
            platform = PLATFORMS[(account_id - account_ids[0]) % 4]
            for j in range(500):
                at = start + timedelta(hours=35 * j)
                runs.append(
                    {
                        "account_id": account_id,
                        "platform": platform,
                        "started_at": at,
                        "finished_at": at + timedelta(seconds=4),
                        "status": rng.choice(("ok", "ok", "ok", "nothing_new", "rate_limited", "failed")),
                        "requests": 1,
                        "posts_new": 3,
                        "posts_updated": 0,
                        "posts_deleted": 0,
                        "backfill": False,
                        "warnings": [],
                        "settings": {},
                    }
                )
        session.execute(insert(CollectionRun), runs)
        for username, role in (
            ("bench-comms", "comms"),
            ("bench-council", "council"),
            ("bench-admin", "admin"),
        ):
            auth.add_user(session=session, username=username, role=role, password="bench-password-1")
    span = (now - start).total_seconds()
    t0 = time.perf_counter()
    for offset in range(0, posts, CHUNK):
        rows = []
        for n in range(offset, min(offset + CHUNK, posts)):
            reply = rng.random() < 0.3
            rows.append(
                {
                    "account_id": account_ids[n % len(account_ids)],
                    "platform_post_id": f"p{n}",
                    "created_at": start + timedelta(seconds=span * n / posts),
                    "kind": "reply" if reply else "post",
                    "lang": "nl",
                    "text": sentence(rng),
                    "urls": [],
                    "in_reply_to_id": f"q{n}" if reply else None,
                    "in_reply_to_text": sentence(rng) if reply else None,
                    "in_reply_to_author": f"p:{n % 9973:020x}" if reply else None,
                    "content_hash": f"{n:064x}",
                    "version": 1,
                    "first_seen_at": now,
                    "last_seen_at": now,
                }
            )
        with db.session_scope(engine) as session:
            session.execute(insert(Post), rows)
        print(f"  posts {min(offset + CHUNK, posts):>9,} ({time.perf_counter() - t0:.0f} s)", flush=True)
    with db.session_scope(engine) as session:
        first_post = session.scalar(select(func.min(Post.id)))
    chosen = sorted(rng.sample(range(posts), findings))
    for offset in range(0, findings, CHUNK):
        rows, reviews = [], []
        for n in chosen[offset : offset + CHUNK]:
            rule = RULES[n % len(RULES)]
            status = rng.choice(STATUSES)
            created = start + timedelta(seconds=span * n / posts, minutes=5)
            rows.append(
                {
                    "post_id": first_post + n,
                    "account_id": account_ids[n % len(account_ids)],
                    "subject_key": "",
                    "rule": rule,
                    "rule_version": "1",
                    "pack": "generic",
                    "pack_version": "bench",
                    "pack_hash": "b" * 64,
                    "clause": f"generic/{rule}",
                    "severity": rng.choice(SEVERITIES),
                    "score": 0.8,
                    "evidence": "campus",
                    "explanation_nl": "Bench-bevinding.",
                    "explanation_en": "Bench finding.",
                    "details": {},
                    "status": status,
                    "created_at": created,
                }
            )
        with db.session_scope(engine) as session:
            session.execute(insert(Finding), rows)
            post_ids = [row["post_id"] for row in rows]
            ids = session.execute(
                select(Finding.id, Finding.status, Finding.created_at).where(
                    Finding.post_id.in_(post_ids), Finding.status != "open"
                )
            ).all()
            for finding_id, status, created in ids:
                reviews.append(
                    {
                        "finding_id": finding_id,
                        "disposition": status,
                        "reason": "not_a_breach" if status == "dismissed" else None,
                        "note": None,
                        "reviewer": "bench-comms",
                        "created_at": created + timedelta(days=1),
                    }
                )
            if reviews:
                session.execute(insert(Review), reviews)
        print(
            f"  findings {min(offset + CHUNK, findings):>8,} ({time.perf_counter() - t0:.0f} s)", flush=True
        )
    engine.dispose()
    maintain(url)


def maintain(url: str) -> None:
    """What autovacuum (PostgreSQL) or a periodic ANALYZE (SQLite) does after a bulk load: fresh planner
    statistics and, on PostgreSQL, a visibility map so that counts can be answered from the index."""
    engine = db.make_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    engine.dispose()


def render_times(url: str, *, runs: int) -> dict[str, tuple[float, float]]:
    """Median seconds per page: (cold caches, warm caches)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from merkwacht.core.queries.roles import Viewer
    from merkwacht.core.settings import set_settings

    os.environ["MERKWACHT_DATABASE_URL"] = url
    set_settings(None)
    engine = db.make_engine(url)
    with engine.connect() as conn:
        open_finding = conn.execute(select(func.max(Finding.id)).where(Finding.status == "open")).scalar()
    engine.dispose()
    results = {}
    for page, role in PAGES.items():
        cold, warm = [], []
        for attempt in range(runs + 1):
            at = AppTest.from_file(str(APP), default_timeout=120)
            at.session_state["viewer"] = Viewer(f"bench-{role}", role)
            at.run()
            name = page.split("+")[0]
            if page == "findings+detail":
                at.session_state["finding_id"] = open_finding
            at.switch_page(f"pages/{name}.py")
            st.cache_data.clear()
            t0 = time.perf_counter()
            at.run()
            elapsed = time.perf_counter() - t0
            if at.exception:
                raise RuntimeError(f"{page}: {at.exception[0].value}")
            t1 = time.perf_counter()
            at.run()
            again = time.perf_counter() - t1
            if attempt:  # the first round warms the process (imports, connection pool)
                cold.append(elapsed)
                warm.append(again)
        results[page] = (statistics.median(cold), statistics.median(warm))
        print(
            f"  {page:<16} cold {results[page][0] * 1000:7.0f} ms   warm {results[page][1] * 1000:7.0f} ms",
            flush=True,
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sqlite", help="SQLite file to fill and measure")
    parser.add_argument("--pg", help="PostgreSQL URL (an empty database) to fill and measure")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--findings", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="measured runs per page (median reported)")
    parser.add_argument("--reuse", action="store_true", help="measure an already filled database")
    args = parser.parse_args()
    targets = []
    if args.sqlite:
        targets.append(("SQLite", f"sqlite:///{Path(args.sqlite).resolve()}"))
    if args.pg:
        targets.append(("PostgreSQL", args.pg))
    if not targets:
        parser.error("give --sqlite PATH and/or --pg URL")
    os.environ.setdefault("MERKWACHT_PSEUDONYM_KEY", "bench-pseudonym-key-0123456789")
    summary = {}
    for label, url in targets:
        print(f"{label}: {url}", flush=True)
        if not args.reuse:
            t0 = time.perf_counter()
            fill(url, posts=args.posts, findings=args.findings)
            print(f"  filled in {time.perf_counter() - t0:.0f} s", flush=True)
        else:
            maintain(url)
        summary[label] = render_times(url, runs=args.runs)
    print(
        f"\nMedian page render time, {args.posts:,} posts, {args.findings:,} findings "
        f"(AppTest, {args.runs} runs; cold = caches cleared):"
    )
    labels = list(summary)
    print(f"{'page':<18}" + "".join(f"{label + ' cold':>18}{label + ' warm':>18}" for label in labels))
    for page in PAGES:
        print(
            f"{page:<18}"
            + "".join(
                f"{summary[label][page][0] * 1000:>15.0f} ms{summary[label][page][1] * 1000:>15.0f} ms"
                for label in labels
            )
        )


if __name__ == "__main__":
    main()
