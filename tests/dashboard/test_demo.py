"""`merkwacht demo` builds its data offline through the real collectors and analysis, twice in a row."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from merkwacht.cli.dashboard import streamlit_command
from merkwacht.cli.demo import DEMO_USERS, build_demo, load_content
from merkwacht.core import auth, db
from merkwacht.core.models import Account, CollectionRun, Finding, PolicyVersion, Post, Review

pytestmark = pytest.mark.slow


def test_demo_content_is_sizeable_and_bilingual() -> None:
    content = load_content()
    items = [item for posts in content["posts"].values() for item in posts]
    assert len(items) + sum(r["count"] for r in content["recurring"]) >= 200
    assert {a["platform"] for a in content["accounts"]} == {"x", "reddit", "mastodon", "bluesky"}
    assert sum(1 for item in items if item.get("lang") == "en") >= 20
    assert sum(1 for item in items if item.get("r")) >= 50  # replies with the post they answer


def test_demo_builds_the_database_and_rebuilds_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "merkwacht-demo.db"
    first = build_demo(path)
    assert first.accounts == 6 and first.posts_stored == first.posts_published >= 200
    assert first.findings > 0 and 0 < first.open_findings < first.findings
    assert first.runs.get("rate_limited") == 1
    engine = db.make_engine(f"sqlite:///{path}")
    with db.session_scope(engine) as session:
        assert set(session.scalars(select(Account.platform).distinct())) == {
            "x",
            "reddit",
            "mastodon",
            "bluesky",
        }
        assert all(a.active_opt_in() is not None for a in session.scalars(select(Account)))
        assert session.scalar(select(func.count()).where(Post.deleted_at.is_not(None))) == 2
        assert session.scalar(select(func.count()).where(Post.edited_at.is_not(None))) >= 1
        replies = session.scalars(select(Post).where(Post.in_reply_to_text.is_not(None))).all()
        assert replies and all(
            r.in_reply_to_author and r.in_reply_to_author.startswith("p:") for r in replies
        )
        assert session.scalar(select(func.count()).select_from(PolicyVersion)) == 1
        assert session.scalar(select(func.count()).select_from(Review)) == first.reviews > 0
        assert session.scalar(select(func.count()).select_from(CollectionRun)) == 12
        assert {f.rule for f in session.scalars(select(Finding))} >= {
            "missing_source",
            "unapproved_statement",
        }
        for username, role in DEMO_USERS.items():
            viewer = auth.authenticate(session=session, username=username, password=first.passwords[username])
            assert viewer is not None and viewer.role == role
    engine.dispose()
    second = build_demo(path)  # running it again rebuilds the database
    assert second.posts_stored == first.posts_stored and second.findings == first.findings
    assert second.passwords != first.passwords


def test_demo_command_without_serving(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from merkwacht.cli.main import cli

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "merkwacht-demo.db").exists()
    assert set(re.findall(r"^demo-user \w+ (\S+) \S+$", result.output, re.MULTILINE)) == set(DEMO_USERS)


def test_dashboard_command_runs_streamlit_headless() -> None:
    command = streamlit_command(address="0.0.0.0", port=8080)
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("dashboard/app.py")
    flags = dict(zip(command[5::2], command[6::2], strict=True))
    assert flags["--server.headless"] == "true" and flags["--browser.gatherUsageStats"] == "false"
    assert flags["--server.address"] == "0.0.0.0" and flags["--server.port"] == "8080"
