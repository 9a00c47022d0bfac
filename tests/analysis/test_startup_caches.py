"""The start-up caches of the analyser: compiled patterns, derived lexicon data and the language model.

They may only save time: a pattern rebuilt from the cache matches exactly what ``re.compile``
matches, a damaged or absent cache falls back to building, and the language model read from the
cache classifies as py3langid's own loader does.
"""

from __future__ import annotations

import random
import re

import pytest

from merkwacht.analysis import langid_model
from merkwacht.analysis.detect import regex_cache
from merkwacht.analysis.detect.triggers import TriggeredPatterns, required_literals

PATTERNS = [
    (r"\b(?:stom|sukkel|idioot)(?![^\W\d_])", 0),
    (r"(?P<word>[a-z]+)@(?P<host>[\w-]+\.[a-z]{2,})", re.IGNORECASE),
    (r"(?=(\bzei dat|(?<![^\W_])dat))", 0),
    (r"h[a4]{2,}t|k[uü]+t", 0),
]
TEXTS = ["Wat een sukkel, echt stom.", "Mail JAN@example.NL of piet@voorbeeld.nl", "Hij zei dat dat klopt",
         "h44t en kuuut", "", "stommeling idioten"]


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """The pattern cache pointed at an empty directory, as a new process would see it."""
    monkeypatch.setenv("MERKWACHT_CACHE_DIR", str(tmp_path))

    def restart() -> None:  # forget what this "process" loaded, as the next run would
        monkeypatch.setattr(regex_cache, "_entries", None)
        monkeypatch.setattr(regex_cache, "_used", {})
        monkeypatch.setattr(regex_cache, "_dirty", False)

    restart()
    return restart


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert (a.pattern, a.flags, a.groups, a.groupindex) == (b.pattern, b.flags, b.groups, b.groupindex)
    for text in TEXTS:
        assert [m.span() for m in a.finditer(text)] == [m.span() for m in b.finditer(text)]
        assert [m.groups() for m in a.finditer(text)] == [m.groups() for m in b.finditer(text)]


def test_patterns_rebuilt_from_the_cache_match_like_re_compile(fresh_cache, tmp_path):
    for source, flags in PATTERNS:
        _same(regex_cache.compile(source, flags), re.compile(source, flags))
    regex_cache.save()
    assert list(tmp_path.glob("regex-*.pickle"))
    fresh_cache()
    for source, flags in PATTERNS:
        rebuilt = regex_cache.compile(source, flags)
        assert ("re", source, int(flags)) in regex_cache._load()  # came from the file
        _same(rebuilt, re.compile(source, flags))


def test_memo_builds_once_across_runs(fresh_cache):
    calls = []
    assert regex_cache.memo("test", "key", lambda: calls.append(1) or {"a"}) == {"a"}
    regex_cache.save()
    fresh_cache()
    assert regex_cache.memo("test", "key", lambda: calls.append(1) or {"b"}) == {"a"}
    assert calls == [1]


def test_a_damaged_cache_file_is_rebuilt(fresh_cache, tmp_path):
    regex_cache.compile(PATTERNS[0][0])
    regex_cache.save()
    for path in tmp_path.glob("regex-*.pickle"):
        path.write_bytes(b"not a pickle")
    fresh_cache()
    _same(regex_cache.compile(PATTERNS[0][0]), re.compile(PATTERNS[0][0]))
    with pytest.raises(re.error):
        regex_cache.compile("(unclosed")


def test_no_cache_directory_means_no_file(monkeypatch, tmp_path):
    monkeypatch.setenv("MERKWACHT_CACHE_DIR", "")
    assert langid_model.cache_dir() is None
    monkeypatch.setattr(regex_cache, "_dirty", True)
    regex_cache.save()  # nothing to write to, and no error
    monkeypatch.delenv("MERKWACHT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert langid_model.cache_dir() == tmp_path / "merkwacht"


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        (r"\Apotten\b", {"potten"}),
        (r"[\w.+-]+@[\w-]+\.[\w.]+", {"@"}),
        (r"\b[a-z]{1,3}\*+[a-z]{2,}", {"*"}),
        (r"\b(?:i|we)\s+(?:will\s+)?(?:stab|shoot)\b", {"stab", "shoot"}),
        (r"x|yz", {"x", "yz"}),
        (r"x(a|b*)", {"x"}),
        (r"x(ab|cd)e", {"xab", "xcd"}),
        (r"(?i)abc", None),
        (r"a(?i:b)c", {"a"}),
        (r"a(?i:bcd)ef", {"ef"}),  # a case-insensitive group is left out; the literals around it count
        (r"(?i:ab)", None),
        (r"(?<![\w-])(?:CBS|RIVM)\s+(?i:meldt|says)\b", {"CBS", "RIVM"}),
        (r"\w+", None),
    ],
)
def test_required_literals(pattern, expected):
    assert required_literals(pattern) == expected


def test_required_literals_hold_in_every_match():
    """Random texts: wherever a pattern matches, one of its required strings is in the text."""
    rng = random.Random(7)
    patterns = [r"\b(?:ik|wij)\s+(?:ga\s+)?(?:je\s+)?(?:slaan|schoppen)\b", r"[a-z]\*{2,}[a-z]*", r"ab+c|d(?:e|f)g"]
    alphabet = "abcdefgiknsw* jeplo"
    for pattern in patterns:
        needles = required_literals(pattern)
        assert needles
        for _ in range(3000):
            text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
            if rng.random() < 0.05:
                text += " ik ga je slaan"
            if re.search(pattern, text):
                assert any(n in text for n in needles), (pattern, text)


def test_always_patterns_are_skipped_only_when_they_cannot_match():
    patterns = TriggeredPatterns([("contact", r"[\w.+-]+@[\w-]+\.[\w.]+"), ("any", r"[a-z]+\d")])
    assert patterns._needles is None  # "[a-z]+\d" needs no fixed string: the combined pass always runs
    assert list(patterns.finditer("mail a@b.nl, x3")) == [("contact", 5, 11), ("any", 13, 15)]
    only_mail = TriggeredPatterns([("contact", r"[\w.+-]+@[\w-]+\.[\w.]+")])
    assert only_mail._needles is not None
    assert list(only_mail.finditer("geen adres hier")) == []
    assert list(only_mail.finditer("mail a@b.nl")) == [("contact", 5, 11)]


def test_language_model_from_the_cache_classifies_like_py3langid(tmp_path, monkeypatch):
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    monkeypatch.setenv("MERKWACHT_CACHE_DIR", str(tmp_path))
    reference = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    first = langid_model.load_identifier()  # decompresses and writes the cache
    assert list(tmp_path.glob("py3langid-*/meta.json"))
    second = langid_model.load_identifier()  # reads the cache
    texts = ["Dit is een korte Nederlandse zin.", "This is a short English sentence.", "Ceci est une phrase.",
             "kantine dicht", "ok"]
    for text in texts:
        expected = reference.classify(text)
        assert first.classify(text) == expected
        assert second.classify(text) == expected


def test_a_pattern_cache_writable_by_others_is_not_read(tmp_path):
    """The pattern cache is unpickled, so a file (or folder) that others can write is ignored."""
    import os

    from merkwacht.analysis.detect import regex_cache

    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    target = folder / "regex.pickle"
    target.write_bytes(b"not read")
    os.chmod(target, 0o600)
    assert regex_cache._private(target)
    os.chmod(target, 0o666)
    assert not regex_cache._private(target)
    os.chmod(target, 0o600)
    os.chmod(folder, 0o777)
    assert not regex_cache._private(target)
