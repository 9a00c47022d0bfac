"""Coded errors: English ``str()`` for logs, Dutch or English for the reader, texts in catalogues.

Each package's catalogue (``merkwacht/core/errors.toml``, ``merkwacht/analysis/errors.toml``,
``merkwacht/collector/errors.toml``) is checked against the code: every ``code="..."`` raised in the
package (or key translated there) is in it, every key in it is used somewhere, and both languages
have the same keys and placeholders. The collector's ``codes`` group describes its ``E_*`` codes.
"""

from __future__ import annotations

import ast
import string
from datetime import UTC, datetime
from pathlib import Path

import pytest

from merkwacht.analysis.packs import PackError
from merkwacht.collector.errors import CATALOGUE as COLLECTOR_CATALOGUE
from merkwacht.collector.errors import ERROR_CODES
from merkwacht.core.errors import CATALOGUE, MerkwachtError, NotFound
from merkwacht.core.i18n import LANGUAGES
from merkwacht.core.platforms import UnknownPlatform
from merkwacht.core.settings import ConfigurationError

ROOT = Path(__file__).resolve().parents[2] / "merkwacht"
CATALOGUES = {"core": CATALOGUE, "analysis": PackError.catalogue, "collector": COLLECTOR_CATALOGUE}
#: Catalogue groups keyed by data rather than raised: the collector's E_* code descriptions.
DESCRIPTIONS = {"collector": "codes"}


def _codes_in(package: str) -> set[str]:
    """Every literal ``code=...`` keyword, key given to ``translate`` and code in a table of codes in the package."""
    groups = {key.split(".")[0] for key in CATALOGUES[package].texts["nl"]}
    found: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "code":
                values = [node.value.body, node.value.orelse] if isinstance(node.value, ast.IfExp) else [node.value]
                found |= {v.value for v in values if isinstance(v, ast.Constant) and isinstance(v.value, str)
                          and "." in v.value}  # LineError's codes (too_long, ...) are of another kind
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "translate":
                found |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                          and a.value.split(".")[0] in groups and "." in a.value}
            elif isinstance(node, ast.Dict):  # a table of codes, e.g. status -> code
                found |= {v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
                          and v.value.split(".")[0] in groups and "." in v.value}
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("package", sorted(CATALOGUES))
def test_every_code_raised_is_in_the_catalogue_and_every_entry_is_raised(package):
    texts = CATALOGUES[package].texts
    used = _codes_in(package)
    described = {key for key in texts["nl"] if key.split(".")[0] == DESCRIPTIONS.get(package)}
    assert sorted(used - set(texts["nl"])) == [], f"raised in {package}, missing in its errors.toml"
    assert sorted(set(texts["nl"]) - used - described) == [], f"in {package}'s errors.toml, raised nowhere"


def test_every_collector_error_code_is_described():
    texts = COLLECTOR_CATALOGUE.texts
    for lang in LANGUAGES:
        assert sorted(key for key in texts[lang] if key.startswith("codes.")) == sorted(
            f"codes.{code}" for code in ERROR_CODES)


@pytest.mark.parametrize("package", sorted(CATALOGUES))
def test_both_languages_have_the_same_keys_and_placeholders(package):
    texts = CATALOGUES[package].texts
    assert sorted(set(texts["nl"]) ^ set(texts["en"])) == []
    assert [key for key in texts["nl"] if _placeholders(texts["nl"][key]) != _placeholders(texts["en"][key])] == []


@pytest.mark.parametrize("package", sorted(CATALOGUES))
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_can_be_filled_in(package, lang):
    moment = datetime(2026, 5, 1, tzinfo=UTC)
    for key, text in CATALOGUES[package].texts[lang].items():
        values = {name: moment if name == "at" else "x" for name in _placeholders(text)}
        filled = CATALOGUES[package].translate(lang, key, **values)
        assert "{" not in filled and "⟨" not in filled, (key, filled)


def test_str_is_english_and_the_reader_gets_their_language():
    error = NotFound(code="accounts.not_registered", handle="unileiden")
    assert str(error) == "no account @unileiden is registered (see `merkwacht accounts list`)"
    assert error.text("en") == str(error)
    assert error.text("nl") == "er is geen account @unileiden geregistreerd (zie `merkwacht accounts list`)"
    assert error.code == "accounts.not_registered" and error.params == {"handle": "unileiden"}


def test_a_plain_message_is_shown_as_it_is():
    error = MerkwachtError("al vertaald")
    assert error.code is None and str(error) == "al vertaald" and error.text("en") == "al vertaald"


def test_values_keep_naming_what_is_wrong():
    error = MerkwachtError(code="periods.no_such_month", period="2026-13", month=13)
    assert str(error) == "period '2026-13': month 13 does not exist"
    assert error.text("nl") == "periode '2026-13': maand 13 bestaat niet"


def test_configuration_and_platform_errors_are_coded_too():
    assert "MERKWACHT_PSEUDONYM_KEY moet minstens 16" in ConfigurationError(
        code="settings.pseudonym_key_too_short").text("nl")
    unknown = UnknownPlatform("myspace")
    assert str(unknown) == "unknown platform 'myspace'; known platforms: bluesky, mastodon, reddit, x"
    assert unknown.text("nl") == "onbekend platform 'myspace'; bekende platforms: bluesky, mastodon, reddit, x"
    assert isinstance(unknown, ValueError) and unknown.name == "myspace"


def test_a_package_error_uses_its_own_catalogue():
    error = PackError(code="packs.unknown", name="nope", available="generic")
    assert str(error) == "unknown policy pack 'nope'; available: generic"
    assert error.text("nl") == "onbekend beleidspakket 'nope'; beschikbaar: generic"
