"""The privacy commands, run against a real database as an operator would."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select, update

from merkwacht.cli.main import cli
from merkwacht.core import db
from merkwacht.core.models import AccessLogEntry, Finding, Post, RetentionRun, utcnow
from merkwacht.core.settings import set_settings

from . import seed


@pytest.fixture
def run(empty_database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("MERKWACHT_DATABASE_URL", empty_database_url)
    monkeypatch.setenv("MERKWACHT_PSEUDONYM_KEY", seed.KEY.decode())
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(cli, list(args), catch_exceptions=False)

    assert invoke("init").exit_code == 0
    invoke.url = empty_database_url
    yield invoke
    db.dispose_engines()


def _seed(url):
    now = utcnow()
    with db.session_scope(db.get_engine(url)) as s:
        acc = seed.account(s, "bieb", at=now - timedelta(days=900))
        old = seed.post(s, acc, at=now - timedelta(days=800), text="Heel oud bericht ^AB", signature="^AB")
        seed.finding(s, old, at=now - timedelta(days=200))
        new = seed.post(s, acc, at=now - timedelta(days=3), text="Zoek het zelf uit ^AB", signature="^AB",
                        reply_text="Waar is de ingang?", reply_author="@bezoeker")
        seed.finding(s, new, at=now - timedelta(days=2), rule="off_tone")


def test_privacy_commands_walk(run, tmp_path):
    _seed(run.url)
    dry = run("purge", "--dry-run", "--by", "po")
    assert dry.exit_code == 0, dry.output
    assert "Proefrun" in dry.output and "eigen berichten van merkaccounts: termijn 730 dagen" in dry.output
    purged = run("purge", "--by", "po")
    assert purged.exit_code == 0 and "verwijderd: 1" in purged.output
    with db.session_scope(db.get_engine(run.url)) as s:
        assert s.scalar(select(RetentionRun).where(RetentionRun.dry_run.is_(False))).counts["own_posts"] == 1
        assert len(list(s.scalars(select(Post)))) == 1 and len(list(s.scalars(select(Finding)))) == 1

    inzage = run("inzage", "--subject", "^AB", "--out", str(tmp_path / "exports"), "--by", "po")
    assert inzage.exit_code == 0, inzage.output
    folder = Path(inzage.stdout.strip().splitlines()[-1])
    data = json.loads((folder / "inzage.json").read_text(encoding="utf-8"))
    assert [p["text"] for p in data["posts"]] == ["Zoek het zelf uit ^AB"] and len(data["findings"]) == 1

    assert run("cases", "open", "--reason", "Klacht van een bezoeker over toon", "--signature", "^AB",
               "--by", "petra").exit_code == 0
    assert run("cases", "findings", "1", "--by", "petra").exit_code == 4  # not approved yet
    assert run("cases", "approve", "1", "--by", "petra").exit_code == 4  # not by the requester
    assert run("cases", "approve", "1", "--by", "jan").exit_code == 0
    listed = run("cases", "findings", "1", "--by", "petra", "--format", "jsonl")
    assert listed.exit_code == 0 and json.loads(listed.stdout.splitlines()[0])["rule"] == "off_tone"
    assert "approved" in run("cases", "list").output
    assert run("cases", "close", "1", "--by", "jan").exit_code == 0

    period = f"{utcnow():%Y}"
    md = run("report", "--period", period)
    assert md.exit_code == 0 and "# Evaluatie van de regels" in md.stdout and "^AB" not in md.stdout
    assert run("report", "--period", period, "--format", "pdf", "--out", "r.pdf").exit_code == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert "<table>" in run("report", "--period", period, "--format", "html", "--lang", "en").stdout
    assert run("report", "--period", "morgen").exit_code != 0

    reg = run("register", "--format", "md")
    assert reg.exit_code == 0 and "Verwerkingsregister" in reg.stdout and "@bieb" in reg.stdout
    assert "<html" in run("register", "--format", "html").stdout

    verify = run("accesslog", "verify", "--json")
    assert verify.exit_code == 0 and json.loads(verify.stdout)["ok"] is True
    with db.session_scope(db.get_engine(run.url)) as s:
        actions = [e.action for e in s.scalars(select(AccessLogEntry).order_by(AccessLogEntry.id))]
    assert actions.count("case_refused") == 2  # refused attempts are logged too
    for expected in ("purge_dry_run", "purge", "inzage", "case_open", "case_approve", "case_use", "case_close",
                     "report", "register", "accesslog_verify"):
        assert expected in actions, expected


def test_verify_names_the_broken_row_and_fails(run):
    run("accesslog", "verify", "--by", "a")
    run("accesslog", "verify", "--by", "b")
    run("accesslog", "verify", "--by", "c")
    with db.session_scope(db.get_engine(run.url)) as s:
        second = s.scalars(select(AccessLogEntry.id).order_by(AccessLogEntry.id)).all()[1]
        s.execute(update(AccessLogEntry).where(AccessLogEntry.id == second).values(actor="mallory"))
    result = run("accesslog", "verify")
    assert result.exit_code == 5
    assert f"row {second}" in result.output and "altered" in result.output


def test_pseudonyms_status_and_rotate(run, monkeypatch):
    _seed(run.url)
    assert "unrecorded" in run("pseudonyms", "status").output
    monkeypatch.setenv("OLD_KEY", seed.KEY.decode())
    monkeypatch.setenv("MERKWACHT_PSEUDONYM_KEY", "a-brand-new-pseudonym-key-9876543210")
    set_settings(None)
    rotated = run("pseudonyms", "rotate", "--old-key-env", "OLD_KEY", "--by", "po")
    assert rotated.exit_code == 0, rotated.output
    assert "NIET herschreven: 1 pseudoniem(en) van derden" in rotated.output
    assert "2 ondertekeningspseudoniem(en)" in rotated.output
    assert "current" in run("pseudonyms", "status").output
    monkeypatch.setenv("MERKWACHT_PSEUDONYM_KEY", seed.KEY.decode())
    set_settings(None)
    assert run("pseudonyms", "status").exit_code == 6  # the old key configured again is noticed
    assert run("pseudonyms", "rotate", "--old-key-env", "NO_SUCH_VAR").exit_code != 0


def test_daily_privacy_job(run):
    from merkwacht.cli.privacy import DAILY_PRIVACY_JOB, daily_privacy_job

    _seed(run.url)
    result = daily_privacy_job()
    assert result["counts"]["own_posts"] == 1 and result["cases_expired"] == 0
    with db.session_scope(db.get_engine(run.url)) as s:
        entry = s.scalar(select(AccessLogEntry).where(AccessLogEntry.action == "purge"))
        assert (entry.actor, entry.role, entry.channel) == ("scheduler", "system", "scheduler")
    module, func = DAILY_PRIVACY_JOB["func"].split(":")
    assert getattr(__import__(module, fromlist=[func]), func) is daily_privacy_job


def test_purge_keeps_what_an_approved_case_holds_and_says_so_in_counts_only(run):
    _seed(run.url)
    assert run("cases", "open", "--reason", "Klacht van een bezoeker over toon", "--signature", "^AB",
               "--by", "petra").exit_code == 0
    requested = run("purge", "--dry-run", "--by", "po")  # a requested case holds nothing
    assert "bewaard voor lopend onderzoek (legal hold): niets zou achterhouden" in requested.output
    assert run("cases", "approve", "1", "--by", "jan").exit_code == 0
    dry = run("purge", "--dry-run", "--by", "po")
    assert dry.exit_code == 0, dry.output
    assert "1 goedgekeurd(e), lopend(e) onderzoek(en)" in dry.output
    assert "eigen berichten van merkaccounts 1" in dry.output and "bevindingen 1" in dry.output
    purged = run("purge", "--by", "po")
    assert purged.exit_code == 0 and "achtergehouden voorbij hun termijn" in purged.output
    for name in ("^AB", "AB ", "petra", "jan", "bieb", "Klacht"):
        assert name not in purged.stdout, name
    with db.session_scope(db.get_engine(run.url)) as s:
        assert len(list(s.scalars(select(Post)))) == 2 and len(list(s.scalars(select(Finding)))) == 2
        last = s.scalar(select(RetentionRun).order_by(RetentionRun.id.desc()).limit(1))
        assert last.held == {"findings": 1, "reviews": 0, "own_posts": 1, "post_versions": 0, "cases": 1}
        assert s.scalar(select(AccessLogEntry.target).where(AccessLogEntry.action == "purge_hold")) == "case:1"
    assert run("cases", "close", "1", "--by", "jan").exit_code == 0
    assert "verwijderd: 1" in run("purge", "--by", "po").output  # the first purge after closing
    with db.session_scope(db.get_engine(run.url)) as s:
        assert len(list(s.scalars(select(Post)))) == 1 and len(list(s.scalars(select(Finding)))) == 1
