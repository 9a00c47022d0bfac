"""A bounded memory of what a function tells about single words, for the word-by-word fast paths.

The words of posts repeat: what a lexicon or a pattern screen makes of one word is worth keeping. Most
words tell nothing; those are kept apart in a set, :attr:`WordMemo.inert`, so that a text's words can be
narrowed to the telling ones with one set difference (``words - memo.inert``) before any per-word work.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class WordMemo(Generic[T]):
    """``facts(word)`` for up to ``size`` words (emptied when full); a falsy answer means "tells nothing"."""

    __slots__ = ("_facts", "_size", "inert", "known")

    def __init__(self, facts: Callable[[str], T], *, size: int) -> None:
        self._facts = facts
        self._size = size
        self.inert: set[str] = set()  # words that tell nothing
        self.known: dict[str, T] = {}  # the other words: what they tell

    def get(self, word: str) -> T | None:
        """What ``word`` tells (remembered), or None when it tells nothing."""
        facts = self.known.get(word)
        if facts is None and word not in self.inert:
            if len(self.inert) + len(self.known) >= self._size:
                self.inert.clear()
                self.known.clear()
            facts = self._facts(word)
            if facts:
                self.known[word] = facts
            else:
                self.inert.add(word)
                return None
        return facts

    def clear(self) -> None:
        self.inert.clear()
        self.known.clear()
