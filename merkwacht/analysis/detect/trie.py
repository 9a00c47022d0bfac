"""Turn a word list into one compact regular expression (a trie), so thousands of terms match in one pass.

Python's ``re`` tries the alternatives of ``a|b|c`` one by one at every position; a trie-shaped
pattern shares prefixes, so a lexicon of a few thousand terms costs little more than one term.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from . import regex_cache

#: A term ending in this marker also matches up to four more letters (inflections: walgelijk*, idiot*).
WILDCARD = "*"
_END = ""


def _insert(trie: dict, term: str) -> None:
    node = trie
    for ch in term:
        node = node.setdefault(ch, {})
    node[_END] = True


def _pattern(node: dict, wildcard: bool = True) -> str:
    ends = _END in node
    branches = []
    # the wildcard goes last: Python's regex takes the first alternative that matches, so a longer
    # literal term ("negros occidental") must be tried before "negro*"
    for ch in sorted((k for k in node if k != _END), key=lambda k: (wildcard and k == WILDCARD, k)):
        if wildcard and ch == WILDCARD:
            branches.append(r"[^\W\d_]{0,4}")
        else:
            branches.append(re.escape(ch) + _pattern(node[ch], wildcard))
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if ends:
        return "(?:" + body + ")?"
    return body


def trie_regex(terms: Iterable[str], *, wildcard: bool = True) -> str:
    """One regular-expression source that matches exactly the given terms (longest first where they share a prefix).

    With ``wildcard`` a term ending in :data:`WILDCARD` inflects; without, ``*`` is a character like any
    other. The source depends on the terms only; it is remembered across runs (see :mod:`.regex_cache`).
    """
    listed = [term for term in terms if term]
    digest = hashlib.sha256(("\0".join(listed) + ("" if wildcard else "\0literal")).encode("utf-8")).hexdigest()
    return regex_cache.memo("trie", digest, lambda: _trie_regex(listed, wildcard))


def _trie_regex(terms: list[str], wildcard: bool = True) -> str:
    trie: dict = {}
    for term in terms:
        _insert(trie, term)
    if not trie:
        return r"(?!x)x"
    return _pattern(trie, wildcard)
