"""Normalisation against its definition: the fast word-by-word passes give what whole-text regexes give."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from merkwacht.analysis.detect import textnorm
from merkwacht.analysis.detect.textnorm import PAD, _deleet, _squeeze_words, normalise

# The definitions, as whole-text substitutions (how normalise worked before it was made faster).
_STRETCH = re.compile(r"([^\W\d_])\1{2,}")
_STRETCHED_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]*([^\W\d_])\1{2,}[^\W\d_]*")


def _squeeze_reference(low: str) -> str:
    def squeeze(match: re.Match[str]) -> str:
        word = match.group(0)
        short = _STRETCH.sub(r"\1", word)
        return short + PAD * (len(word) - len(short))

    return _STRETCHED_WORD.sub(squeeze, low)


def _deleet_reference(low: str) -> str:
    return textnorm._MIXED.sub(lambda m: m.group(0).translate(textnorm._LEET), low)


# Characters that make the passes work: letters (also non-ASCII, and "²", a digit that is no decimal),
# decimal digits of two scripts, leet signs, separators, "_" and white space.
_ALPHABET = st.sampled_from(list("aaawwwkuthe4301!@$_ .-*\u00e9\u0130\u00b2\u0663\u00df\u200bxyz\n"))
_TEXT = st.text(alphabet=_ALPHABET, max_size=80)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
@example("kuuuut www.example.nl wwwwkut")
@example("k\u00e9\u00e9\u00e9t \u00b2\u00b2\u00b2a")
@example("h44t !!!! s!!!ht 4h44t x_12abc @ss $$$")
def test_fast_passes_equal_their_definition(text):
    low = text.lower()
    if len(low) != len(text):
        return  # normalise lowers character by character; not what is compared here
    assert _squeeze_words(low) == _squeeze_reference(low)
    assert _deleet(low) == _deleet_reference(low)


_OLD_ANYTHING = re.compile(r"[0-9@$!]|([^\W\d_])\1\1|(?:^|[ .\-_*])[^\W\d_][ .\-_*][^\W\d_][ .\-_*]")
_OLD_MAYBE_SPACED = re.compile(r"(?:^|[ .\-_*])[^\W\d_][ .\-_*][^\W\d_][ .\-_*]")


def _normalise_reference(text: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    low = textnorm.lower_same_length(text)
    if not text.isascii() and not textnorm._INVISIBLE_CHARS.isdisjoint(low):
        low = textnorm._INVISIBLE.sub(PAD, low)
    if _OLD_ANYTHING.search(low) is None:
        return low, ()
    low = _deleet_reference(low)
    joined: list[tuple[int, int]] = []
    if _OLD_MAYBE_SPACED.search(low) and textnorm._SPACED.search(low):
        joined = [m.span() for m in textnorm._SPACED.finditer(low)]
        low = textnorm._SPACED.sub(textnorm._join_spaced, low)
    return _squeeze_reference(low), tuple(joined)


@settings(max_examples=400, deadline=None)
@given(_TEXT)
@example("h a a t en k u u u t")
@example("a.b.c (h a t) x - y - z")
def test_normalise_equals_its_definition(text):
    got = normalise(text)
    assert (got.text, got.joined) == _normalise_reference(text)


def test_normalise_examples():
    assert normalise("Kuuuut!").text == "kut   !"
    assert normalise("zie https://www.example.nl").text == "zie https://w  .example.nl"
    assert normalise("h44t").text == "haat"
    assert normalise("HAAT 2026 jaar").text == "haat 2026 jaar"
    assert normalise("k\u00e9\u00e9\u00e9t").text == "k\u00e9t  "
