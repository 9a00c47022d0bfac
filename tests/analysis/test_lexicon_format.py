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


def test_a_part_may_use_an_earlier_part():
    text = "[group 1]\ndefine many: polen|turken\ndefine one: pool|turk|{many}\nre: \\bweer\\s+een\\s+(?:{one})\\b\n"
    assert list(_lines(text))[1] == r"re: \bweer\s+een\s+(?:pool|turk|polen|turken)\b"


@pytest.mark.parametrize("name", ["off_tone/nl.txt", "off_tone/en.txt", "claims/nl.txt", "claims/en.txt"])
def test_patterns_read_lower_case_text_so_hold_no_capitals(name):
    """These files are matched on the lower-cased text: a capital letter in a pattern never matches."""
    import re

    from merkwacht.analysis.detect.lexicon import data_text

    for line in _lines(data_text(name)):
        if line.startswith("re:"):
            body = re.sub(r"\\[A-Za-z]|\(\?P?<\w+>", "", line[3:])
            assert not re.search(r"[A-Z]", body), f"{name}: {line}"


@pytest.mark.parametrize("name", ["off_tone/nl.txt", "off_tone/en.txt", "claims/nl.txt", "claims/en.txt"])
def test_no_pattern_is_led_by_white_space(name):
    """A pattern whose matches start with white space is tried at every space of every text (slow): lead it
    with what follows ("\\((?<=\\w\\s\\()\\d+\\)", not "(?<=\\w)\\s\\(\\d+\\)")."""
    from merkwacht.analysis.detect.lexicon import data_text
    from merkwacht.analysis.detect.triggers import leading_literals

    for line in _lines(data_text(name)):
        if line.startswith("re:"):
            literals = leading_literals(line[3:].strip()) or set()
            assert not any(literal[:1].isspace() for literal in literals), f"{name}: {line}"
