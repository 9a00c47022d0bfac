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


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("fsuckzeidat *%$\"“”0123456789eenopd.\n")), max_size=60))
@example("hij zei dat dat f**k en s*** was: 40 % of $ 5, \u201cecht waar\u201d, een op de tien")
@example("fuck f.u.c.k sf**k 2020%")
def test_triggered_patterns_find_what_every_position_finds(text):
    patterns = TriggeredPatterns(PATTERNS)
    assert set(patterns.finditer(text)) == _reference(text)
