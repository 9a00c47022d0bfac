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

TERMS_DIR = Path(__file__).resolve().parent / "policies" / "terms"


@cache
def load_terms(name: str) -> dict[str, Any]:
    """The mapping in ``policies/terms/<name>.yaml``."""
    with open(TERMS_DIR / f"{name}.yaml", encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
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


class AnchoredPatterns:
    """Term patterns that only run on texts holding one of their anchor words.

    Python's ``re`` tries every branch of a large alternation at every position of a text, which
    is slow for lexicons of dozens of phrases. Here each term is compiled alone and tied to the
    anchor words that occur literally in it; a term runs only when the text's words include one of
    its anchors (a term without any anchor always runs, so nothing is silently skipped).
    """

    def __init__(
        self, terms: list[str] | tuple[str, ...], anchors: frozenset[str], flags: int = re.IGNORECASE
    ) -> None:
        self._by_anchor: dict[str, list[re.Pattern[str]]] = {}
        self._always: list[re.Pattern[str]] = []
        for term in terms:
            if not isinstance(term, str):
                raise ValueError(f"term {term!r} is not a string (quote it in the YAML file)")
            pattern = re.compile(r"(?<!\w)(?:" + alternation([term]) + r")(?!\w)", flags)
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
        found = [m for pattern in self.patterns(words) for m in pattern.finditer(text)]
        found.sort(key=lambda m: (m.start(), -m.end()))
        return found


def versioned(version: str, *names: str) -> str:
    """``version`` with a short digest of the named term files: editing a lexicon changes the rule's
    version, so the engine re-analyses what the old lexicon judged (``1.0+3f9a2c1d``)."""
    digest = hashlib.sha256()
    for name in names:
        digest.update((TERMS_DIR / f"{name}.yaml").read_bytes())
    return f"{version}+{digest.hexdigest()[:8]}"
