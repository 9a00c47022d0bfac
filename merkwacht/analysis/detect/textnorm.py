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
# Two letters spaced out, after a separator (_SPACED needs at least three): a cheap first look.
_MAYBE_SPACED = re.compile(r"[ .\-_*][^\W\d_][ .\-_*][^\W\d_][ .\-_*]")
_MAYBE_SPACED_AT_START = re.compile(r"[^\W\d_][ .\-_*][^\W\d_][ .\-_*]")
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


def lower_same_length(text: str) -> str:
    """``text`` in lower case, one character for one (so positions in it are positions in ``text``)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters (e.g. 'İ') grow when lowered; keep one character per character.
    return "".join(ch.lower()[:1] or ch for ch in text)


def _join_spaced(match: re.Match[str]) -> str:
    run = match.group(0)
    letters = run[::2]
    return letters + PAD * (len(run) - len(letters))


#: Three times one ASCII letter: in an ASCII text a stretched letter holds one of these (looked for with
#: ``in``, far cheaper than a regular expression that tries every position).
_TRIPLES = tuple(ch * 3 for ch in "abcdefghijklmnopqrstuvwxyz")


def _is_letter(ch: str) -> bool:
    r"""``[^\W\d_]`` for one character: a word character that is neither a decimal digit nor ``_``."""
    return ch.isalnum() and not ch.isdecimal()


def _in_token(ch: str) -> bool:
    r"""``[\w@$!]`` for one character: what a leetspeak word (``_MIXED``) may consist of."""
    return ch.isalnum() or ch in "_@$!"


def _stretch_runs(low: str) -> list[tuple[int, int]]:
    """The spans of ``_STRETCH`` in ``low`` (runs of one letter three times or more)."""
    if low.isascii():
        present = [t for t in _TRIPLES if t in low]
        if not present:
            return []
        if present == ["www"]:  # web addresses: the only stretch in most texts that have one
            runs, at, n = [], low.find("www"), len(low)
            while at != -1:
                end = at + 3
                while end < n and low[end] == "w":
                    end += 1
                runs.append((at, end))
                at = low.find("www", end)
            return runs
    return [m.span() for m in _STRETCH.finditer(low)]


def _spans_around(text: str, points, inside) -> list[tuple[int, int]]:
    """The maximal runs of characters for which ``inside`` holds that contain one of ``points``, in order."""
    spans: list[tuple[int, int]] = []
    n = len(text)
    for point in points:
        if spans and point < spans[-1][1]:
            continue  # in the run found last
        start = point
        while start > 0 and inside(text[start - 1]):
            start -= 1
        end = point
        while end < n and inside(text[end]):
            end += 1
        spans.append((start, end))
    return spans


def _replace_spans(text: str, spans: list[tuple[int, int]], change) -> str:
    """``text`` with each span replaced by ``change(span text)`` (same length)."""
    parts, last = [], 0
    for start, end in spans:
        parts.append(text[last:start])
        parts.append(change(text[start:end]))
        last = end
    parts.append(text[last:])
    return "".join(parts)


def _deleet(low: str) -> str:
    r"""``_MIXED.sub`` (leet digits and signs turned into letters), run only on the words that need it.

    A match of ``_MIXED`` lies inside one run of ``[\w@$!]`` characters and needs a sign beside a letter
    (``_HAS_LEET``); the character before a run is no letter, so a run on its own gives the same matches.
    """
    points = [m.start() for m in _HAS_LEET.finditer(low)]
    if not points:
        return low
    spans = _spans_around(low, points, _in_token)
    return _replace_spans(low, spans, lambda run: _MIXED.sub(_leet_word, run))


def _leet_word(match: re.Match[str]) -> str:
    return match.group(0).translate(_LEET)


def _squeeze_words(low: str) -> str:
    """Every word (run of letters) holding a stretched letter squeezed (``kuuuut`` → ``kut``), padded at its end."""
    runs = _stretch_runs(low)
    if not runs:
        return low
    spans = _spans_around(low, [start for start, _ in runs], _is_letter)
    return _replace_spans(low, spans, _squeeze_text)


def _squeeze_text(word: str) -> str:
    short = _STRETCH.sub(r"\1", word)
    return short + PAD * (len(word) - len(short))


#: Space-separated pieces of text -> (the piece de-leeted, then squeezed): both steps never look across a
#: space (a leet word and a stretched word are runs of non-space characters), so a text is the pieces'
#: answers joined by spaces. Posts repeat their words: remembered, up to this many pieces.
_PIECES: dict[str, tuple[str, str]] = {}
PIECE_MEMORY = 50_000


def _piece(piece: str) -> tuple[str, str]:
    """(``_deleet(piece)``, ``_squeeze_words`` of that), remembered."""
    done = _PIECES.get(piece)
    if done is None:
        if len(_PIECES) >= PIECE_MEMORY:
            _PIECES.clear()
        deleeted = _deleet(piece)
        done = _PIECES[piece] = (deleeted, _squeeze_words(deleeted))
    return done


def normalise(text: str) -> Normalised:
    """The text lowered and de-obfuscated, character for character at the same positions."""
    low = lower_same_length(text)
    if not text.isascii() and not _INVISIBLE_CHARS.isdisjoint(low):
        low = _INVISIBLE.sub(PAD, low)
    # each step first looks cheaply whether it has anything to undo (most texts have nothing)
    pieces = [_PIECES.get(piece) or _piece(piece) for piece in low.split(" ")]
    low = " ".join([deleeted for deleeted, _ in pieces])
    if (_MAYBE_SPACED.search(low) or _MAYBE_SPACED_AT_START.match(low)) and _SPACED.search(low):
        joined = [m.span() for m in _SPACED.finditer(low)]
        low = _SPACED.sub(_join_spaced, low)
        return Normalised(_squeeze_words(low), tuple(joined))
    return Normalised(" ".join([squeezed for _, squeezed in pieces]))
