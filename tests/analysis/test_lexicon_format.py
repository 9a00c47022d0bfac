"""The data files' format: a part of a pattern defined once and used in several ``re:`` lines."""

from __future__ import annotations

import pytest

from merkwacht.analysis.detect.lexicon import Lexicon, _lines


def test_a_defined_part_is_put_in_place_of_its_name():
    text = "[source 1]\ndefine org: CBS|RIVM\nre: \\b(?:{org})\\s+meldt\\b\nre: \\((?:{org})\\)\n"
    assert list(_lines(text)) == ["[source 1]", r"re: \b(?:CBS|RIVM)\s+meldt\b", r"re: \((?:CBS|RIVM)\)"]
    found = Lexicon(text).find("Het RIVM meldt 40 gevallen (CBS)")
    assert sorted((m.start, m.end) for m in found) == [(4, 14), (27, 32)]


def test_an_unknown_part_or_a_malformed_definition_is_named():
    with pytest.raises(ValueError, match=r"\{org\} is used before"):
        list(_lines("re: (?:{org})"))
    with pytest.raises(ValueError, match="not a definition"):
        list(_lines("define org CBS"))


def test_a_quantifier_is_not_a_part():
    assert list(_lines(r"re: \d{2,4}")) == [r"re: \d{2,4}"]
