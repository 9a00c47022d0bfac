"""Cheap features of a post's text shared by rules: lower-cased text and its set of words.

Rules use them as a first look (does the post hold any word the rule's patterns start
from?) before running their regular expressions, which keeps file mode fast. The features of the
most recent texts are remembered, so the language guess and the rules that look at one post
compute them once: the engine runs one rule after the other over a whole batch of posts
(``engine.BATCH_POSTS``), so the memory must hold a batch's texts, not just the last one.
"""

from __future__ import annotations

from functools import lru_cache

_PUNCT = str.maketrans({c: " " for c in ".,;:!?()[]{}\"'#@/\\-–—…“”‘’«»*&+=<>|~^%$€\n\t\r"})


# The same mapping for ASCII text as a byte table (bytes.translate is several times faster).
def _ascii_table() -> bytes | None:
    table = bytearray(range(256))
    for key, value in _PUNCT.items():
        if key < 128:
            code = ord(value) if isinstance(value, str) and len(value) == 1 else value
            if not isinstance(code, int) or code >= 128:
                return None  # not one ASCII character for one: str.translate only
            table[key] = code
    return bytes(table)


_PUNCT_ASCII = _ascii_table()
#: Texts up to this many characters have their features remembered ...
CACHE_TEXT_LIMIT = 2000
#: ... this many of them (the most recently used): twice a batch of the engine.
MEMORY = 4096
# Characters that re.IGNORECASE matches with an ASCII letter although str.lower() does not give that
# letter: dotted capital I, dotless i, long s (the kelvin sign lowers to "k" by itself).
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def features(text: str) -> tuple[str, frozenset[str]]:
    """``(lower-cased text, set of lower-cased words)`` of ``text`` (remembered for recent short texts)."""
    if len(text) > CACHE_TEXT_LIMIT:  # long texts are rare: not kept in memory
        return _features(text)
    return _remembered_features(text)


def _features(text: str) -> tuple[str, frozenset[str]]:
    low = text.lower()
    if _PUNCT_ASCII is not None and low.isascii():
        spaced = low.encode("ascii").translate(_PUNCT_ASCII).decode("ascii")
    else:
        spaced = low.translate(_PUNCT)
    return (low, frozenset(spaced.split()))


_remembered_features = lru_cache(maxsize=MEMORY)(_features)


def fold_case(text: str) -> str:
    """``text`` lower-cased as ``re.IGNORECASE`` reads it (one character for one)."""
    return text.lower() if text.isascii() else text.translate(_FOLD).lower()


def folded(text: str) -> str:
    """``text`` lower-cased as ``re.IGNORECASE`` reads it, each run of whitespace as one space.

    A match of a case-insensitive pattern holds, at the same places, the same characters in this
    form (for ASCII letters and the letters of Latin-1), so a plain substring test on it tells
    whether a literal part of a pattern can occur in ``text`` at all.
    """
    if len(text) > CACHE_TEXT_LIMIT:
        return _folded(text)
    return _remembered_folded(text)


def _folded(text: str) -> str:
    low = features(text)[0] if text.isascii() else fold_case(text)
    return " ".join(low.split())


_remembered_folded = lru_cache(maxsize=MEMORY)(_folded)


def any_word(words: frozenset[str], anchors: frozenset[str]) -> bool:
    """Whether the post has one of ``anchors`` among its words."""
    return not anchors.isdisjoint(words)
