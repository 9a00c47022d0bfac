"""The command line of the register, run as a newcomer would: init, accounts, approvals, export."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from merkwacht.cli.main import cli
from merkwacht.core import db


@pytest.fixture
def run(empty_database_url, monkeypatch):
    monkeypatch.setenv("MERKWACHT_DATABASE_URL", empty_database_url)
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    yield invoke
    db.dispose_engines()


def test_the_done_when_walk(run):
    result = run("init")
    assert result.exit_code == 0, result.output
    assert "bijgewerkt van leeg" in result.output  # Dutch by default
    assert "is actueel" in run("init").output
    assert "up to date" in run("--lang", "en", "init").output
    result = run("accounts", "add", "--platform", "mastodon", "--handle", "UniLeiden", "--instance",
                 "https://social.edu.nl", "--unit", "Communicatie", "--purpose", "Naleving van de richtlijn")
    assert result.exit_code == 0, result.output
    listing = run("accounts", "list")
    assert listing.exit_code == 0
    assert "@UniLeiden" in listing.output and "https://social.edu.nl" in listing.output
    assert "geen" in listing.output  # no opt-in yet


def test_the_platform_id_can_be_given(run):
    run("init")
    result = run("accounts", "add", "--platform", "x", "--handle", "Org", "--unit", "C", "--purpose", "p",
                 "--platform-id", "1234567890")
    assert result.exit_code == 0
    assert "1234567890" in run("accounts", "list").stdout


def test_register_errors_are_clear_and_non_zero(run):
    run("init")
    add = ["accounts", "add", "--platform", "x", "--handle", "Org", "--unit", "Comms", "--purpose", "p"]
    assert run(*add).exit_code == 0
    duplicate = run(*add)
    assert duplicate.exit_code != 0 and "X-account @Org is al geregistreerd" in duplicate.output  # Dutch by default
    unknown = run("accounts", "add", "--platform", "myspace", "--handle", "Org", "--unit", "C", "--purpose", "p")
    assert unknown.exit_code == 2 and "onbekend platform 'myspace'" in unknown.output
    assert "bekende platforms: bluesky, mastodon, reddit, x" in unknown.output
    missing = run("accounts", "opt-in", "Nobody", "--by", "A")
    assert missing.exit_code != 0 and "er is geen account @nobody geregistreerd" in missing.output


def test_opt_in_and_revoke_are_recorded(run):
    run("init")
    run("accounts", "add", "--platform", "bluesky", "--handle", "org.bsky.social", "--unit", "C", "--purpose", "p")
    ok = run("accounts", "opt-in", "org.bsky.social", "--by", "Hoofd Communicatie", "--role", "eigenaar")
    assert ok.exit_code == 0 and "Toestemming vastgelegd" in ok.output
    assert "Hoofd Communicatie (eigenaar)" in run("accounts", "list").output
    revoked = run("accounts", "revoke", "org.bsky.social", "--by", "Privacy Officer", "--reason", "opgeheven")
    assert revoked.exit_code == 0
    listing = run("accounts", "list").output
    assert "ingetrokken" in listing and "Privacy Officer" in listing
    again = run("accounts", "revoke", "org.bsky.social", "--by", "X")
    assert again.exit_code != 0 and "heeft geen geldige toestemming om in te trekken" in again.output


def test_a_command_before_init_says_so(run):
    result = run("accounts", "list")
    assert result.exit_code == 2 and "merkwacht init" in result.output


def test_approvals_add_import_list(run, tmp_path):
    run("init")
    assert run("approvals", "add", "--account", "@Org", "--text", "Wij steunen de campagne.", "--by", "Bestuur",
               "--id", "x1").exit_code == 0
    file = tmp_path / "approvals.jsonl"
    file.write_text("\n".join([
        json.dumps({"id": "a1", "account": None, "text": "Wij veroordelen geweld.", "approved_by": "CvB",
                    "approved_at": "2026-01-05", "valid_until": "2026-12-31"}),
        "{broken",
        json.dumps({"id": "a2", "account": "@Org", "approved_by": "CvB"}),
        json.dumps({"id": "a3", "account": "@Org", "text": "Wij zijn trots.", "approved_by": "CvB"}),
    ]) + "\n")
    result = run("approvals", "import", str(file))
    assert result.exit_code == 1
    assert "regel 2" in result.output and "regel 3, veld 'text'" in result.output
    assert "2 goedkeuring(en) toegevoegd" in result.output
    again = run("--lang", "en", "approvals", "import", str(file))
    assert "line 2" in again.output and "line 3, field 'text'" in again.output
    assert "0 approval(s) added, 2 already present" in again.output
    listing = run("approvals", "list").output
    assert all(i in listing for i in ("x1", "a1", "a3")) and "2026-12-31" in listing


def test_export_of_an_empty_database_is_empty_not_an_error(run):
    run("init")
    result = run("export", "posts", "--format", "jsonl")
    assert result.exit_code == 0
    csv = run("export", "findings", "--format", "csv")
    assert csv.exit_code == 0 and csv.stdout.splitlines()[0].startswith("post_id,platform,account,rule")
