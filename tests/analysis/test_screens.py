"""The quick screens only ever skip work that would find nothing.

A screen (:class:`PatternScreen`, the phrase screen of a lexicon, the words a lexicon knows to be
plain) may answer "may match" too often, never too rarely; a lexicon with context categories gives
exactly what its definition gives: everything it finds without them, or nothing when all of that is
context.
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from merkwacht.analysis.detect.lexicon import Lexicon
from merkwacht.analysis.detect.textnorm import normalise
from merkwacht.analysis.detect.tone import _CONTEXT, lexicon
from merkwacht.analysis.detect.screens import PatternScreen, first_runs, required_clauses
from merkwacht.analysis.detect.triggers import TriggeredPatterns, words_of

CONTEXT = _CONTEXT | {"mild"}
_WORD_RUN = re.compile(r"[^\W\d_]+")


def _vocabulary() -> list[str]:
    """Words that make the off-tone patterns and terms match (taken from them), and some others."""
    words: set[str] = set()
    for code in ("nl", "en"):
        lex = lexicon(code)
        for _category, source in lex._patterns._patterns:
            words |= set(_WORD_RUN.findall(source.replace("\\s", " ").replace("\\b", " ")))
        words |= {w for w in list(lex.terms)[:400] + list(lex.wild)[:200] if " " not in w}
    return sorted(words | {"de", "het", "een", "the", "a", "and", "we", "you", "ik", "niet", "nooit"})


_VOCABULARY = _vocabulary()
_SEPARATORS = st.sampled_from([" ", " ", " ", ", ", ". ", "! ", "'", "  ", "\n", " * ", "**", " 12 ", "-", " 🙄 "])
_TEXT = st.lists(st.tuples(st.sampled_from(_VOCABULARY), _SEPARATORS), max_size=14).map(
    lambda parts: "".join(w + s for w, s in parts)
)

PATTERNS = [  # written for this test: first words, inflections, signs, digits, groups
    ("a", r"\b(?:wil|willen|ga)\s+(?:\w+\s+){0,2}?(?:ze|hen)\s+doden\b"),
    ("b", r"\bf\W?u\W?c\W?k"),
    ("c", r"\b(?:kill|murder)\w*\s+(?:all|them)\b"),
    ("d", r"\b(?:stab|shoot)s?\s+you"),
    ("e", r",\s*(?:genius|schat)\b"),
    ("f", r"\b\d+\s*%"),
    ("g", r"\b[a-z]\*{2,}[a-z]*"),
    ("h", r"\bwe'?re\s+busy\b"),
    ("i", r"\bs+t+o+p\b"),
    ("j", "(?:🙄|🥱)"),
]


def test_first_runs_examples():
    assert first_runs(r"\bverwijderd\b") == (frozenset({"verwijderd"}), frozenset())
    assert first_runs(r"\b(?:wil|ga)\s+x") == (frozenset({"wil", "ga"}), frozenset())
    assert first_runs(r"\bf\W?u\W?c\W?k") == (frozenset({"f", "fu", "fuc"}), frozenset({"fuck"}))
    assert first_runs(r"\b(?:kill)\w*\s") == (frozenset({"kill"}), frozenset({"kill"}))
    assert first_runs(r"(?i)\bwil\b") is None  # case-insensitive: unknown
    assert first_runs(r"\b[a-z]\*") is None  # any letter first: unknown


def test_required_clauses_examples():
    assert set(required_clauses(r"\bin\s+je\s+eigen\s+land")) >= {frozenset({"eigen"}), frozenset({"land"})}
    assert frozenset({"stab", "shoot"}) in required_clauses(r"\b(?:stab|shoot)\s+you")
    assert required_clauses(r"(?i)abc") == ()
    # a few single characters, as the parser makes of "(?:🙄|🥱)": a text without either skips the pattern
    assert required_clauses("(?:🙄|🥱)") == (frozenset({"🙄", "🥱"}),)
    assert required_clauses(r"[^🙄]x") == (frozenset({"x"}),)  # a negated class needs nothing known


def _first_word(text: str, start: int) -> str | None:
    """The word (run of letters) that starts at ``start``, if one does."""
    if start and _WORD_RUN.match(text[start - 1]):
        return None
    m = _WORD_RUN.match(text, start)
    return m.group(0) if m else None


@settings(max_examples=300, deadline=None)
@given(_TEXT)
@example("ik wil ze gewoon doden, genius")
@example("fu ck f.u.c.k killers all we're busy sssttoop")
def test_a_match_at_a_word_starts_with_a_word_first_runs_allows(text):
    for _category, source in PATTERNS + lexicon("nl")._patterns._patterns[:60]:
        runs = first_runs(source)
        if runs is None:
            continue
        whole, prefixes = runs
        compiled = re.compile(source)
        for start in range(len(text)):
            word = _first_word(text, start)
            m = compiled.match(text, start)
            if word is None or m is None or m.end() == start:
                continue
            assert word in whole or any(word.startswith(p) for p in prefixes), (source, text, start)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
@example("ik wil ze gewoon doden, genius")
@example("we're busy, 12 % f**k")
def test_required_clauses_hold_in_every_match(text):
    for _category, source in PATTERNS + lexicon("en")._patterns._patterns[:60]:
        for m in re.finditer(source, text):
            if m.end() > m.start():
                for clause in required_clauses(source):
                    assert any(s in text for s in clause), (source, text, clause)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
@example("ik wil ze gewoon doden, genius")
@example("we're busy, 12 % f**k stttoop")
def test_the_pattern_screen_never_hides_a_match(text):
    text = text.lower()
    patterns = TriggeredPatterns(PATTERNS)
    for categories in ({"a", "b", "c"}, {"d", "e", "f"}, {"g", "h", "i"}, {c for c, _ in PATTERNS}):
        screen = PatternScreen([(c, s) for c, s in PATTERNS if c in categories])
        found = [m for m in patterns.finditer(text) if m[0] in categories]
        if found:
            assert screen.may_match(text), (text, found)


@settings(max_examples=200, deadline=None)
@given(_TEXT)
@example("je moeder is een kankerlijer, we zijn ook maar sukkels")
@example("you're such an idiot, go back to your own country")
def test_lexicon_with_context_is_its_definition(text):
    norm = normalise(text).text
    for code in ("nl", "en"):
        lex = lexicon(code)
        everything = lex.find(norm)
        expected = everything if any(m.category not in CONTEXT for m in everything) else []
        assert lex.find(norm, context=CONTEXT) == expected
        phrases = [m for m in lex._words.finditer(norm)]
        if phrases:
            assert lex._phrase_screen.may_match(words_of(norm))


def test_a_lexicon_screens_its_own_small_list():
    lex = Lexicon(
        "[insult 0.85]\nsukkel\nje moeder\nidioot*\n[self 0]\nre: \\bwe\\s+zijn\\b\n"
        "[threat 0.9]\nre: \\bik\\s+ga\\s+(?:je|jou)\\s+slaan\\b\n"
    )
    context = frozenset({"self"})
    assert lex.find("we zijn er", context=context) == []
    assert [m.term for m in lex.find("we zijn idiootjes", context=context)] == ["idiootjes", "we zijn"]
    assert [m.category for m in lex.find("ik ga je slaan", context=context)] == ["threat"]
    assert [m.term for m in lex.find("en je moeder ook", context=context)] == ["je moeder"]
    assert lex.find("mijn moeder", context=context) == []


def test_a_comma_or_a_digit_alone_does_not_make_a_screen_run_its_patterns():
    """A trigger that starts with a sign (", genius") or a digit ("12 %") starts only its own patterns, and
    those still need their strings: a text with a comma and a number but neither "genius" nor "%" is
    proven free of them, without a pass of the patterns."""
    screen = PatternScreen([("e", r",\s*(?:genius|schat)\b"), ("f", r"\b\d+\s*%")])
    patterns = TriggeredPatterns([("e", r",\s*(?:genius|schat)\b"), ("f", r"\b\d+\s*%")])
    for text, expected in [
        ("dank je, we kijken er naar, 12 mensen", False),
        ("dank je, genius", True),
        ("12 % meer", True),
        ("genius zonder komma", False),
        ("%, maar geen getal", False),
    ]:
        assert screen.may_match(text) is expected, text
        assert bool(list(patterns.finditer(text))) is expected, text  # the screen's answer is exact here
