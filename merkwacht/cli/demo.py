"""`merkwacht demo [--db PATH] [--port P] [--no-serve]`: an offline demo with no network and no configuration.

Builds a fresh SQLite database (default ``./merkwacht-demo.db``; an existing demo database is
rebuilt), registers and opts in the brand accounts of a fictional university of applied
sciences on all four platforms, starts the built-in fake platform server on 127.0.0.1 with a few
hundred Dutch and English posts and replies (``demo_data/content.yaml``, written for Merkwacht),
runs the real collectors against it twice (a backfill, then a pass that sees edits, deletions, new
posts and a rate limit), analyses everything with the policy pack in force, has a demo reviewer
decide part of the findings, records a dry-run purge, creates one demo user per role (printing
their passwords) and starts the dashboard. ``--no-serve`` stops after building the data.
"""

from __future__ import annotations

import os
import random
import secrets
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import click
import yaml
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from merkwacht.core import auth, db
from merkwacht.core.accesslog import log_access
from merkwacht.core.models import Account, Finding, Post
from merkwacht.core.queries.roles import Viewer
from merkwacht.core.repository.accounts import add_account, opt_in, record_credentials_rotation
from merkwacht.core.repository.approvals import add_approval
from merkwacht.core.repository.reviews import review_finding
from merkwacht.core.settings import DEMO_PSEUDONYM_KEY, Settings, get_settings, load_settings, set_settings

from .context import console, handle_errors, out
from .helptext import Command
from .messages import msg

DEFAULT_DB = "merkwacht-demo.db"
#: Demo users: username -> role.
DEMO_USERS = {"demo-comms": "comms", "demo-council": "council", "demo-admin": "admin"}
#: The demo reviewer's decisions, as shares of the findings about posts older than a month.
REVIEW_SHARES = {"confirmed": 0.40, "dismissed": 0.20, "resolved": 0.10}
DISMISS_REASONS = ("not_a_breach", "source_elsewhere", "quote", "context")


def load_content() -> dict[str, Any]:
    """The demo content shipped with Merkwacht."""
    text = resources.files("merkwacht.cli").joinpath("demo_data/content.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@dataclass
class DemoResult:
    database_url: str
    accounts: int = 0
    posts_published: int = 0
    posts_stored: int = 0
    findings: int = 0
    open_findings: int = 0
    reviews: int = 0
    runs: dict[str, int] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)


def _remove_database(path: Path) -> bool:
    existed = path.exists()
    for suffix in ("", "-wal", "-shm", "-journal"):
        candidate = Path(str(path) + suffix)
        if candidate.exists():
            candidate.unlink()
    return existed


def _env_prefix(key: str) -> str:
    return "DEMO_" + key.upper()


def build_demo(path: Path, *, progress: Progress | None = None, seed: int = 2026) -> DemoResult:
    """Build the demo database at ``path`` (rebuilding it if it exists) and return what was made."""
    from merkwacht.analysis.database import analyse_database
    from merkwacht.analysis.packs import load_pack
    from merkwacht.collector.base import clear_client_caches
    from merkwacht.collector.fakeserver import FakePlatformServer
    from merkwacht.collector.runner import collect_account

    content = load_content()
    url = f"sqlite:///{path}"
    result = DemoResult(database_url=url)
    rng = random.Random(seed)
    now = datetime.now(UTC)

    def step(description: str, total: int | None = None) -> Any:
        if progress is None:
            return None
        return progress.add_task(description, total=total)

    def advance(task: Any, amount: int = 1) -> None:
        if progress is not None and task is not None:
            progress.advance(task, amount)

    def done(task: Any) -> None:
        if progress is not None and task is not None:
            progress.update(task, total=1, completed=1)

    task = step(msg("demo.step_database"))
    _remove_database(path)
    db.upgrade(url)
    engine = db.make_engine(url)
    done(task)

    clear_client_caches()
    with FakePlatformServer() as server:
        settings = load_settings(
            database_url=url,
            demo=True,
            pseudonym_key=DEMO_PSEUDONYM_KEY,
            **server.settings_overrides(),
            http_backoff=0.0,
            http_retries=1,
            http_timeout=15.0,
        )
        previous = get_settings() if _settings_loaded() else None
        set_settings(settings)
        try:
            _build(
                content,
                server=server,
                engine=engine,
                settings=settings,
                result=result,
                rng=rng,
                now=now,
                step=step,
                advance=advance,
                done=done,
                collect_account=collect_account,
                analyse_database=analyse_database,
                load_pack=load_pack,
            )
        finally:
            set_settings(previous)
            clear_client_caches()
    engine.dispose()
    return result


def _settings_loaded() -> bool:
    from merkwacht.core import settings as settings_module

    return settings_module._current is not None


def _build(
    content: dict[str, Any],
    *,
    server: Any,
    engine: Any,
    settings: Settings,
    result: DemoResult,
    rng: random.Random,
    now: datetime,
    step: Any,
    advance: Any,
    done: Any,
    collect_account: Any,
    analyse_database: Any,
    load_pack: Any,
) -> None:
    specs = {a["key"]: a for a in content["accounts"]}
    session_factory = db.session_factory(engine)

    # -- accounts, opted in --------------------------------------------------------------------------
    task = step(msg("demo.step_accounts"), len(specs))
    accounts: dict[str, int] = {}
    with session_factory() as session:
        for key, spec in specs.items():
            credentials = spec.get("credentials") or {}
            prefix = _env_prefix(key) if credentials else None
            for name, value in credentials.items():
                os.environ[f"{prefix}_{name}"] = str(value)
            server.add_account(platform=spec["platform"], handle=spec["handle"])
            account = add_account(
                session=session,
                platform=spec["platform"],
                handle=spec["handle"],
                unit=spec["unit"],
                purpose=spec["purpose"],
                credentials_env=prefix,
                instance=server.mastodon_instance_url if spec["platform"] == "mastodon" else None,
            )
            opt_in(
                session=session,
                account=account,
                by=f"Hoofd {spec['unit']}",
                role="accounteigenaar",
                at=now - timedelta(days=125),
            )
            if key == "hs_x":
                record_credentials_rotation(session=session, account=account, at=now - timedelta(days=30))
            elif key == "desk_reddit":
                record_credentials_rotation(session=session, account=account, at=now - timedelta(days=240))
            accounts[key] = account.id
            advance(task)
        for approval in content.get("approvals", []):
            approved_at = now - timedelta(days=float(approval["days_ago"]))
            valid = approval.get("valid_days")
            add_approval(
                session=session,
                text=approval["text"],
                approved_by=approval["approved_by"],
                account=approval.get("account"),
                approved_at=approved_at,
                valid_until=approved_at + timedelta(days=float(valid)) if valid else None,
                external_id=approval["id"],
            )
        log_access(
            session=session, actor="merkwacht demo", role="operator", action="demo_build", channel="cli"
        )
        session.commit()
    result.accounts = len(accounts)

    # -- content on the fake platform server -----------------------------------------------------
    items = _items(content, now)
    task = step(msg("demo.step_publish"), len(items))
    published: dict[tuple[str, str], str] = {}
    for key, item in items:
        spec = specs[key]
        reply_to = {"text": item["r"], "author": item.get("a") or "someone"} if item.get("r") else None
        post_id = server.add_post(
            platform=spec["platform"],
            handle=spec["handle"],
            text=item["t"],
            created_at=now - timedelta(days=float(item["d"])),
            lang=item.get("lang"),
            in_reply_to=reply_to,
            urls=list(item.get("u") or []),
        )
        published.setdefault((key, item["t"]), post_id)
        advance(task)
    result.posts_published = len(items)

    # -- first collection: backfill through the real client libraries --------------------------------
    task = step(msg("demo.step_collect_first"), len(accounts))
    with session_factory() as session:
        for key, account_id in accounts.items():
            account = session.get(Account, account_id)
            run = collect_account(
                session=session, account=account, backfill=True, settings=settings, sleep=lambda _s: None
            )
            result.runs[run.status] = result.runs.get(run.status, 0) + 1
            advance(task)
        session.commit()

    # -- what happens between two passes: edits, deletions, new posts, a rate limit --------------------
    changes = content.get("changes") or {}
    for edit in changes.get("edit", []):
        post_id = published[(edit["account"], edit["find"])]
        server.edit_post(
            platform=specs[edit["account"]]["platform"],
            post_id=post_id,
            text=edit["text"],
            edited_at=now - timedelta(hours=2),
        )
    for deletion in changes.get("delete", []):
        server.delete_post(
            platform=specs[deletion["account"]]["platform"],
            post_id=published[(deletion["account"], deletion["find"])],
        )
    for new in changes.get("new", []):
        spec = specs[new["account"]]
        server.add_post(
            platform=spec["platform"],
            handle=spec["handle"],
            text=new["t"],
            created_at=now - timedelta(days=float(new["d"])),
            lang=new.get("lang"),
        )
        result.posts_published += 1
    limited = changes.get("rate_limited")
    task = step(msg("demo.step_collect_second"), len(accounts))
    with session_factory() as session:
        # the account named under rate_limited goes last, with the platform answering 429
        for key, account_id in sorted(accounts.items(), key=lambda pair: pair[0] == limited):
            if key == limited:
                server.inject_fault(
                    platform=specs[key]["platform"], kind="rate_limit", times=10, reset_in=3600
                )
            account = session.get(Account, account_id)
            run = collect_account(
                session=session, account=account, recheck=True, settings=settings, sleep=lambda _s: None
            )
            result.runs[run.status] = result.runs.get(run.status, 0) + 1
            advance(task)
        session.commit()
    server.clear_faults()

    # -- analysis ---------------------------------------------------------------------------------
    task = step(msg("demo.step_analyse"))
    with session_factory() as session:
        analyse_database(session=session, pack=load_pack(settings.policy), now=datetime.now(UTC))
        session.commit()
    done(task)

    # -- demo users and a reviewer's decisions ------------------------------------------------------
    task = step(msg("demo.step_users"))
    with session_factory() as session:
        for username, role in DEMO_USERS.items():
            password = secrets.token_urlsafe(12)
            auth.add_user(
                session=session,
                username=username,
                role=role,
                password=password,
                display_name=f"Demo ({role})",
            )
            result.passwords[username] = password
        result.reviews = _review_some(session, rng=rng, now=now)
        session.commit()
    done(task)

    # -- a dry-run purge, so the privacy page shows a retention run -----------------------------------
    task = step(msg("demo.step_purge"))
    try:
        from merkwacht.core import retention

        with session_factory() as session:
            retention.purge(session=session, triggered_by="merkwacht demo", dry_run=True, commit=True)
            session.commit()
    except ImportError:  # pragma: no cover - retention not installed
        pass
    done(task)

    with session_factory() as session:
        result.posts_stored = session.scalar(select(func.count()).select_from(Post)) or 0
        result.findings = (
            session.scalar(select(func.count()).select_from(Finding).where(Finding.superseded_at.is_(None)))
            or 0
        )
        result.open_findings = (
            session.scalar(
                select(func.count())
                .select_from(Finding)
                .where(Finding.superseded_at.is_(None), Finding.status == "open")
            )
            or 0
        )


def _items(content: dict[str, Any], now: datetime) -> list[tuple[str, dict[str, Any]]]:
    """Every post to publish, oldest first. A recurring text's ``{week}`` becomes the ISO week of its day."""
    items: list[tuple[str, dict[str, Any]]] = []
    for key, posts in (content.get("posts") or {}).items():
        items.extend((key, post) for post in posts)
    for recurring in content.get("recurring") or []:
        texts = recurring["texts"]
        for i in range(int(recurring["count"])):
            days = float(recurring["first"]) + i * float(recurring["every_days"])
            week = (now - timedelta(days=days)).isocalendar().week
            items.append(
                (
                    recurring["account"],
                    {
                        "d": days,
                        "t": texts[i % len(texts)].replace("{week}", str(week)),
                        "lang": recurring.get("lang"),
                    },
                )
            )
    return sorted(items, key=lambda pair: -float(pair[1]["d"]))


def _review_some(session: Session, *, rng: random.Random, now: datetime) -> int:
    """The demo reviewer decides part of the findings about posts older than a month."""
    reviewer = Viewer("demo-comms", "comms")
    rows = session.execute(
        select(Finding.id)
        .join(Post, Post.id == Finding.post_id)
        .where(Finding.superseded_at.is_(None), Post.created_at < now - timedelta(days=30))
        .order_by(Finding.id)
    ).all()
    count = 0
    for (finding_id,) in rows:
        draw = rng.random()
        threshold = 0.0
        for disposition, share in REVIEW_SHARES.items():
            threshold += share
            if draw < threshold:
                reason = rng.choice(DISMISS_REASONS) if disposition == "dismissed" else None
                note = "Bron alsnog toegevoegd in de draad." if disposition == "resolved" else None
                review_finding(
                    session=session,
                    viewer=reviewer,
                    finding_id=finding_id,
                    disposition=disposition,
                    reason=reason,
                    note=note,
                )
                count += 1
                break
    return count


def print_summary(result: DemoResult) -> None:
    console.print(msg(
        "demo.ready", accounts=result.accounts, published=result.posts_published, stored=result.posts_stored,
        findings=result.findings, open=result.open_findings, reviews=result.reviews,
        runs=", ".join(f"{status} {n}" for status, n in sorted(result.runs.items())),
    ))
    table = Table(msg("demo.col_role"), msg("demo.col_user"), msg("demo.col_password"),
                  title=msg("demo.users_title"))
    for username, role in DEMO_USERS.items():
        table.add_row(role, username, result.passwords[username])
    out.print(table)
    # One machine-readable line per user, for scripts and tests.
    for username, role in DEMO_USERS.items():
        out.print(
            f"demo-user {role} {username} {result.passwords[username]}", highlight=False, soft_wrap=True
        )


@click.command("demo", cls=Command)
@click.option(
    "--db",
    "db_path",
    default=DEFAULT_DB,
    show_default=True,
    type=click.Path(dir_okay=False),
)
@click.option("--port", type=int, default=8501, show_default=True)
@click.option("--address", default="127.0.0.1", show_default=True)
@click.option("--no-serve", is_flag=True)
@handle_errors
def demo(db_path: str, port: int, address: str, no_serve: bool) -> None:
    """Offline demo: data, analysis and the dashboard, with no network and no configuration."""
    path = Path(db_path).resolve()
    if path.exists():
        console.print(msg("demo.rebuilding", path=path))
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=console,
        transient=False,
    ) as progress:
        result = build_demo(path, progress=progress)
    print_summary(result)
    if no_serve:
        console.print(msg("demo.start_dashboard", path=path, port=port))
        return
    from .dashboard import serve

    sys.exit(
        serve(
            address=address,
            port=port,
            env={"MERKWACHT_DATABASE_URL": result.database_url, "MERKWACHT_DEMO": "true"},
        )
    )


def register(cli: click.Group) -> None:
    cli.add_command(demo)
