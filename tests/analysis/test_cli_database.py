"""`merkwacht analyse` on a database, and reviewing findings from the command line."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from merkwacht.cli.main import cli
from merkwacht.core import db
from merkwacht.core.models import Finding, Review
from merkwacht.core.post import Post
from merkwacht.core.repository import accounts as register
from merkwacht.core.repository.posts import upsert_posts


@pytest.fixture
def database(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db.upgrade(url)
    monkeypatch.setenv("MERKWACHT_DATABASE_URL", url)
    engine = db.make_engine(url)
    with db.session_scope(engine) as session:
        account = register.add_account(
            session=session, platform="x", handle="Hogeschool", unit="Communicatie", purpose="Toezicht"
        )
        register.opt_in(
            session=session, account=account, by="Hoofd Communicatie", role="eigenaar", purpose="Naleving"
        )
        when = datetime.now(UTC) - timedelta(days=1)
        upsert_posts(
            session=session,
            account=account,
            key=b"k" * 32,
            posts=[
                Post(
                    id="1",
                    platform="x",
                    account="@Hogeschool",
                    created_at=when,
                    kind="post",
                    text="Nog niet officieel: de fusie met Hogeschool Oost gaat door.",
                ),
                Post(
                    id="2",
                    platform="x",
                    account="@Hogeschool",
                    created_at=when,
                    kind="post",
                    text="Bel docent Anna Vos op 06 12 34 56 78.",
                ),
            ],
        )
    yield engine
    engine.dispose()
    db.dispose_engines()


def test_analyse_then_review(database):
    runner = CliRunner()
    first = runner.invoke(cli, ["analyse", "--policy", "unicoz"])
    assert first.exit_code == 0, first.output
    assert "2 bericht(en) geanalyseerd" in first.stderr  # Dutch by default
    assert "ingestemd door de ondernemingsraad" in first.stderr
    second = runner.invoke(cli, ["--lang", "en", "analyse", "--policy", "unicoz"])
    assert "0 post(s) analysed" in second.stderr and "0 finding(s) added" in second.stderr
    other_pack = runner.invoke(cli, ["--lang", "en", "analyse", "--policy", "generic"])
    assert "NOT YET AGREED" in other_pack.stderr and "2 post(s) analysed" in other_pack.stderr

    with db.session_scope(database) as session:
        ids = {f.rule: f.id for f in session.scalars(select(Finding))}
    assert {"confidential", "personal_data"} <= set(ids)

    listed = runner.invoke(cli, ["findings", "list"])
    assert listed.exit_code == 0 and "confidential" in listed.stdout

    refused = runner.invoke(
        cli, ["findings", "review", str(ids["confidential"]), "--dismiss", "--by", "Sanne"]
    )
    assert refused.exit_code != 0 and "een afwijzing heeft een reden nodig" in refused.stderr  # Dutch by default
    ok = runner.invoke(
        cli,
        [
            "findings",
            "review",
            str(ids["confidential"]),
            "--confirm",
            "--by",
            "Sanne",
            "--note",
            "Besproken met de redactie",
        ],
    )
    assert ok.exit_code == 0, ok.output
    runner.invoke(cli, ["findings", "review", str(ids["confidential"]), "--resolve", "--by", "Sanne"])
    with db.session_scope(database) as session:
        finding = session.get(Finding, ids["confidential"])
        assert finding.status == "resolved"
        history = session.scalars(
            select(Review).where(Review.finding_id == finding.id).order_by(Review.id)
        ).all()
        assert [r.disposition for r in history] == ["confirmed", "resolved"]
        assert history[0].reviewer == "Sanne" and history[0].note == "Besproken met de redactie"


def test_file_mode_option_without_posts_is_refused(database):
    result = CliRunner().invoke(cli, ["analyse", "--approvals", "x.jsonl"])
    assert result.exit_code == 2


def test_policy_commands():
    runner = CliRunner()
    listed = runner.invoke(cli, ["policy", "list"])
    assert listed.exit_code == 0 and "leiden" in listed.stdout
    shown = runner.invoke(cli, ["policy", "show", "leiden"])
    assert "leiden/wees-nauwkeurig" in shown.stdout and "missing_source" in shown.stdout
    assert len(runner.invoke(cli, ["policy", "hash", "generic"]).stdout.strip()) == 64
