"""Term lists of the built-in rules, kept as commented YAML data files in ``policies/terms/``.

A rule reads its lexicon once (cached) with :func:`load_terms`; the files say, term by term,
why a word is there, so that the works council and reviewers can read what a rule looks for.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .detect import regex_cache
from .textfeatures import folded

try:  # Python 3.11+
    from re import _constants as _sre_c
    from re import _parser as _sre_parse
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _sre_c  # type: ignore[no-redef]
    import sre_parse as _sre_parse  # type: ignore[no-redef]

TERMS_DIR = Path(__file__).resolve().parent / "policies" / "terms"
#: The lexicons and models of the rules that read more than term files (``detect/``).
DATA_DIR = Path(__file__).resolve().parent / "data"
#: libyaml's safe loader where PyYAML was built with it (the same mappings, read several times faster).
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Digest of this module's code: part of the key of what :func:`needles` keeps across runs.
_THIS_MODULE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]


@cache
def load_terms(name: str) -> dict[str, Any]:
    """The mapping in ``policies/terms/<name>.yaml``."""
    with open(TERMS_DIR / f"{name}.yaml", encoding="utf-8") as fh:
        data = yaml.load(fh, Loader=_LOADER)  # noqa: S506 - a safe loader
    if not isinstance(data, dict):
        raise ValueError(f"{TERMS_DIR / name}.yaml must hold a mapping")
    return data


def alternation(terms: list[str] | tuple[str, ...]) -> str:
    """A regex alternation of ``terms``, longest first. A term is a regex fragment; a space matches any whitespace, ' ?' optional whitespace."""
    for term in terms:
        if not isinstance(term, str):
            raise ValueError(f"term {term!r} is not a string (quote it in the YAML file)")
    ordered = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    return "|".join(t.replace(" ?", "\\s*").replace(" ", "\\s+") for t in ordered)


# Literal characters a needle may hold: for these, every character that re.IGNORECASE matches with
# them reads as the same character in :func:`~.textfeatures.folded` (tests/analysis/test_terms.py
# checks this for every needle over all of Unicode). Others end a needle.
def _needle_char(code: int) -> str | None:
    char = chr(code)
    if char.isspace():
        return " "
    if code < 128 or (0xC0 <= code <= 0xFF and code not in (0xD7, 0xDF, 0xF7)):
        return char.lower()
    return None


_MAX_ALTERNATIVES = 64  # the most spellings a needle may have


def _strings(items: Any) -> set[str] | None:
    """Every text (folded) the parsed regex ``items`` can match, if few and all literal; else None."""
    result = {""}
    for op, av in items:
        part = _item_strings(op, av)
        if part is None:
            return None
        result = {_squeeze(a + b) for a in result for b in part}
        if len(result) > _MAX_ALTERNATIVES:
            return None
    return result


def _squeeze(text: str) -> str:
    while "  " in text:
        text = text.replace("  ", " ")
    return text


def _item_strings(op: Any, av: Any) -> set[str] | None:
    c = _sre_c
    if op is c.LITERAL:
        char = _needle_char(av)
        return None if char is None else {char}
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {""}  # zero-width: what is left and right of it is adjacent in the text
    if op is c.IN:
        chars = set()
        for kind, value in av:
            if kind is c.LITERAL:
                char = _needle_char(value)
            elif kind is c.CATEGORY and value is c.CATEGORY_SPACE:
                char = " "
            else:
                return None
            if char is None:
                return None
            chars.add(char)
        return chars
    if op is c.BRANCH:
        result: set[str] = set()
        for branch in av[1]:
            part = _strings(branch)
            if part is None:
                return None
            result |= part
        return result if len(result) <= _MAX_ALTERNATIVES else None
    if op is c.SUBPATTERN:
        _group, add_flags, del_flags, inner = av
        return None if add_flags or del_flags else _strings(inner)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT):
        low, high, inner = av
        part = _strings(inner)
        if part is None:
            return None
        if part <= {"", " "}:  # whitespace only: any repetition is one space in the folded text
            return {" "} if low >= 1 and "" not in part else part | {""}
        if high > 3:
            return None
        result, power = set(), {""}
        for count in range(high + 1):
            if count >= low:
                result |= power
            power = {_squeeze(a + b) for a in power for b in part}
            if len(result) + len(power) > _MAX_ALTERNATIVES:
                return None
        return result
    return None


_NEEDLE_SPELLINGS = 8  # the most spellings of one needle (each costs a substring test)


def _spellings(parts: list[set[str]]) -> set[str] | None:
    """The folded texts ``parts`` (one after the other) can match, edges stripped; None: too many."""
    result = {""}
    for part in parts:
        result = {_squeeze(a + b) for a in result for b in part}
        if len(result) > _NEEDLE_SPELLINGS:
            return None
    spelled = {text.strip(" ") for text in result}
    # "voor" is enough where "voorstander van" is one of the spellings too.
    return {text for text in spelled if not any(other != text and other in text for other in spelled)}


def needles(pattern: str, flags: int = re.IGNORECASE) -> tuple[tuple[str, ...], ...]:
    """:func:`find_needles`, remembered across runs in the pattern cache (:mod:`.detect.regex_cache`).

    The key holds a digest of this module, so a change to how needles are found starts afresh.
    """
    return regex_cache.memo("needles", (_THIS_MODULE, pattern, int(flags)), lambda: find_needles(pattern, flags))


def find_needles(pattern: str, flags: int = re.IGNORECASE) -> tuple[tuple[str, ...], ...]:
    """What the folded text (:func:`~.textfeatures.folded`) must hold for ``pattern`` to match anywhere.

    Each entry lists the spellings of one literal stretch of the pattern; a match holds one of
    them (whitespace as one space). Parts the analysis cannot spell out (``\\w+``, classes, long
    repetitions) end a stretch; of the stretches, the (at most two) longest that have few spellings
    are kept. So the answer is never wrong, at worst empty (no test). Only for case-insensitive
    patterns, as the folded text is lower case.
    """
    if not flags & re.IGNORECASE:
        return ()
    segments: list[list[set[str]]] = [[]]
    for op, av in _sre_parse.parse(pattern, flags):
        part = _item_strings(op, av)
        if part is None:
            segments.append([])
        elif len(part) == 1 and segments[-1] and len(segments[-1][-1]) == 1:
            (last,) = segments[-1][-1]
            (this,) = part
            segments[-1][-1] = {_squeeze(last + this)}  # one literal stretch
        else:
            segments[-1].append(part)
    candidates = []
    for number, parts in enumerate(segments):
        for first in range(len(parts)):
            for last in range(first, len(parts)):
                spelled = _spellings(parts[first : last + 1])
                if spelled is None:
                    break
                if "" in spelled:
                    continue
                shortest = min(len(text) for text in spelled)
                candidates.append((-shortest, len(spelled), number, first, last, spelled))
    candidates.sort(key=lambda c: c[:2])
    chosen: list[tuple[int, int, int, set[str]]] = []
    for _short, _count, number, first, last, spelled in candidates:
        if all(n != number or last < f or first > l for n, f, l, _s in chosen):
            chosen.append((number, first, last, spelled))
            if len(chosen) == 2:
                break
    return tuple(tuple(sorted(spelled, key=lambda t: (-len(t), t))) for _n, _f, _l, spelled in chosen)


def may_match(text: str, required: tuple[tuple[str, ...], ...]) -> bool:
    """Whether ``text`` holds every entry of ``required`` (see :func:`needles`)."""
    if not required:
        return True
    low = folded(text)
    return all(any(n in low for n in spellings) for spellings in required)


class AnchoredPatterns:
    """Term patterns that only run on texts holding one of their anchor words.

    Python's ``re`` tries every branch of a large alternation at every position of a text, which
    is slow for lexicons of dozens of phrases. Here each term is compiled alone and tied to the
    anchor words that occur literally in it; a term runs only when the text's words include one of
    its anchors (a term without any anchor always runs, so nothing is silently skipped), and only
    when the text holds the literal stretches every match of it needs (:func:`needles`).
    """

    def __init__(
        self, terms: list[str] | tuple[str, ...], anchors: frozenset[str], flags: int = re.IGNORECASE
    ) -> None:
        self._by_anchor: dict[str, list[re.Pattern[str]]] = {}
        self._always: list[re.Pattern[str]] = []
        self._needles: dict[re.Pattern[str], tuple[tuple[str, ...], ...]] = {}
        for term in terms:
            if not isinstance(term, str):
                raise ValueError(f"term {term!r} is not a string (quote it in the YAML file)")
            source = r"(?<!\w)(?:" + alternation([term]) + r")(?!\w)"
            pattern = regex_cache.compile(source, flags)
            self._needles[pattern] = needles(source, flags)
            hooks = [a for a in anchors if a in term.lower()]
            if not hooks:
                self._always.append(pattern)
            for anchor in hooks:
                self._by_anchor.setdefault(anchor, []).append(pattern)
        self.anchors = frozenset(self._by_anchor)

    def patterns(self, words: frozenset[str]) -> list[re.Pattern[str]]:
        """The patterns worth running on a text with these words (each once, in a stable order)."""
        chosen: dict[int, re.Pattern[str]] = {id(p): p for p in self._always}
        for word in self.anchors.intersection(words):
            for pattern in self._by_anchor[word]:
                chosen.setdefault(id(pattern), pattern)
        return list(chosen.values())

    def finditer(self, text: str, words: frozenset[str]) -> list[re.Match[str]]:
        """All matches of the relevant patterns in ``text``, by position."""
        patterns = self.patterns(words)
        if not patterns:
            return []
        low = folded(text)
        required = self._needles
        found = []
        for pattern in patterns:
            for spellings in required[pattern]:  # (may_match, inline: this runs for every post)
                for needle in spellings:
                    if needle in low:
                        break
                else:
                    break  # a needed stretch is missing: the pattern cannot match
            else:
                found.extend(pattern.finditer(text))
        found.sort(key=lambda m: (m.start(), -m.end()))
        return found


def versioned(version: str, *names: str, data: tuple[str, ...] = ()) -> str:
    """``version`` with a short digest of the rule's data: the named term files and, in ``data``, files or
    folders under ``merkwacht/analysis/data`` (lexicons, models). Editing a lexicon or retraining a model
    changes the rule's version, so the engine re-analyses what the old data judged and every finding
    names the data that made it (``1.0+3f9a2c1d``). A change of the rule's code bumps ``version`` itself."""
    digest = hashlib.sha256()
    for name in names:
        digest.update((TERMS_DIR / f"{name}.yaml").read_bytes())
    for rel in data:
        path = DATA_DIR / rel
        if not path.exists():
            raise FileNotFoundError(f"rule data {rel!r} is not in {DATA_DIR}")
        for file in sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]:
            digest.update(file.relative_to(DATA_DIR).as_posix().encode() + b"\0")
            digest.update(file.read_bytes())
    return f"{version}+{digest.hexdigest()[:8]}"
