"""Errors raised below the command line reach the user in the command's language; the exit code stays."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from merkwacht.cli.main import cli
from merkwacht.core import db
from merkwacht.core.settings import set_settings


@pytest.fixture
def run(empty_database_url, monkeypatch):
    monkeypatch.setenv("MERKWACHT_DATABASE_URL", empty_database_url)

    def invoke(*args):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)

    invoke("init")
    yield invoke
    db.dispose_engines()


def test_an_unknown_account_in_dutch_and_in_english(run):
    dutch = run("accounts", "opt-in", "Nobody", "--by", "A")
    english = run("--lang", "en", "accounts", "opt-in", "Nobody", "--by", "A")
    assert "er is geen account @nobody geregistreerd" in dutch.stderr
    assert "no account @nobody is registered" in english.stderr
    assert dutch.exit_code == english.exit_code == 1


def test_the_setting_chooses_for_core_errors_too(run, monkeypatch):
    monkeypatch.setenv("MERKWACHT_LANGUAGE", "en")
    set_settings(None)  # read again: init (in the fixture) read them before
    result = run("accounts", "add", "--platform", "mastodon", "--handle", "Org", "--unit", "C", "--purpose", "p")
    assert "a Mastodon account needs --instance" in result.stderr


def test_a_revoke_without_opt_in_keeps_its_exit_code(run):
    run("accounts", "add", "--platform", "x", "--handle", "Org", "--unit", "C", "--purpose", "p")
    result = run("accounts", "revoke", "Org", "--by", "A")
    assert result.exit_code == 3
    assert "@Org op x heeft geen geldige toestemming om in te trekken" in result.stderr


def test_a_policy_pack_error_in_file_mode_needs_no_database(tmp_path):
    posts = tmp_path / "posts.jsonl"
    posts.write_text("", encoding="utf-8")
    dutch = CliRunner().invoke(cli, ["analyse", "--posts", str(posts), "--policy", "nope"])
    english = CliRunner().invoke(cli, ["--lang", "en", "analyse", "--posts", str(posts), "--policy", "nope"])
    assert "onbekend beleidspakket 'nope'" in dutch.stderr
    assert "unknown policy pack 'nope'" in english.stderr
    assert dutch.exit_code == english.exit_code == 2
