"""The lexicons of the rules: readable data files whose terms all compile and are reachable."""

from __future__ import annotations

import re

import pytest

from merkwacht.analysis.rules import confidential, personal_data, unapproved_statement
from merkwacht.analysis.terms import TERMS_DIR, AnchoredPatterns, alternation, load_terms, needles, versioned
from merkwacht.analysis.textfeatures import features, folded


def _terms(value):
    if isinstance(value, dict):
        for inner in value.values():
            yield from _terms(inner)
    elif isinstance(value, list):
        yield from value


@pytest.mark.parametrize("name", sorted(p.stem for p in TERMS_DIR.glob("*.yaml")))
def test_every_term_is_a_string_that_compiles(name):
    for term in _terms(load_terms(name)):
        assert isinstance(term, str), f"{name}: {term!r} was read as YAML structure; quote it"
        re.compile(alternation([term]))


@pytest.mark.parametrize(
    "patterns",
    [
        *(group for _name, _weight, group in confidential._GROUPS),
        unapproved_statement._VERBS,
        unapproved_statement._OFFICIAL,
    ],
)
def test_every_phrase_is_tied_to_an_anchor_word(patterns: AnchoredPatterns):
    # A phrase without an anchor word would run on every post (slow); anchors keep file mode fast.
    assert patterns._always == []


def test_spaces_in_terms():
    pattern = re.compile(alternation(["leerling ?nummer", "nog niet officieel"]))
    assert pattern.fullmatch("leerlingnummer") and pattern.fullmatch("leerling nummer")
    assert pattern.fullmatch("nog  niet\nofficieel")


def test_rule_version_follows_the_lexicon():
    assert versioned("1.0", "confidential").startswith("1.0+")
    assert versioned("1.0", "confidential") != versioned("1.0", "standpoint")


# --- needles: literal stretches a pattern needs, tested on the folded text before running it ---

_ALL_GROUPS = [
    *(group for _name, _weight, group in confidential._GROUPS),
    unapproved_statement._VERBS,
    unapproved_statement._OFFICIAL,
]


def _holds(text: str, required) -> bool:
    low = folded(text)
    return all(any(n in low for n in spellings) for spellings in required)


def test_needles_spell_out_literal_stretches():
    assert needles(r"(?<!\w)(?:nog\s+niet\s+officieel)(?!\w)") == (("nog niet officieel",),)
    assert needles(r"(?:keurt|keuren)\s+(?:\w+\s+){1,6}af") == (("keuren", "keurt"), ("af",))
    # an optional space gives both spellings; a case-sensitive pattern gets no needles
    assert set(needles(r"bekend\s*gemaakt")[0]) == {"bekend gemaakt", "bekendgemaakt"}
    assert needles(r"nog\s+niet", 0) == ()
    # nothing literal to require: no needles (the pattern always runs)
    assert needles(r"\w+\s+\d{3}") == ()


@pytest.mark.parametrize(
    "text",
    [
        "Dit is NOG   NIET\nOFFICIEEL, zeggen ze.",
        "We mogen het eigenlijk nog niet zeggen!",
        "Uit de notulen van het MT bleek het al.",
        "De universiteit VEROORDEELT het geweld.",
        "Onze officiële reactie op het rapport volgt.",
        "Dit blijft   onder ons gezegd.",
        "Nog niet bekendgemaakt, maar wel besloten.",
        "\u0130nterne memo: niet verder vertellen",  # dotted capital I reads as i
        "Het co\u017fte nog niet officieel iets",
    ],
)
def test_needles_never_skip_a_match(text):
    words = features(text)[1]
    for group in _ALL_GROUPS:
        for pattern, required in group._needles.items():
            if pattern.search(text):
                assert _holds(text, required), (pattern.pattern, text)
        # the filtered run finds what running every chosen pattern finds
        every = sorted(
            (m.span() for p in group.patterns(words) for m in p.finditer(text)), key=lambda s: (s[0], -s[1])
        )
        assert [m.span() for m in group.finditer(text, words)] == every


def test_needle_characters_fold_like_ignorecase():
    # Every character that re.IGNORECASE matches with a needle's character reads as that character
    # in the folded text, over all of Unicode (else a needle test could skip a real match).
    chars = set()
    for group in _ALL_GROUPS:
        for required in group._needles.values():
            for spellings in required:
                for spelling in spellings:
                    chars.update(spelling)
    for required in personal_data._ID_TERM_NEEDLES:
        for spellings in required:
            for spelling in spellings:
                chars.update(spelling)
    chars.discard(" ")
    universe = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    for char in sorted(chars):
        for match in re.finditer(re.escape(char), universe, re.IGNORECASE):
            other = match.group(0)
            assert folded(f"x{other}x") == f"x{char}x", (char, other)


def test_folded_text():
    assert folded("Nog  NIET\t\nOfficieel ") == "nog niet officieel"
    assert folded("\u0130K \u017f\u0131") == "ik si"


def test_the_version_of_a_lexicon_rule_follows_its_data_files(tmp_path, monkeypatch):
    import shutil

    from merkwacht.analysis import terms
    from merkwacht.analysis.rules import missing_source, off_tone

    assert off_tone.VERSION.startswith("1.5+") and missing_source.VERSION.startswith("1.0+")
    assert off_tone.VERSION == versioned("1.5", data=("off_tone",))  # the same data, the same version
    copy = tmp_path / "data"
    shutil.copytree(terms.DATA_DIR, copy)
    monkeypatch.setattr(terms, "DATA_DIR", copy)
    assert versioned("1.5", data=("off_tone",)) == off_tone.VERSION
    with open(copy / "off_tone" / "nl.txt", "a", encoding="utf-8") as fh:
        fh.write("\n[insult 0.85]\nnieuwscheldwoord\n")
    assert versioned("1.5", data=("off_tone",)) != off_tone.VERSION  # an edited lexicon: a new version
    (copy / "models" / "claims.npz").write_bytes(b"retrained")
    assert versioned("1.0", data=("claims", "models/claims.npz")) != missing_source.VERSION
    with pytest.raises(FileNotFoundError, match="no_such_lexicon"):
        versioned("1.0", data=("no_such_lexicon",))
