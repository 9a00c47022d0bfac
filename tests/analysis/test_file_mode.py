"""File mode through the real command: findings as JSON lines, malformed lines reported, the rest analysed."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from merkwacht.cli.main import cli

GOOD = {
    "id": "p1",
    "platform": "x",
    "account": "@Hogeschool",
    "created_at": "2026-05-01T10:00:00Z",
    "kind": "post",
    "text": "Nog niet officieel, maar de nieuwe campus komt er!",
}
PRIVATE = {**GOOD, "id": "p3", "lang": "en", "text": "Call our colleague Tom on 06 48 12 77 90 for the keys."}
STANCE = {**GOOD, "id": "p4", "text": "Hogeschool West veroordeelt het geweld tegen journalisten."}


def _write(path, rows):
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8"
    )
    return str(path)


def _findings(output):
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_findings_as_json_lines(tmp_path):
    posts = _write(tmp_path / "posts.jsonl", [GOOD, PRIVATE, STANCE])
    result = CliRunner().invoke(cli, ["analyse", "--posts", posts])
    assert result.exit_code == 0, result.output
    found = {(f["post_id"], f["rule"]) for f in _findings(result.stdout)}
    assert found == {("p1", "confidential"), ("p3", "personal_data"), ("p4", "unapproved_statement")}
    finding = next(f for f in _findings(result.stdout) if f["rule"] == "confidential")
    assert set(finding) >= {
        "post_id",
        "rule",
        "severity",
        "score",
        "clause",
        "evidence",
        "explanation",
        "explanation_en",
        "rule_version",
        "policy",
        "policy_version",
    }
    assert finding["clause"] == "generic/vertrouwelijkheid"
    assert finding["evidence"].lower() == "nog niet officieel"
    assert finding["policy"] == "generic"


def test_malformed_lines_are_reported_and_the_rest_analysed(tmp_path):
    rows = [
        GOOD,
        "{not json",
        {**GOOD, "id": "p2", "created_at": "2026-05-01T10:00:00"},
        {k: v for k, v in PRIVATE.items() if k != "text"},
        PRIVATE,
    ]
    posts = _write(tmp_path / "posts.jsonl", rows)
    result = CliRunner().invoke(cli, ["analyse", "--posts", posts])
    assert result.exit_code == 1
    assert "regel 2: geen geldige JSON" in result.stderr  # Dutch by default
    assert "regel 3, veld 'created_at'" in result.stderr and "(waarde: '2026-05-01T10:00:00')" in result.stderr
    assert "regel 4, veld 'text': verplicht veld ontbreekt" in result.stderr
    assert "3 regel(s) afgewezen" in result.stderr
    assert {f["post_id"] for f in _findings(result.stdout)} == {"p1", "p3"}
    english = CliRunner().invoke(cli, ["--lang", "en", "analyse", "--posts", posts])
    assert english.exit_code == 1 and english.stdout == result.stdout  # only the messages change
    assert "line 2: not valid JSON" in english.stderr
    assert "line 3, field 'created_at'" in english.stderr and "(value: '2026-05-01T10:00:00')" in english.stderr
    assert "line 4, field 'text': required field is missing" in english.stderr


def test_approvals_file_and_policy_option(tmp_path):
    posts = _write(tmp_path / "posts.jsonl", [STANCE])
    approvals = _write(
        tmp_path / "approvals.jsonl",
        [
            {
                "id": "a1",
                "account": "@Hogeschool",
                "approved_by": "Woordvoerder",
                "approved_at": "2026-04-01",
                "text": "Hogeschool West veroordeelt het geweld tegen journalisten.",
            }
        ],
    )
    result = CliRunner().invoke(
        cli, ["analyse", "--posts", posts, "--approvals", approvals, "--policy", "unicoz"]
    )
    assert result.exit_code == 0, result.output
    assert _findings(result.stdout) == []
    result = CliRunner().invoke(cli, ["analyse", "--posts", posts, "--policy", "unicoz", "--lang", "en"])
    [finding] = _findings(result.stdout)
    assert finding["clause"] == "unicoz/namens-unicoz"
    assert finding["explanation"] == finding["explanation_en"]


def test_unknown_policy_is_refused(tmp_path):
    posts = _write(tmp_path / "posts.jsonl", [GOOD])
    result = CliRunner().invoke(cli, ["analyse", "--posts", posts, "--policy", "nope"])
    assert result.exit_code == 2
    assert "onbekend beleidspakket 'nope'" in result.stderr  # Dutch by default


def test_real_process_reads_stdin():
    proc = subprocess.run(
        [sys.executable, "-c", "from merkwacht.cli.main import main; main()", "analyse", "--posts", "-"],
        input=json.dumps(PRIVATE) + "\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert [f["rule"] for f in _findings(proc.stdout)] == ["personal_data"]


def test_a_failing_rule_is_reported_and_the_rest_analysed(tmp_path, monkeypatch):
    import dataclasses

    from merkwacht.analysis import registry

    spec = registry.get_rule("confidential")

    def broken(post, ctx):
        if "kapot" in post.text:
            raise RuntimeError("boom")
        return spec.func(post, ctx)

    monkeypatch.setitem(registry._RULES, "confidential", dataclasses.replace(spec, func=broken))
    posts = _write(
        tmp_path / "posts.jsonl", [{**GOOD, "id": "k", "text": "Dit maakt de regel kapot."}, GOOD, PRIVATE]
    )
    result = CliRunner().invoke(cli, ["analyse", "--posts", posts])
    assert result.exit_code == 3
    assert "een regel faalde 1 keer" in result.stderr
    assert {(f["post_id"], f["rule"]) for f in _findings(result.stdout)} == {
        ("p1", "confidential"),
        ("p3", "personal_data"),
    }
