"""Undo the usual obfuscations of abusive words while keeping every character at its place.

The normalised text has exactly the length of the original, so a match in it is also a span of
the post. What is undone:

- capitals (``HOER`` → ``hoer``),
- leetspeak inside words that mix letters and digits (``h44t`` → ``haat``, ``kl00tzak``),
- letters spaced out (``h a a t`` → ``haat`` followed by padding),
- stretched letters (``kuuuut`` → ``kut`` followed by padding: no Dutch or English word has a letter
  three times in a row),
- zero-width and other invisible characters (replaced by a space-like filler that words skip).

Deleted and swapped letters (``verchtelijk``, ``odod``) are handled by the lexicon, which also
stores such variants of its terms.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

#: Leetspeak digits and signs and the letters they stand for.
_LEET = str.maketrans({"4": "a", "@": "a", "3": "e", "1": "i", "!": "i", "0": "o", "5": "s", "$": "s", "7": "t", "8": "b"})
# A word that mixes letters with leet digits or signs ("h44t", "@ss", "sh!t"); a "!" only counts
# between letters, so "ugly!!!" stays "ugly" followed by exclamation marks. The look-behind lets a match
# start only where a word starts: a match in mid-word always has one starting earlier in the same word, so
# the matches are the same, without retrying the letter run from every letter (quadratic in word length).
_MIXED = re.compile(r"(?<![^\W\d_])[^\W\d_]*(?:[^\W\d_][0-9@$]|[0-9@$][^\W\d_]|[^\W\d_]!+[^\W\d_])(?:[\w@$]|!+[^\W\d_])*")
# What every match of _MIXED holds: a leet digit or sign beside a letter, or a "!" between letters.
# Each branch starts with the sign itself, so the engine skips quickly from sign to sign.
_HAS_LEET = re.compile(r"[0-9@$](?:(?<=[^\W\d_].)|(?=[^\W\d_]))|!(?<=[^\W\d_]!)!*(?=[^\W\d_])")
_MAYBE_SPACED = re.compile(r"(?:^|[ .\-_*])[^\W\d_][ .\-_*][^\W\d_][ .\-_*]")
# one pass that says whether any of the slower checks below can find something
_ANYTHING = re.compile(r"[0-9@$!]|([^\W\d_])\1\1|(?:^|[ .\-_*])[^\W\d_][ .\-_*][^\W\d_][ .\-_*]")
_INVISIBLE_CHARS = frozenset("\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\u2061\u2062\u2063\u2064\ufeff")
# at most 30 letters a run: longer runs are cut into pieces (no abusive word is that long)
_SPACED = re.compile(r"(?<![^\W\d_])(?:[^\W\d_][ .\-_*]){2,29}[^\W\d_](?![^\W\d_])")
_STRETCH = re.compile(r"([^\W\d_])\1{2,}")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
PAD = " "


@dataclass(frozen=True, slots=True)
class Normalised:
    """The normalised text (same length as the original) and the spans whose letters were re-joined."""

    text: str
    joined: tuple[tuple[int, int], ...] = ()

    def widen(self, start: int, end: int) -> tuple[int, int]:
        """Widen a span that touches a re-joined run of spaced letters to the whole run."""
        if not self.joined:
            return start, end
        i = bisect_right(self.joined, (start, len(self.text) + 1)) - 1
        for s, e in self.joined[max(i, 0) : i + 3]:
            if start < e and end > s:
                start, end = min(start, s), max(end, e)
        return start, end


def _lower(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters (e.g. 'İ') grow when lowered; keep one character per character.
    return "".join(ch.lower()[:1] or ch for ch in text)


def _join_spaced(match: re.Match[str]) -> str:
    run = match.group(0)
    letters = run[::2]
    return letters + PAD * (len(run) - len(letters))


# Like _MIXED, this starts with a run of letters, so a match may start only where a word starts (see there).
_STRETCHED_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]*([^\W\d_])\1{2,}[^\W\d_]*")


def _squeeze(match: re.Match[str]) -> str:
    word = match.group(0)
    short = _STRETCH.sub(r"\1", word)
    return short + PAD * (len(word) - len(short))


def normalise(text: str) -> Normalised:
    """The text lowered and de-obfuscated, character for character at the same positions."""
    low = _lower(text)
    if not text.isascii() and not _INVISIBLE_CHARS.isdisjoint(low):
        low = _INVISIBLE.sub(PAD, low)
    if _ANYTHING.search(low) is None:
        return Normalised(low)  # no digit or sign, no spaced or stretched letters: nothing to undo
    if _HAS_LEET.search(low):
        low = _MIXED.sub(lambda m: m.group(0).translate(_LEET), low)
    joined: list[tuple[int, int]] = []
    if _MAYBE_SPACED.search(low) and _SPACED.search(low):
        joined = [m.span() for m in _SPACED.finditer(low)]
        low = _SPACED.sub(_join_spaced, low)
    if _STRETCH.search(low):
        low = _STRETCHED_WORD.sub(_squeeze, low)
    return Normalised(low, tuple(joined))
