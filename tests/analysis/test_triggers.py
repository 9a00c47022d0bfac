"""Triggered patterns find exactly what trying every pattern at every position finds."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from merkwacht.analysis.detect.triggers import TriggeredPatterns, leading_literals

PATTERNS = [  # written for this test: overlapping starts, literal asterisks, signs, digits, spaces
    ("profanity", r"\b[fs]\*+[a-z]+"),
    ("profanity", r"\bf\W?u\W?c\W?k"),
    ("counter", r"\bzei\s+dat\b"),
    ("context", r"\bdat\b"),
    ("figure", r"\b\d+\s*%"),
    ("figure", r"\b(?:een|twee)\s+op\s+de\s+\w+"),
    ("quote", r"[\"“][^\"”]{3,}[\"”]"),
    ("money", r"\$\s?\d+"),
    ("degree", r"\bdat\s+(?:(?:een|op)\s+){0,2}de\b"),
    ("instruct", r"(?:^|(?<=[.!?:;]\s)|(?<=\n))(?:zei|dat|een)\b"),
]


def _reference(text: str) -> set[tuple[str, int, int]]:
    found = set()
    by_category: dict[str, list[str]] = {}
    for category, source in PATTERNS:
        by_category.setdefault(category, []).append(source)
    for category, sources in by_category.items():
        combined = re.compile("|".join(f"(?:{s})" for s in sources))
        for pos in range(len(text)):
            m = combined.match(text, pos)
            if m is not None and m.end() > pos:
                found.add((category, pos, m.end()))
    return found


def test_a_literal_asterisk_is_part_of_the_trigger():
    assert leading_literals(r"\b[fs]\*+[a-z]+") == {"f*", "s*"}


def test_an_option_that_may_repeat_can_be_followed_by_itself():
    # "bent echt te dik" takes the option twice: "bent echt dik" is not how it starts
    pattern = r"\bbent\s+(?:(?:zo|te|echt)\s+){0,2}dik\b"
    starts = leading_literals(pattern)
    assert starts is not None and any("bent echt te dik".startswith(s) for s in starts)
    patterns = TriggeredPatterns([("neg_attr", pattern)])
    assert [(c, s, e) for c, s, e in patterns.finditer("je bent echt te dik")] == [("neg_attr", 3, 19)]


def test_where_a_sentence_starts_takes_no_characters():
    # "(?:^|(?<=[.!?]\s))" only says where: the words after it lead, so the pattern is triggered, not
    # tried at every position of every text
    assert leading_literals(r"(?:^|(?<=[.!?:;]\s)|(?<=\n))(?:meld|use)\b") == {"meld", "use"}
    assert leading_literals(r"(?:^|foo)bar") is None  # one alternative takes characters: unknown
    patterns = TriggeredPatterns([("instruct", r"(?:^|(?<=[.!?]\s))(?:meld|use)\b")])
    assert list(patterns.finditer("meld het. use the ramp; we use it too")) == [("instruct", 0, 4), ("instruct", 10, 13)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("fsuckzeidat *%$\"“”0123456789eenopd.\n")), max_size=60))
@example("hij zei dat dat f**k en s*** was: 40 % of $ 5, \u201cecht waar\u201d, een op de tien")
@example("fuck f.u.c.k sf**k 2020%")
@example("hij zei dat een op de vijf")
def test_triggered_patterns_find_what_every_position_finds(text):
    patterns = TriggeredPatterns(PATTERNS)
    assert set(patterns.finditer(text)) == _reference(text)
