"""Where a text quotes someone and where its sentences are: context that decides whether a word is meant."""

from __future__ import annotations

import re
from bisect import bisect_right

# Double quotes of every common style, and curly single quotes; straight single quotes only when they
# clearly open and close around words (so "zo'n" and "don't" are not quotes).
_QUOTED = re.compile(
    r'"[^"\n]{1,400}"|“[^”\n]{1,400}”|„[^”“"\n]{1,400}[”“"]|«[^»\n]{1,400}»|‘[^’\n]{1,400}’'
    r"|(?<![\w'])'[^'\n]{2,400}'(?![\w'])"
)
_SENTENCE_END = re.compile(r"[.!?;\n]+(?:\s|$)|\n")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` between quotation marks (the marks included)."""
    if not any(q in text for q in "\"“„«‘'"):
        return []
    return [m.span() for m in _QUOTED.finditer(text)]


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``start:end`` lies inside one of ``spans`` (sorted, not overlapping)."""
    if not spans:
        return False
    i = bisect_right(spans, (start, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= start and end <= spans[i][1]


class Sentences:
    """Sentence numbers for character positions (a sentence ends at . ! ? ; or a line break)."""

    def __init__(self, text: str):
        found = list(_SENTENCE_END.finditer(text))
        self.ends = [m.end() for m in found]
        self.stops = [m.start() for m in found]

    def of(self, position: int) -> int:
        return bisect_right(self.ends, position)

    def end_of(self, position: int, length: int) -> int:
        """Where the sentence holding ``position`` ends, before its closing punctuation."""
        n = self.of(position)
        return self.stops[n] if n < len(self.stops) else length
