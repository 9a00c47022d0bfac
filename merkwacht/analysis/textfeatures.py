"""Cheap features of a post's text shared by rules: lower-cased text and its set of words.

Rules use them as a first look (does the post hold any word the rule's patterns start
from?) before running their regular expressions, which keeps file mode fast. The last text
seen is remembered, so several rules looking at one post compute the features once.
"""

from __future__ import annotations

_PUNCT = str.maketrans({c: " " for c in ".,;:!?()[]{}\"'#@/\\-–—…“”‘’«»*&+=<>|~^%$€\n\t\r"})
_last_text: str | None = None
_last: tuple[str, frozenset[str]] = ("", frozenset())


def features(text: str) -> tuple[str, frozenset[str]]:
    """``(lower-cased text, set of lower-cased words)`` of ``text``."""
    global _last_text, _last
    if text is _last_text:
        return _last
    low = text.lower()
    _last = (low, frozenset(low.translate(_PUNCT).split()))
    _last_text = text
    return _last


def any_word(words: frozenset[str], anchors: frozenset[str]) -> bool:
    """Whether the post has one of ``anchors`` among its words."""
    return not anchors.isdisjoint(words)
