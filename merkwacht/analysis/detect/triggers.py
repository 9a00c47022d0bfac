"""Run many regular expressions fast: each only where its first word occurs.

Python's ``re`` tries every pattern at every position, so a hundred patterns cost a hundred passes.
Most patterns start with a word ("\\bga\\s+terug", "\\b(?:sounds|seems)\\s+like"); this module
reads those leading literals from the parsed pattern, puts all of them in one trie-shaped regular
expression (one fast pass), and tries a pattern with ``match`` only where one of its leading
literals was found. Patterns without a usable leading literal run as one combined pass.

:meth:`TriggeredPatterns.screen` goes further for a set of patterns (:mod:`.screens`): from the words
of a text alone it proves for most texts that none of the patterns matches, so the pass is not run.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from functools import lru_cache
from itertools import product
from typing import TYPE_CHECKING

try:  # Python 3.11+
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

from . import regex_cache
from .trie import trie_regex

if TYPE_CHECKING:
    from .screens import PatternScreen

_LIMIT = 256  # at most this many leading literals per pattern
_SPACES = re.compile(r"\s+")
_LETTER = r"[^\W\d_]"
_PLAIN_WORDS = re.compile(rf"(?<!{_LETTER}){_LETTER}+(?!{_LETTER})")
_LEADING_LETTERS = re.compile(rf"{_LETTER}*")
_PLAIN_WORD_ONLY = re.compile(rf"{_LETTER}+")
#: A decimal digit that starts a word (no word character before it). Written with the digit first, so the
#: engine skips from digit to digit instead of trying the look-behind at every position.
_DIGIT_STARTS = re.compile(r"\d(?<!\w\d)")


def _is_letter(ch: str) -> bool:
    r"""``[^\W\d_]`` for one character: a word character that is neither a decimal digit nor ``_``."""
    return ch.isalnum() and not ch.isdecimal()


#: The words of the last few texts looked at: the lexicons of one post (off-tone, claims, sources) see
#: the same few texts (lower case, normalised, as written), so their words are found once.
_recent_words: dict[str, frozenset[str]] = {}
_RECENT = 4

#: Every ASCII byte that is not a letter, mapped to a space: in an ASCII text the words (runs of letters)
#: are then what ``split`` gives, five times faster than a regular expression.
_ASCII_NON_LETTERS = bytes(
    b if (65 <= b <= 90 or 97 <= b <= 122) else 32 for b in range(256)
)


def words_of(text: str) -> frozenset[str]:
    """The set of plain words (maximal runs of letters) of ``text``."""
    words = _recent_words.get(text)
    if words is not None:
        return words
    if text.isascii():
        words = frozenset(text.encode("ascii").translate(_ASCII_NON_LETTERS).decode("ascii").split())
    else:
        words = frozenset(_PLAIN_WORDS.findall(text))
    if len(_recent_words) >= _RECENT:
        _recent_words.clear()
    _recent_words[text] = words
    return words


@lru_cache(maxsize=8192)
def whole_word(word: str) -> re.Pattern[str]:
    """A search for ``word`` standing as a whole word (no letter just before or after).

    The word comes first and the letter before it is looked at afterwards (``(?<!L)word`` would make the
    engine try the look-behind at every position; a pattern that starts with a literal lets it jump
    from one occurrence of the word to the next).
    """
    return re.compile(rf"{re.escape(word)}(?<!{_LETTER}[\s\S]{{{len(word)}}})(?!{_LETTER})")


def _spaced(source: str) -> str:
    """A trie pattern in which an (escaped) space stands for any run of white space."""
    return source.replace("\\ ", r"\s+")


class _Open(Exception):
    """The pattern has no usable leading literal."""


def _seq(items, index: int, prefix: set[str]) -> set[str]:
    """Leading literals of ``items[index:]`` appended to each of ``prefix``."""
    while index < len(items):
        op, av = items[index]
        if op is C.AT and av is not C.AT_BEGINNING and av is not C.AT_BEGINNING_STRING:
            index += 1  # a word boundary takes no characters (skipping it only widens the preselection)
            continue
        if op is C.LITERAL:
            prefix = {p + chr(av) for p in prefix}
            index += 1
            continue
        if op is C.SUBPATTERN or op is C.BRANCH:
            inner = _alternatives(list(av[-1]) if op is C.SUBPATTERN else [(op, av)])
            if inner is None:
                return prefix
            grown = {p + q for p, q in product(prefix, inner[0])}
            if len(grown) > _LIMIT:
                return prefix
            if not inner[1]:
                return grown
            prefix = grown
            index += 1
            continue
        if _is_space(op, av):
            grown = {p + " " for p in prefix}  # any run of white space (the trigger reads " " as \\s+)
            prefix = grown
            index += 1
            continue
        if op is C.IN:
            chars = _charset(av)
            if chars is None:
                return prefix
            grown = {p + c for p, c in product(prefix, chars)}
            if len(grown) > _LIMIT:
                return prefix
            prefix = grown
            index += 1
            continue
        if op in (C.ASSERT, C.ASSERT_NOT):
            index += 1  # a lookaround takes no characters
            continue
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            got = _seq(list(av[2]), 0, prefix)  # at least one: its first literals, then unknown
            return got if len(got) <= _LIMIT else prefix
        if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] == 0:
            # optional: the literals of the option, or of what follows without it. An option that may
            # come more than once ("(?:zo|te)\s+){0,2}") may be followed by itself: stop after its first
            after = list(items[index + 1 :]) if av[1] == 1 else []
            with_it = _seq(list(av[2]) + after, 0, prefix)
            without = _seq(items, index + 1, prefix)
            return with_it | without
        return prefix
    return prefix


def _is_space(op, av) -> bool:
    """``\\s`` or ``\\s+`` (not ``\\s*``, which may take nothing)."""
    if op is C.IN:
        return list(av) == [(C.CATEGORY, C.CATEGORY_SPACE)]
    if op is C.MAX_REPEAT and av[0] >= 1:
        inner = list(av[2])
        return len(inner) == 1 and inner[0][0] is C.IN and list(inner[0][1]) == [(C.CATEGORY, C.CATEGORY_SPACE)]
    return False


def _charset(av) -> set[str] | None:
    """The characters of a small character class (``[o0]``, ``\\d``), or None for a large one."""
    chars: set[str] = set()
    for op, arg in av:
        if op is C.LITERAL:
            chars.add(chr(arg))
        elif op is C.CATEGORY and arg is C.CATEGORY_DIGIT:
            chars.update("0123456789")
        else:
            return None
    return chars if len(chars) <= 10 else None


def _zero_width(items) -> bool:
    """Whether a sequence takes no characters: only anchors and lookarounds (``^``, ``\\b``, ``(?<=[.!?]\\s)``)."""
    return all(op is C.AT or op in (C.ASSERT, C.ASSERT_NOT) for op, _ in items)


def _alternatives(items) -> tuple[set[str], bool] | None:
    """(leading literals, whether each alternative was literal to its end) of a sequence."""
    if len(items) == 1 and items[0][0] is C.BRANCH:
        branches = items[0][1][1]
        if all(_zero_width(list(alt)) for alt in branches):
            return {""}, True  # "(?:^|(?<=[.!?]\s))": where a sentence starts, which takes no characters
        out: set[str] = set()
        complete = True
        for alt in branches:
            alt = list(alt)
            got = _seq(alt, 0, {""})
            full = all(op is C.LITERAL or _is_space(op, a) for op, a in alt)
            complete = complete and full
            out |= got
        return out, complete
    got = _seq(list(items), 0, {""})
    full = all(op is C.LITERAL or _is_space(op, a) for op, a in items)
    return got, full


def leading_literals(pattern: str) -> set[str] | None:
    """The literal strings one of which every match of ``pattern`` starts with (None: unknown)."""
    try:
        parsed = list(P.parse(pattern))
        found = _seq(parsed, 0, {""})
    except (_Open, re.error, RecursionError):
        return None
    found = {p.rstrip(" ") for p in found}
    if not found or any(not p for p in found) or len(found) > _LIMIT:
        return None
    return {p.lower() for p in found}


def _literal_prefix(items) -> str:
    """The literal characters a sequence of parsed items starts with ("" when it starts otherwise)."""
    out = []
    for op, av in items:
        if op is not C.LITERAL:
            break
        out.append(chr(av))
    return "".join(out)


def required_literals(pattern: str, flags: int = 0) -> set[str] | None:
    """Strings one of which occurs (case as written) in every match of ``pattern``; None when unknown.

    Looks at the pattern's top-level sequence: a run of literal characters ("potten"), a literal
    repeated at least once ("\\*{2,}") or a group of alternatives that all start with a literal
    ("(?:stab|shoot|kill)") must occur in a match; the most selective one (longest shortest string)
    is returned. Used to skip patterns that cannot match a text at all.
    """
    try:
        parsed = P.parse(pattern, flags)
    except (re.error, RecursionError):
        return None
    if parsed.state.flags & re.IGNORECASE:
        return None
    best: set[str] | None = None
    run: list[str] = []

    def consider(found: set[str]) -> None:
        nonlocal best
        if found and all(found) and (best is None or min(map(len, found)) > min(map(len, best))):
            best = found

    def alternatives(items) -> set[str]:
        if len(items) == 1 and items[0][0] is C.BRANCH:
            return {_literal_prefix(list(alt)) for alt in items[0][1][1]}
        return {_literal_prefix(list(items))}

    for op, av in parsed:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        prefix = "".join(run)
        consider({prefix} if run else set())
        run = []
        # the parser moves a common first letter out of a group ("(?:stab|shoot)" is "s" + "tab|hoot"):
        # the literal run before a group is glued back on to each alternative
        if op is C.SUBPATTERN or op is C.BRANCH:
            if op is C.SUBPATTERN and av[1] & re.IGNORECASE:
                continue  # (?i:...): its letters may be written otherwise; the literals around it still count
            alts = alternatives(list(av[-1]) if op is C.SUBPATTERN else [(op, av)])
            if all(alts):  # every alternative starts with a literal
                consider({prefix + alt for alt in alts})
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            inner = list(av[2])
            if len(inner) == 1 and inner[0][0] is C.LITERAL:
                consider({chr(inner[0][1])})
    consider({"".join(run)} if run else set())
    return best


def _triggers(pattern: re.Pattern[str] | None, text: str) -> list[tuple[int, str]]:
    """(position, literal) of every trigger of ``pattern`` in ``text``, overlapping ones included."""
    found: list[tuple[int, str]] = []
    if pattern is None:
        return found
    search = pattern.search
    m = search(text)
    while m is not None:
        pos = m.start()
        found.append((pos, m.group(0)))
        m = search(text, pos + 1)
    return found


class TriggeredPatterns:
    """A set of (category, pattern) pairs matched in about one pass over the text."""

    def __init__(self, patterns: list[tuple[str, str]], *, flags: int = 0):
        self._patterns = list(patterns)
        self._flags = flags
        by_prefix: dict[str, dict[str, list[str]]] = {}
        always: dict[str, list[str]] = {}
        at_word: set[str] = set()
        anywhere: set[str] = set()
        for category, source in patterns:
            literals = regex_cache.memo("leading", source, lambda source=source: leading_literals(source))
            if literals is None:
                always.setdefault(category, []).append(source)
                continue
            starts_at_word = source.startswith("\\b") and "|" not in source[:3]
            for literal in literals:
                by_prefix.setdefault(literal, {}).setdefault(category, []).append(source)
                (at_word if starts_at_word and literal[:1].isalnum() else anywhere).add(literal)
        at_word -= anywhere
        # one compiled alternation per (literal, category): one match call finds whether the category
        # has a pattern here (the same alternation is shared by every literal that leads to it)
        compiled: dict[tuple[str, ...], re.Pattern[str]] = {}
        self._by_prefix: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        for literal, categories in by_prefix.items():
            for category, sources in categories.items():
                key = tuple(sources)
                if key not in compiled:
                    compiled[key] = regex_cache.compile("|".join(f"(?:{src})" for src in sources), flags)
                self._by_prefix.setdefault(literal, []).append((category, compiled[key]))
        # The triggers run on lower-case text and only preselect; each pattern then decides with its own flags.
        # A literal that starts with a letter or digit does not start inside a word or number ("2020"
        # triggers once, at its "2"): those are found by one search that starts at word boundaries only;
        # other literals (quotes, commas, "$") by a second search anywhere. Each search is restarted one
        # character after the last trigger, so overlapping triggers ("zei dat" and "dat") are all seen,
        # and between triggers the regular expression engine skips ahead on its own (a loop of searches
        # is about twice as fast as one pass of a look-ahead, which the engine must try at every position).
        words = sorted(at_word | {a for a in anywhere if a[:1].isalnum()})
        others = sorted(a for a in anywhere if not a[:1].isalnum())
        self._trigger = (
            regex_cache.compile(r"\b(?:" + _spaced(trie_regex(words, wildcard=False)) + ")") if words else None
        )
        self._other = regex_cache.compile("(?:" + _spaced(trie_regex(others, wildcard=False)) + ")") if others else None
        # the trigger matches exactly one literal (white space normalised); everything that literal
        # (or a shorter literal it starts with) may start is listed once, here
        self._candidates: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
        for literal in self._by_prefix:
            listed: dict[int, tuple[str, re.Pattern[str]]] = {}
            for size in range(len(literal), 0, -1):
                for category, compiled in self._by_prefix.get(literal[:size], ()):
                    listed.setdefault(id(compiled), (category, compiled))
            self._candidates[literal] = list(listed.values())
        branches = [f"(?P<{c}>" + "|".join(f"(?:{s})" for s in srcs) + ")" for c, srcs in always.items()]
        self._always = regex_cache.compile("|".join(branches), flags) if branches else None
        # The combined pass runs only on a text holding a string every match of one of its patterns
        # needs ("@" for an e-mail address, "*" for "f**k", "kill" for a threat): most texts hold none.
        needles: set[str] | None = set()
        for srcs in always.values():
            for src in srcs:
                required = regex_cache.memo("required", (src, flags), lambda src=src: required_literals(src, flags))
                if required is None or needles is None:
                    needles = None
                    break
                needles |= required
        self._needles = (
            regex_cache.compile("|".join(re.escape(n) for n in sorted(needles, key=len, reverse=True)))
            if needles else None
        )

    def screen(self, categories: Collection[str]) -> PatternScreen:
        """A quick test that can prove no pattern of ``categories`` matches a text (see :class:`.PatternScreen`)."""
        from .screens import PatternScreen  # (screens reads the patterns with this module's helpers)

        return PatternScreen([(c, s) for c, s in self._patterns if c in categories], flags=self._flags)

    def finditer(self, text: str, lower: str | None = None) -> Iterator[tuple[str, int, int]]:
        """(category, start, end) of every match; a pattern matches at most once per position.

        ``lower`` is ``text`` in lower case (same length) when ``text`` is not lower case already.
        """
        if self._trigger is not None or self._other is not None:
            source = text if lower is None else lower
            found = _triggers(self._trigger, source)
            if self._other is not None:
                more = _triggers(self._other, source)
                if more:
                    found = sorted(found + more) if found else more
            for pos, literal in found:
                candidates = self._candidates.get(literal)
                if candidates is None:
                    candidates = self._candidates.get(_SPACES.sub(" ", literal).lower(), ())
                for category, compiled in candidates:
                    hit = compiled.match(text, pos)
                    if hit is not None and hit.end() > pos:
                        yield category, pos, hit.end()
        if self._always is not None and (self._needles is None or self._needles.search(text)):
            for m in self._always.finditer(text):
                if m.end() > m.start():
                    yield m.lastgroup, m.start(), m.end()
