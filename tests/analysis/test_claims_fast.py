"""find_claim's fast reading of the claims files agrees with the lexicons that define them.

detect/claims.py reads the claims data files without :class:`Lexicon` (patterns in one triggered pass,
terms only as present or not) and asks the claims model sentence by sentence only as far as a
decision needs; linear.py scores a text without writing out its feature strings. These tests check
each shortcut against its definition on texts dense with what the files look for.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from merkwacht.analysis.detect import claims, linear

#: Words, signs and numbers the claims files react to (written for this test).
WORDS = [
    "we", "wij", "ons", "onze", "our", "us", "we're", "we'll", "vandaag", "today", "maandag", "Monday", "om", "at",
    "15:00", "10.30", "uur", "40", "3", "2020", "1.234", "12,5", "%", "procent", "percent", "een", "op", "de", "tien",
    "van", "the", "of", "out", "ten", "onderzoek", "blijkt", "uit", "study", "shows", "that", "gemiddeld", "average",
    "steeds", "meer", "more", "than", "best", "in", "Europe", "Nederland", "zegt", "says", "professor", "ik", "denk",
    "think", "maybe", "steunt", "welcomes", "vacature", "apply", "mail", "info@example.org", "blok", "room", "week",
    "volgens", "het", "CBS", "bron:", "Nature", "(source", "?", "!", ".", ",", "\n", "\u201c", "\u201d", '"', "\u0130",
    "STUDIE", "ſ", "$5", "5x", "twee", "keer", "zo", "veel", "researchers", "found", "is", "open", "tegen", "plan",
]
TEXTS = st.lists(st.sampled_from(WORDS), max_size=40).map(" ".join)


def _by_lexicon(low: str, langs: tuple[str, ...]) -> tuple[list[tuple[str, int, int, float]], set[str]]:
    """Every match of the claims lexicons, in their order, and the categories found (the definition)."""
    matches = [(m.category, m.start, m.end, m.weight) for code in langs for m in claims.claim_lexicon(code).find(low)]
    return matches, {m[0] for m in matches}


_PLACED = claims._SIGNALS | {"label", "hedge"}  # the categories whose place find_claim reads


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from([("nl",), ("en",), ("nl", "en")]))
@example("Vandaag 40 nieuwe gevallen, we're told; we zijn er om 15:00 in blok 3.", ("nl", "en"))
def test_the_fast_reading_finds_what_the_lexicons_find(text, langs):
    low = text.lower()
    matches, found = claims._claim_matches(low, langs)
    expected, categories = _by_lexicon(low, langs)
    assert [m for m in matches if m[0] in _PLACED] == [m for m in expected if m[0] in _PLACED]
    every = {c for code in langs for c in claims._claim_data(code).weights} | {"when", "self", "announce"}
    assert {c for c in every if c in found} == categories & every


def test_the_claims_files_are_read_without_the_lexicons():
    assert all(claims._claim_data(code).exact for code in claims.LANGUAGES)
    assert claims._source_data().exact and not claims._source_data().term_categories


@pytest.mark.parametrize("text", [
    "5% " * 1000,  # more pattern matches than the lexicon keeps
    "we " * 2000 + "vandaag 40 mensen",  # more plain words than the lexicon keeps
    "we're " * 300 + "12% " * 600,
])
def test_a_text_the_lexicon_would_cut_short_is_left_to_it(text):
    low = text.lower()
    assert any(claims._claim_data(code).pattern_matches(low) is None for code in claims.LANGUAGES)
    matches, found = claims._claim_matches(low, claims.LANGUAGES)
    expected, categories = _by_lexicon(low, claims.LANGUAGES)
    assert matches == expected and all(c in found for c in categories)


@settings(max_examples=200, deadline=None)
@given(TEXTS)
@example("Uit onderzoek blijkt (bron: CBS) dat 40% volgens het RIVM")
def test_the_first_source_is_the_lexicons_first_match(text):
    found = claims.source_lexicon().find(text)
    assert claims._source_data().first_pattern(text) == ((found[0].start, found[0].end) if found else None)


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.9, 0.99, 1.0]), st.sampled_from([None, 0.5, 0.9]))
def test_reading_sentence_by_sentence_answers_as_the_whole_probability(text, threshold, asked_before):
    p = claims.statement_probability(text)
    reading = claims._Reading(text)
    if asked_before is not None:  # a second question continues where the first stopped
        assert reading.at_least(asked_before) == (p >= asked_before)
    assert reading.at_least(threshold) == (p >= threshold)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab we ik you 0123456789 ?!.,@#'\"%$€<>-:/RIVM\u0130")), max_size=80)
       | TEXTS)
@example("Het RIVM meldde 12 nieuwe gevallen, zei @iemand. Klopt dat? https://example.org/x")
def test_the_model_scores_the_features_it_is_defined_by(text):
    model = linear.load("claims")
    assert model is not None
    assert model.probability(text) == pytest.approx(model.probability_by_features(text), rel=1e-12, abs=1e-15)


@settings(max_examples=300, deadline=None)
@given(TEXTS | st.text(alphabet=st.sampled_from(list("ab .!?;\n\t\r\u2029\x1c")), max_size=40))
@example("Een. Twee!  Drie?\n\nVier;\tvijf \n zes")
def test_the_fast_sentence_breaks_are_the_breaks(text):
    assert claims._SENTENCE_BREAK_FAST.split(text) == claims._SENTENCE_BREAK.split(text)
