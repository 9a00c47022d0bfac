"""The lexicons of the rules: readable data files whose terms all compile and are reachable."""

from __future__ import annotations

import re

import pytest

from merkwacht.analysis.rules import confidential, unapproved_statement
from merkwacht.analysis.terms import TERMS_DIR, AnchoredPatterns, alternation, load_terms, versioned


def _terms(value):
    if isinstance(value, dict):
        for inner in value.values():
            yield from _terms(inner)
    elif isinstance(value, list):
        yield from value


@pytest.mark.parametrize("name", sorted(p.stem for p in TERMS_DIR.glob("*.yaml")))
def test_every_term_is_a_string_that_compiles(name):
    for term in _terms(load_terms(name)):
        assert isinstance(term, str), f"{name}: {term!r} was read as YAML structure; quote it"
        re.compile(alternation([term]))


@pytest.mark.parametrize(
    "patterns",
    [
        *(group for _name, _weight, group in confidential._GROUPS),
        unapproved_statement._VERBS,
        unapproved_statement._OFFICIAL,
    ],
)
def test_every_phrase_is_tied_to_an_anchor_word(patterns: AnchoredPatterns):
    # A phrase without an anchor word would run on every post (slow); anchors keep file mode fast.
    assert patterns._always == []


def test_spaces_in_terms():
    pattern = re.compile(alternation(["leerling ?nummer", "nog niet officieel"]))
    assert pattern.fullmatch("leerlingnummer") and pattern.fullmatch("leerling nummer")
    assert pattern.fullmatch("nog  niet\nofficieel")


def test_rule_version_follows_the_lexicon():
    assert versioned("1.0", "confidential").startswith("1.0+")
    assert versioned("1.0", "confidential") != versioned("1.0", "standpoint")
