"""Analyser throughput and memory (issue 5): file mode and database mode.

File mode runs ``merkwacht analyse --posts FILE`` (all post-level rules of the generic pack) on
``--n`` generated posts (default 100,000) in one process and prints posts per second and the
child's peak RSS; ``--rules`` also times each post-level rule on its own, in this process.

Database mode fills a database with ``--n`` posts (default 1,000,000; skip with ``--reuse``),
then runs ``merkwacht analyse`` (database mode: batches of ``--batch-size``) in a child process and
prints posts per second and that process's peak RSS (the target is < 500 MB).

    python bench/bench_analysis.py file [--n 100000] [--rules]
    python bench/bench_analysis.py database --sqlite /tmp/analysis.db [--n 1000000] [--reuse]
    python bench/bench_analysis.py database --pg postgresql+psycopg://postgres@127.0.0.1:5432/bench_analysis

The sentences are generated from templates and a vocabulary written for this script (Dutch and
English: announcements, claims with and without sources, polite and rude replies), not taken from
any data set. Peak RSS comes from ``getrusage(RUSAGE_CHILDREN)``: the largest child so far; the
child's CPU seconds are printed beside the wall-clock time, because on a shared machine the
wall clock also measures the neighbours.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MERKWACHT = str(Path(sys.executable).with_name("merkwacht"))
CHUNK = 20_000

NOUNS_NL = ["studenten", "docenten", "onderzoekers", "medewerkers", "alumni", "scholieren", "ouders", "bezoekers"]
NOUNS_EN = ["students", "teachers", "researchers", "staff", "alumni", "pupils", "parents", "visitors"]
THINGS_NL = ["de", "bibliotheek", "het", "rooster", "de", "kantine", "de", "open", "dag", "het", "tentamen", "de", "lezing", "de", "campus", "het", "portaal"]
THINGS_EN = ["the", "library", "the", "timetable", "the", "canteen", "the", "open", "day", "the", "exam", "the", "lecture", "the", "campus", "the", "portal"]
TEMPLATES_NL = [
    "Welkom op {thing}! Vandaag van {h}.00 tot {h2}.00 uur.",
    "{pct}% van de {noun} is tevreden over {thing}.",
    "Uit onderzoek blijkt dat {noun} vaker {thing} bezoeken.",
    "{pct}% van de {noun} is tevreden, blijkt uit cijfers van het CBS.",
    "Meer weten over {thing}? Lees verder: https://www.example.nl/{h}",
    "Dank voor je vraag! We kijken of {thing} langer open kan.",
    "Boeien.",
    "Leer eerst eens lezen, {noun} zoals jij snappen het nooit.",
    "Wat een gezeur weer over {thing}.",
    "Vervelend! Stuur ons een DM, dan helpen we je met {thing}.",
    "Gefeliciteerd aan alle {n} geslaagden!",
    "Onze {noun} ontdekten dat {thing} gemiddeld {h} minuten later opent.",
]
TEMPLATES_EN = [
    "Welcome to {thing}! Today from {h} am to {h2} pm.",
    "{pct}% of {noun} are happy with {thing}.",
    "Studies show that {noun} visit {thing} more often.",
    "Thanks for asking! We'll check whether {thing} can open longer.",
    "Sounds like a you problem tbh.",
    "Whatever.",
    "Sorry about {thing}, we've passed your feedback on.",
    "Nine out of ten {noun} recommend {thing}, according to the Graduate Survey.",
    "Read the FAQ, genius.",
    "Join us for {thing} on Thursday: https://www.example.org/{h}",
]


def make_text(rng: random.Random) -> tuple[str, str]:
    lang = "nl" if rng.random() < 0.65 else "en"
    templates, nouns, things = (TEMPLATES_NL, NOUNS_NL, THINGS_NL) if lang == "nl" else (
        TEMPLATES_EN, NOUNS_EN, THINGS_EN)
    h = rng.randint(8, 17)
    text = rng.choice(templates).format(thing=rng.choice(things), noun=rng.choice(nouns), pct=rng.randint(5, 95),
                                        h=h, h2=h + 4, n=rng.randint(20, 900))
    if rng.random() < 0.3:  # some longer posts
        text += " " + rng.choice(templates).format(thing=rng.choice(things), noun=rng.choice(nouns),
                                                   pct=rng.randint(5, 95), h=h, h2=h + 4, n=rng.randint(20, 900))
    return text, lang


def make_posts(n: int, *, seed: int = 5, with_lang: float = 0.5) -> list[dict]:
    rng = random.Random(seed)
    posts = []
    for i in range(n):
        text, lang = make_text(rng)
        post = {"id": f"b{i}", "platform": rng.choice(["x", "reddit", "mastodon", "bluesky"]), "account": "@Org",
                "created_at": "2026-01-01T00:00:00Z", "kind": "post", "text": text}
        if rng.random() < with_lang:
            post["lang"] = lang
        if rng.random() < 0.4:
            post["kind"] = "reply"
            post["in_reply_to"] = {"id": f"q{i}", "text": make_text(rng)[0], "author": "someone"}
        posts.append(post)
    return posts


def _child_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB on Linux


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def file_mode(args: argparse.Namespace) -> None:
    posts = make_posts(args.n)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posts.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps(post, ensure_ascii=False) + "\n" for post in posts)
        t0, c0 = time.perf_counter(), _child_cpu()
        proc = subprocess.run([MERKWACHT, "analyse", "--posts", str(path)], capture_output=True, text=True, check=False)
        secs, cpu = time.perf_counter() - t0, _child_cpu() - c0
    if proc.returncode != 0:
        sys.exit(f"analyser exited {proc.returncode}: {proc.stderr[-2000:]}")
    findings = sum(1 for line in proc.stdout.splitlines() if line.strip())
    print(json.dumps({"mode": "file", "posts": args.n, "findings": findings, "seconds": round(secs, 2),
                      "posts_per_s": round(args.n / secs), "cpu_seconds": round(cpu, 2),
                      "posts_per_cpu_s": round(args.n / cpu), "peak_rss_mb": round(_child_peak_mb())}))
    if args.rules:
        per_rule(posts[: min(args.n, 20_000)])


def per_rule(raw: list[dict]) -> None:
    """CPU time per post of each post-level rule on its own (languages decided as the engine does)."""
    from merkwacht.analysis.engine import post_language
    from merkwacht.analysis.packs import load_pack
    from merkwacht.analysis.registry import RuleContext, all_rules
    from merkwacht.core.post import Post

    pack = load_pack("generic")
    posts = [Post.model_validate(p) for p in raw]
    t0 = time.process_time()
    langs = [post_language(p) for p in posts]
    print(json.dumps({"step": "language", "us_per_post": round((time.process_time() - t0) * 1e6 / len(posts), 1)}))
    for rule_id, spec in sorted(all_rules().items()):
        if spec.level != "post":
            continue
        ctxs = {lang: RuleContext(settings=pack.rule_settings(rule_id), lang=lang) for lang in set(langs)}
        spec.func(posts[0], ctxs[langs[0]])  # load lexicons and models before timing
        t0 = time.process_time()
        for post, lang in zip(posts, langs):
            spec.func(post, ctxs[lang])
        per = (time.process_time() - t0) / len(posts)
        print(json.dumps({"rule": rule_id, "us_per_post": round(per * 1e6, 1), "posts_per_s": round(1 / per)}))


def fill(url: str, n: int) -> None:
    from sqlalchemy import func, insert, select

    from merkwacht.core import db
    from merkwacht.core.models import Account, OptIn, Post

    rng = random.Random(7)
    now = datetime.now(UTC)
    start = now - timedelta(days=365)
    db.upgrade(url)
    engine = db.make_engine(url)
    with db.session_scope(engine) as session:
        if session.scalar(select(func.count()).select_from(Post)):
            raise SystemExit(f"{url} already holds posts; use --reuse or an empty database")
        accounts = []
        for i in range(8):
            platform = ("x", "reddit", "mastodon", "bluesky")[i % 4]
            account = Account(platform=platform, handle=f"Brand{i}", handle_key=f"brand{i}",
                              instance="https://social.example.nl" if platform == "mastodon" else "",
                              unit="Bench", purpose="bench", status="active")
            account.opt_ins.append(OptIn(granted_by="bench", granted_role="owner", granted_at=start, purpose="bench"))
            session.add(account)
            accounts.append(account)
        session.flush()
        ids = [a.id for a in accounts]
    t0 = time.perf_counter()
    span = (now - start).total_seconds()
    for offset in range(0, n, CHUNK):
        rows = []
        for i in range(offset, min(offset + CHUNK, n)):
            text, lang = make_text(rng)
            reply = rng.random() < 0.4
            rows.append({
                "account_id": ids[i % len(ids)], "platform_post_id": f"p{i}",
                "created_at": start + timedelta(seconds=span * i / n), "kind": "reply" if reply else "post",
                "lang": lang if rng.random() < 0.5 else None, "text": text, "urls": [],
                "in_reply_to_id": f"q{i}" if reply else None,
                "in_reply_to_text": make_text(rng)[0] if reply else None,
                "in_reply_to_author": f"p:{i % 9973:020x}" if reply else None,
                "content_hash": f"{i:064x}", "version": 1, "first_seen_at": now, "last_seen_at": now,
            })
        with db.session_scope(engine) as session:
            session.execute(insert(Post), rows)
        print(f"  posts {min(offset + CHUNK, n):>9,} ({time.perf_counter() - t0:.0f} s)", flush=True)
    engine.dispose()


def database_mode(args: argparse.Namespace) -> None:
    url = f"sqlite:///{args.sqlite}" if args.sqlite else args.pg
    if not url:
        sys.exit("give --sqlite PATH or --pg URL")
    if not args.reuse:
        fill(url, args.n)
    env = {**os.environ, "MERKWACHT_DATABASE_URL": url,
           "MERKWACHT_PSEUDONYM_KEY": os.environ.get("MERKWACHT_PSEUDONYM_KEY", "bench-pseudonym-key-0123456789")}
    t0, c0 = time.perf_counter(), _child_cpu()
    proc = subprocess.run([MERKWACHT, "analyse", "--batch-size", str(args.batch_size)], env=env,
                          capture_output=True, text=True, check=False)
    secs, cpu = time.perf_counter() - t0, _child_cpu() - c0
    if proc.returncode != 0:
        sys.exit(f"analyser exited {proc.returncode}: {proc.stderr[-2000:]}")
    print(proc.stdout.strip())
    print(json.dumps({"mode": "database", "url": url.split("@")[-1], "posts": args.n, "seconds": round(secs, 1),
                      "posts_per_s": round(args.n / secs), "cpu_seconds": round(cpu, 1),
                      "peak_rss_mb": round(_child_peak_mb()), "batch_size": args.batch_size}))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="mode", required=True)
    f = sub.add_parser("file")
    f.add_argument("--n", type=int, default=100_000)
    f.add_argument("--rules", action="store_true", help="also time each post-level rule in this process")
    d = sub.add_parser("database")
    d.add_argument("--sqlite")
    d.add_argument("--pg")
    d.add_argument("--n", type=int, default=1_000_000)
    d.add_argument("--batch-size", type=int, default=1000)
    d.add_argument("--reuse", action="store_true", help="analyse an already filled database")
    args = ap.parse_args()
    {"file": file_mode, "database": database_mode}[args.mode](args)


if __name__ == "__main__":
    main()
