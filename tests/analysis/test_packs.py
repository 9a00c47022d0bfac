"""Policy packs: the shipped packs load, encode their guidelines, and a broken pack names the key at fault."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

from merkwacht.analysis.packs import BUILTIN_DIR, PackError, available_packs, load_pack
from merkwacht.analysis.registry import all_rules

from ..conftest import shared_path

PACKS = ["generic", "leiden", "unicoz", "policybv"]
POST_RULES = ["missing_source", "unapproved_statement", "off_tone", "personal_data", "confidential"]


def test_the_four_packs_are_available():
    assert set(PACKS) <= set(available_packs())


@pytest.mark.parametrize("name", PACKS)
def test_pack_api(name):
    pack = load_pack(name)
    assert pack.name == name
    assert pack.version
    assert pack.hash == hashlib.sha256((BUILTIN_DIR / f"{name}.yaml").read_bytes()).hexdigest()
    assert pack.k == 5
    assert pack.retention == {
        "findings": 183,
        "reviews": 183,
        "third_party_text": 183,
        "own_posts": 730,
        "access_log": 365,
    }
    assert set(POST_RULES) <= set(pack.enabled_rules)
    for clause in pack.clauses.values():
        assert clause.title and clause.text and clause.purpose
    document = pack.to_document()
    assert json.loads(json.dumps(document)) == document
    assert document["clauses"][0]["text"] == next(iter(pack.clauses.values())).text


@pytest.mark.parametrize("name", PACKS)
def test_every_rule_names_a_clause_present_in_every_pack_that_enables_it(name):
    pack = load_pack(name)
    rules = all_rules()
    for rule_id in pack.enabled_rules:
        clauses = pack.rule_clauses(rule_id)
        assert clauses, f"{name}: {rule_id} enforces no clause"
        for clause_id in clauses:
            assert clause_id in pack.clauses, f"{name}: {rule_id} names unknown clause {clause_id}"
        spec = rules.get(rule_id)
        if spec is not None and spec.clauses:
            kinds = {pack.clauses[c].kind for c in clauses}
            assert kinds & set(spec.clauses), (
                f"{name}: {rule_id} serves {spec.clauses}, its clauses are {kinds}"
            )


GUIDELINES = {
    "leiden": "leiden-social-media-richtlijnen.txt",
    "unicoz": "unicoz-protocol-sociale-media.txt",
    "policybv": "policy-bv-gedragscode-sociale-media.txt",
}


def _words(text):
    return " ".join(re.findall(r"\w+", text.lower()))


@pytest.mark.parametrize("name", sorted(GUIDELINES))
def test_clause_texts_quote_the_guideline(name):
    source = _words(shared_path("data", "guidelines", GUIDELINES[name]).read_text(encoding="utf-8"))
    pack = load_pack(name)
    assert pack.data.guideline == GUIDELINES[name]
    for clause in pack.clauses.values():
        for part in clause.text.split("[...]"):  # elided passages are marked [...]
            assert _words(part) in source, f"{clause.id} does not quote the guideline"


def test_account_checks_follow_the_guidelines():
    assert {"dormant_account", "credentials_not_rotated"} <= set(load_pack("leiden").enabled_rules)
    assert {"deleted_without_notice", "thread_hostility"} <= set(load_pack("unicoz").enabled_rules)
    assert "thread_hostility" in load_pack("policybv").enabled_rules


def _broken(tmp_path: Path, change) -> str:
    data = yaml.safe_load((BUILTIN_DIR / "generic.yaml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "change, key",
    [
        (lambda d: d["rules"]["personal_data"].update(threshold="hoog"), "rules.personal_data.threshold"),
        (lambda d: d["rules"]["personal_data"].update(treshold=0.5), "rules.personal_data.treshold"),
        (
            lambda d: d["rules"]["confidential"].update(clauses=["generic/bestaat-niet"]),
            "rules.confidential.clauses[0]",
        ),
        (lambda d: d["rules"].update(no_such_rule={"clauses": ["generic/correcties"]}), "rules.no_such_rule"),
        (lambda d: d.update(k=1), "k:"),
        (lambda d: d["retention_days"].update(findings=0), "retention_days.findings"),
        (lambda d: d["council"].update(agreed_at="gisteren"), "council.agreed_at"),
        (lambda d: d.pop("version"), "version"),
        (lambda d: d["clauses"][0].pop("purpose"), "clauses[0].purpose"),
        (
            lambda d: d["rules"]["unapproved_statement"].update(clauses=["generic/onderhoud"]),
            "rules.unapproved_statement.clauses",
        ),
        (
            lambda d: d["rules"]["dormant_account"].update(dormant_after_days=-3),
            "rules.dormant_account.dormant_after_days",
        ),
    ],
)
def test_a_broken_pack_is_refused_naming_the_key(tmp_path, change, key):
    path = _broken(tmp_path, change)
    with pytest.raises(PackError) as error:
        load_pack(path)
    assert key in str(error.value)


def test_not_yaml_and_unknown_pack(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("pack: [unclosed", encoding="utf-8")
    with pytest.raises(PackError, match="not valid YAML"):
        load_pack(str(path))
    with pytest.raises(PackError, match="unknown policy pack 'nope'; available: "):
        load_pack("nope")


@pytest.mark.parametrize("name", sorted(GUIDELINES))
def test_shipped_example_packs_record_an_agreement(name):
    pack = load_pack(name)
    assert pack.agreed_at is not None
    assert pack.agreed, f"{name}: content changed since council.agreed_hash; record the new hash once agreed"


def test_agreement_holds_only_for_the_agreed_content(tmp_path):
    pack = load_pack("generic")
    assert not pack.agreed
    agreed = _broken(
        tmp_path, lambda d: d["council"].update(agreed_at="2026-06-01", agreed_hash=pack.content_hash)
    )
    assert load_pack(agreed).agreed
    data = yaml.safe_load(Path(agreed).read_text(encoding="utf-8"))
    data["rules"]["confidential"]["threshold"] = 0.9
    changed = tmp_path / "changed.yaml"
    changed.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert not load_pack(str(changed)).agreed


def test_organisation_policy_dir(tmp_path, monkeypatch):
    (tmp_path / "eigen.yaml").write_text(
        (BUILTIN_DIR / "generic.yaml")
        .read_text(encoding="utf-8")
        .replace("pack: generic", "pack: eigen")
        .replace("generic/", "eigen/"),
        encoding="utf-8",
    )
    monkeypatch.setenv("MERKWACHT_POLICY_DIR", str(tmp_path))
    from merkwacht.core.settings import set_settings

    set_settings(None)
    assert "eigen" in available_packs()
    assert load_pack("eigen").name == "eigen"
