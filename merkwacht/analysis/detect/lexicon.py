"""Lexicons as commented data files, compiled into one fast matcher per file.

File format (UTF-8, ``#`` starts a comment)::

    [category weight flag flag ...]
    term
    two word term
    inflect*            # also matches up to four more letters
    re: a regular expression   # matched on the normalised (lower-case) text

Flags of a section:

``fuzzy``
    also match the term with one letter dropped, two neighbouring letters swapped or one letter
    doubled (``verchtelijk``, ``odod``, ``kuut``); variants that are ordinary words (see
    ``common_words.txt``) are left out. Only single words of five or more letters get dropped-letter
    variants; four-letter words get swapped and doubled ones.
``compound``
    also match the term glued to a neighbouring short word (``eenniknok``, ``gewoonvermoorden``):
    the rest of the word must be a glue word or another term, so ``kankeronderzoek`` never matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from .trie import WILDCARD, trie_regex

_LETTER = r"[^\W\d_]"
#: Terms of these categories may be glued to each other ("homoseksuelenophangen").
_GLUE_CATEGORIES = frozenset({"slur", "insult", "profanity", "threat", "hate_verb", "neg_attr", "identity"})


@dataclass(frozen=True, slots=True)
class Term:
    category: str
    weight: float
    fuzzy: bool = False  # a generated spelling variant, not the term as written


@dataclass(frozen=True, slots=True)
class Match:
    start: int
    end: int
    term: str
    category: str
    weight: float
    how: str = "word"  # word | variant | compound | pattern


@dataclass
class _Section:
    category: str
    weight: float
    flags: set[str] = field(default_factory=set)


def data_text(name: str) -> str:
    """The text of a data file shipped in ``merkwacht/analysis/data``."""
    return resources.files("merkwacht.analysis").joinpath("data", name).read_text(encoding="utf-8")


def _lines(text: str):
    for raw in text.splitlines():
        line = raw.split(" #", 1)[0].strip() if not raw.lstrip().startswith("re:") else raw.strip()
        if line.startswith("#") or not line:
            continue
        yield line


@lru_cache(maxsize=None)
def word_set(name: str) -> frozenset[str]:
    """A plain word list (one word or phrase a line, comments allowed) as a set of lower-case strings."""
    return frozenset(line.lower() for line in _lines(data_text(name)))


def _variants(term: str, *, deletions: bool) -> set[str]:
    out: set[str] = set()
    n = len(term)
    for i in range(n - 1):
        if term[i] != term[i + 1]:
            out.add(term[:i] + term[i + 1] + term[i] + term[i + 2 :])
    for i in range(n):
        out.add(term[:i] + term[i] + term[i:])
        if deletions and n >= 5:
            out.add(term[:i] + term[i + 1 :])
    out.discard(term)
    return out


class Lexicon:
    """Every term and pattern of one data file, matched in a single pass over normalised text."""

    def __init__(self, text: str, *, common: frozenset[str] = frozenset(), glue: frozenset[str] = frozenset()):
        self.terms: dict[str, Term] = {}
        self.wild: dict[str, Term] = {}
        self.patterns: list[tuple[re.Pattern[str], Term]] = []
        sources: dict[str, list[str]] = {}
        weights: dict[str, float] = {}
        compound_terms: set[str] = set()
        fuzzy_terms: list[tuple[str, Term]] = []
        section = _Section("term", 0.5)
        for line in _lines(text):
            if line.startswith("[") and line.endswith("]"):
                parts = line[1:-1].split()
                section = _Section(parts[0], float(parts[1]), set(parts[2:]))
                continue
            term = Term(section.category, section.weight)
            if line.startswith("re:"):
                sources.setdefault(section.category, []).append(line[3:].strip())
                weights[section.category] = section.weight
                continue
            word = line.lower()
            if word.endswith(WILDCARD):
                self.wild[word[:-1]] = term
            else:
                self.terms[word] = term
            stem = word.rstrip(WILDCARD)
            if "fuzzy" in section.flags and " " not in stem and len(stem) >= 4:
                fuzzy_terms.append((stem, term))
            if "compound" in section.flags and " " not in stem and len(stem) >= 3:
                compound_terms.add(stem)
        for stem, term in fuzzy_terms:
            for variant in _variants(stem, deletions=True):
                if variant in common or variant in self.terms or variant in self.wild or len(variant) < 3:
                    continue
                self.terms.setdefault(variant, Term(term.category, round(term.weight * 0.95, 3), fuzzy=True))
        for category, parts in sources.items():
            joined = "|".join(f"(?:{p})" for p in parts)
            self.patterns.append((re.compile(joined), Term(category, weights[category])))
        self.glue = glue | frozenset(t for t, v in self.terms.items() if v.category in _GLUE_CATEGORIES)
        words = list(self.terms) + [w + WILDCARD for w in self.wild]
        self._words = re.compile(rf"(?<!{_LETTER})(?:{trie_regex(words)})(?!{_LETTER})")
        self._compound = (
            re.compile(trie_regex(sorted(compound_terms))) if compound_terms else None
        )
        self._compound_terms = compound_terms

    def _term(self, word: str) -> Term | None:
        found = self.terms.get(word)
        if found is not None:
            return found
        for cut in range(len(word), 0, -1):
            stem = self.wild.get(word[:cut])
            if stem is not None:
                return stem
        return None

    def _glued(self, token: str, start: int, end: int) -> bool:
        left, right = token[:start], token[end:]
        return (not left or left in self.glue) and (not right or right in self.glue) and bool(left or right)

    def find(self, text: str) -> list[Match]:
        """Every term and pattern in ``text`` (already normalised: lower case, same length as the post)."""
        found: list[Match] = []
        for m in self._words.finditer(text):
            term = self._term(m.group(0))
            if term is not None:
                found.append(Match(m.start(), m.end(), m.group(0), term.category, term.weight,
                                   "variant" if term.fuzzy else "word"))
        for pattern, term in self.patterns:
            for m in pattern.finditer(text):
                found.append(Match(m.start(), m.end(), m.group(0), term.category, term.weight, "pattern"))
        if self._compound is not None:
            for m in self._compound.finditer(text):
                s, e = m.span()
                ws, we = s, e
                while ws > 0 and text[ws - 1].isalpha():
                    ws -= 1
                while we < len(text) and text[we].isalpha():
                    we += 1
                if ws == s and we == e:
                    continue  # a whole word: already found above
                token = text[ws:we]
                if self._glued(token, s - ws, e - ws):
                    term = self.terms.get(m.group(0)) or self._term(m.group(0))
                    if term is not None:
                        found.append(Match(ws, we, token, term.category, term.weight, "compound"))
        return found
