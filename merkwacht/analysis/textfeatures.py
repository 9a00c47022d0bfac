"""Cheap features of a post's text shared by rules: lower-cased text and its set of words.

Rules use them as a first look (does the post hold any word the rule's patterns start
from?) before running their regular expressions, which keeps file mode fast. The features of the
most recent texts are remembered, so the language guess and the rules that look at one post
compute them once: the engine runs one rule after the other over a whole batch of posts
(``engine.BATCH_POSTS``), so the memory must hold a batch's texts, not just the last one.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

R = TypeVar("R")

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
#: Texts up to this many characters are remembered (see :func:`remember_short_texts`) ...
CACHE_TEXT_LIMIT = 2000
#: ... the features of this many of them (the most recently used): twice a batch of the engine.
MEMORY = 4096
# Characters that re.IGNORECASE matches with an ASCII letter although str.lower() does not give that
# letter: dotted capital I, dotless i, long s (the kelvin sign lowers to "k" by itself).
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


def remember_short_texts(*, maxsize: int) -> Callable[[Callable[..., R]], Callable[..., R]]:
    """Remember ``func(text, *args)`` (a pure function) for the ``maxsize`` most recently used texts of
    at most :data:`CACHE_TEXT_LIMIT` characters: reposts, template replies and the rules of one post
    repeat a text, so a repeat costs a look-up. Long texts are rare and would hold memory: they are
    computed each time and not kept. The wrapper has ``lru_cache``'s ``cache_info`` and ``cache_clear``.
    """

    def wrap(func: Callable[..., R]) -> Callable[..., R]:
        cached = lru_cache(maxsize=maxsize)(func)

        @wraps(func)
        def remembered(text: str, *args):
            if len(text) > CACHE_TEXT_LIMIT:
                return func(text, *args)
            return cached(text, *args)

        remembered.cache_info = cached.cache_info  # type: ignore[attr-defined]
        remembered.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return remembered

    return wrap


def features(text: str) -> tuple[str, frozenset[str]]:
    """``(lower-cased text, set of lower-cased words)`` of ``text`` (remembered for recent short texts)."""
    return _remembered_features(text)


def _features(text: str) -> tuple[str, frozenset[str]]:
    low = text.lower()
    if _PUNCT_ASCII is not None and low.isascii():
        spaced = low.encode("ascii").translate(_PUNCT_ASCII).decode("ascii")
    else:
        spaced = low.translate(_PUNCT)
    return (low, frozenset(spaced.split()))


_remembered_features = remember_short_texts(maxsize=MEMORY)(_features)


def fold_case(text: str) -> str:
    """``text`` lower-cased as ``re.IGNORECASE`` reads it (one character for one)."""
    return text.lower() if text.isascii() else text.translate(_FOLD).lower()


def folded(text: str) -> str:
    """``text`` lower-cased as ``re.IGNORECASE`` reads it, each run of whitespace as one space.

    A match of a case-insensitive pattern holds, at the same places, the same characters in this
    form (for ASCII letters and the letters of Latin-1), so a plain substring test on it tells
    whether a literal part of a pattern can occur in ``text`` at all.
    """
    return _remembered_folded(text)


def _folded(text: str) -> str:
    low = features(text)[0] if text.isascii() else fold_case(text)
    return " ".join(low.split())


_remembered_folded = remember_short_texts(maxsize=MEMORY)(_folded)


def any_word(words: frozenset[str], anchors: frozenset[str]) -> bool:
    """Whether the post has one of ``anchors`` among its words."""
    return not anchors.isdisjoint(words)
