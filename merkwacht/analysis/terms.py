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
    """A regex alternation of ``terms``, longest first. A term is a regex fragment; spaces match any space."""
    ordered = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
    return "|".join(re.sub(r"\\? ", r"\\s+", t) for t in ordered)
