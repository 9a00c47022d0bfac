"""Term lists of the built-in rules, kept as commented YAML data files in ``policies/terms/``.

A rule reads its lexicon once (cached) with :func:`load_terms`; the files say, term by term,
why a word is there, so that the works council and reviewers can read what a rule looks for.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

TERMS_DIR = Path(__file__).resolve().parent / "policies" / "terms"


@lru_cache(maxsize=None)
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
