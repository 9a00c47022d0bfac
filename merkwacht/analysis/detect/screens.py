"""Screens: prove from a text's words alone, for most texts, that none of some patterns can match.

A pattern of :class:`.TriggeredPatterns` is tried only where one of its triggers starts, and every match
holds certain strings. :func:`first_runs` reads from the parsed pattern what the first word of a match
can be (a whole word, or a word start); :func:`required_clauses` which strings every match holds (one of
each set). A :class:`PatternScreen` combines both, per word of a text (what each word can start, which
needed strings it holds; remembered per word), and answers "may one of these patterns match?" without
running them. Each answer is held to its definition by ``tests/analysis/test_screens.py``.
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as C  # type: ignore[no-redef]
    import sre_parse as P  # type: ignore[no-redef]

from . import regex_cache
from .trie import trie_regex
from .triggers import (
    _DIGIT_STARTS,
    _LEADING_LETTERS,
    _PLAIN_WORD_ONLY,
    _is_letter,
    _literal_prefix,
    _Open,
    _spaced,
    leading_literals,
    words_of,
)
from .wordmemo import WordMemo

#: Anchors after a letter that prove the next character is no letter (a word boundary, the end).
_RUN_ENDS = frozenset({C.AT_BOUNDARY, C.AT_END, C.AT_END_LINE, C.AT_END_STRING})
#: Classes of characters none of which is a letter.
_NO_LETTERS = frozenset({C.CATEGORY_DIGIT, C.CATEGORY_SPACE, C.CATEGORY_NOT_WORD, C.CATEGORY_LINEBREAK})
_UNSUPPORTED_FLAGS = re.IGNORECASE | re.ASCII | re.LOCALE
_RUN_BUDGET = 20_000  # steps of the analysis below per pattern (an unusual pattern is left unanalysed)
_LONGEST_RUN = 40  # letters followed before giving up on a run (``s+`` would go on forever)


class _Runs:
    """What :func:`first_runs` collects while walking a pattern."""

    def __init__(self) -> None:
        self.whole: set[str] = set()
        self.prefixes: set[str] = set()
        self.budget = _RUN_BUDGET

    def end(self, run: str, *, whole: bool) -> None:
        """The first word of a match is ``run`` (``whole``) or starts with it; ``run`` is never empty here."""
        (self.whole if whole else self.prefixes).add(run)


def _letters_in(av) -> tuple[set[str], bool] | None:
    """(the letters, whether it holds anything but letters) of a character class; None when too large or unknown."""
    letters: set[str] = set()
    others = False
    for op, arg in av:
        if op is C.LITERAL:
            if _is_letter(chr(arg)):
                letters.add(chr(arg))
            else:
                others = True
        elif op is C.RANGE and arg[1] - arg[0] <= 64:
            for code in range(arg[0], arg[1] + 1):
                if _is_letter(chr(code)):
                    letters.add(chr(code))
                else:
                    others = True
        elif op is C.CATEGORY and arg in _NO_LETTERS:
            others = True
        else:
            return None  # a negated class, a large range, \w, \S ...: may hold any letter
    return letters, others


def _walk(items: list, run: str, out: _Runs) -> None:
    """Follow every way a match can start (``items`` from here, ``run`` the letters taken so far) to
    where its first word ends (``out.end(whole=True)``) or to where the analysis cannot tell whether
    more letters follow (``out.end(whole=False)``). A way that starts with something other than a
    letter is dropped: it cannot match at the first letter of a word. Raises :class:`_Open` when the
    first character of a match is unknown."""
    out.budget -= 1
    if out.budget < 0:
        raise _Open
    i = 0
    while i < len(items):
        op, av = items[i]
        rest = items[i + 1 :]
        if len(run) > _LONGEST_RUN:
            break
        if op is C.LITERAL:
            if not _is_letter(chr(av)):
                if run:
                    out.end(run, whole=True)
                return  # (without letters before: not a match at the first letter of a word)
            run += chr(av)
        elif op is C.AT:
            if run and av in _RUN_ENDS:
                out.end(run, whole=True)
                return
            # other anchors only restrict where a match is: passing over them only widens what is found
        elif op in (C.ASSERT, C.ASSERT_NOT):
            pass  # a look-around takes no characters (passing over it only widens what is found)
        elif op is C.SUBPATTERN:
            if av[1] & _UNSUPPORTED_FLAGS:
                raise _Open
            items, i = list(av[-1]) + rest, 0
            continue
        elif op is C.BRANCH:
            for alternative in av[1]:
                _walk(list(alternative) + rest, run, out)
            return
        elif op is C.IN:
            found = _letters_in(av)
            if found is None or len(found[0]) > 10:
                break
            letters, others = found
            if others and run:
                out.end(run, whole=True)
            for letter in sorted(letters):
                _walk(rest, run + letter, out)
            return
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT):
            low, high, body = av
            if high == 0:
                i += 1
                continue
            if low == 0:
                _walk(rest, run, out)  # not taken at all
            again = [] if high == 1 else [(op, (max(low - 1, 0), high if high is C.MAXREPEAT else high - 1, body))]
            _walk(list(body) + again + rest, run, out)  # taken once, then as often as it may still be
            return
        else:
            break  # anything else: the first word may go on with letters not known here
        i += 1
    # the end of the pattern (more letters may follow in the text) or something not followed further
    if run:
        out.end(run, whole=False)
    elif i < len(items):
        raise _Open


def first_runs(pattern: str, flags: int = 0) -> tuple[frozenset[str], frozenset[str]] | None:
    """What the first word of a match of ``pattern`` can be, when the match starts at a word's first letter.

    A word is a maximal run of letters. The answer ``(whole, prefixes)`` means: a match that starts at
    the first letter of word ``w`` needs ``w in whole`` or ``w`` to start with one of ``prefixes``.
    None when that is not known (a case-insensitive pattern, a first character that may be anything).
    """
    try:
        parsed = P.parse(pattern, flags)
        if parsed.state.flags & _UNSUPPORTED_FLAGS:
            return None
        out = _Runs()
        _walk(list(parsed), "", out)
    except (_Open, re.error, RecursionError):
        return None
    return frozenset(out.whole), frozenset(out.prefixes)


def _clauses(items) -> list[frozenset[str]]:
    """Sets of strings, one string of each set in every match of the sequence ``items`` (see :func:`required_clauses`)."""
    clauses: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            clauses.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        if op in (C.AT, C.ASSERT, C.ASSERT_NOT):
            continue  # takes no characters: the literals on either side stand side by side
        before = "".join(run)
        flush()
        if op is C.SUBPATTERN and not av[1] & _UNSUPPORTED_FLAGS:
            clauses.extend(_clauses(list(av[-1])))
        elif op is C.BRANCH:
            best = [_best(_clauses(list(alternative))) for alternative in av[1]]
            if all(best):
                clauses.append(frozenset().union(*best))
            if before:  # the parser moves a common first letter out of a group ("s(?:tab|hoot)"): glue it back
                clauses.append(frozenset(before + _literal_prefix(list(alternative)) for alternative in av[1]))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] >= 1:
            clauses.extend(_clauses(list(av[2])))
        elif op is C.IN and 0 < len(av) <= 8 and all(o is C.LITERAL for o, _ in av):
            clauses.append(frozenset(chr(a) for _, a in av))  # one of a few characters ("(?:🙄|🥱)" is parsed so)
    flush()
    return clauses


def _selectivity(clause: frozenset[str]) -> float:
    """How rarely a text holds one of a set of strings, roughly (higher: rarer): fewer and longer strings
    are rarer (each string counted as if its letters were random)."""
    return -sum(26.0 ** -len(s) for s in clause)


def _best(clauses: list[frozenset[str]]) -> frozenset[str] | None:
    clauses = [c for c in clauses if all(c)]
    return max(clauses, key=_selectivity) if clauses else None


def required_clauses(pattern: str, flags: int = 0, *, keep: int = 8) -> tuple[frozenset[str], ...]:
    r"""Sets of strings such that every match of ``pattern`` holds a string of each set (at most ``keep``
    sets, the most selective ones). Empty when nothing is known (a case-insensitive pattern, say).

    ``\bin\s+je\s+eigen\s+land`` needs "eigen", "land", "in" and "je"; ``(?:stab|shoot)\s+you``
    needs one of "stab" and "shoot", and "you". Used to prove, with a few ``in`` tests, that a
    pattern cannot match a text.
    """
    try:
        parsed = P.parse(pattern, flags)
    except (re.error, RecursionError):
        return ()
    if parsed.state.flags & _UNSUPPORTED_FLAGS:
        return ()
    clauses = sorted({c for c in _clauses(list(parsed)) if all(c)}, key=lambda c: (-_selectivity(c), sorted(c)))
    return tuple(clauses[:keep])


def _too_common(needed: str) -> bool:
    """A string of one or two letters ("a", "re") is in almost every text: not worth looking for."""
    return len(needed) <= 2 and _PLAIN_WORD_ONLY.fullmatch(needed) is not None


#: One of several strings that a match needs: (the strings of letters only, a test for the others).
#: A string of letters occurs in a text exactly when it occurs inside one of its words, so those are
#: looked for among the words (remembered per word); the others (with a space, an apostrophe, a sign)
#: in the text itself: one string with ``in``, several with a search.
_Clause = tuple[frozenset[str], "str | re.Pattern[str] | None"]


def _clause(strings: frozenset[str]) -> _Clause:
    letters = frozenset(s for s in strings if _PLAIN_WORD_ONLY.fullmatch(s))
    others = sorted(strings - letters)
    if not others:
        return letters, None
    if len(others) == 1:
        return letters, others[0]
    return letters, regex_cache.compile(trie_regex(others, wildcard=False))


#: What a pattern that needs nothing known needs first: a string held by every text.
_NOTHING: _Clause = (frozenset(), "")


def _holds(clause: _Clause, text: str, inside: set[str]) -> bool:
    """Whether ``text`` holds a string of ``clause`` (``inside``: the needed letter strings inside its words)."""
    letters, others = clause
    if not letters.isdisjoint(inside):
        return True
    if others is None:
        return False
    return others in text if isinstance(others, str) else others.search(text) is not None


class PatternScreen:
    """Proves cheaply, for most texts, that none of some patterns matches: no pass of the patterns needed.

    ``may_match(text)`` is False only when :meth:`TriggeredPatterns.finditer` would find no match of these
    patterns in ``text``. A triggered pattern is tried only where a trigger starts: at a word boundary
    (the first letter of a word, or a digit) or at a literal that starts with a sign (", genius"). So
    it can match only when a word of the text can start it (:func:`first_runs`, or else its leading
    literals) and the text holds the strings it needs (:func:`required_clauses`), or when a word starts
    with a digit or a sign literal occurs and the text holds what a pattern with such a trigger needs. A
    pattern without leading literals can match only when the text holds the strings it needs.

    Most of this is known from the words of the text alone; what each word tells (which patterns can
    start at it, which needed strings it holds) is remembered, so a text whose words were all seen
    costs a few set operations.
    """

    #: Words remembered at most (the memory is emptied when full).
    MEMORY = 100_000
    #: What a pattern needs is judged by this many sets of strings (the most selective ones) at most.
    CLAUSES = 2

    def __init__(self, patterns: list[tuple[str, str]], *, flags: int = 0):
        self._whole: dict[str, list[int]] = {}  # a word -> the patterns that can start at it
        self._prefixes: dict[str, list[int]] = {}  # the start of a word -> the patterns that can start at it
        self._needs: list[tuple[_Clause, ...]] = []  # per pattern: what its matches need (all of it)
        self._anywhere: list[int] = []  # patterns without leading literals (they may start anywhere)
        self.always = False  # some pattern may match without anything known that it needs
        self.digits = False  # some trigger starts with a digit
        self._numeric: list[int] = []  # the patterns with a trigger that starts with a digit
        self._signed: list[int] = []  # the patterns with a trigger that starts with a sign (", genius")
        signs: set[str] = set()
        anywhere_firsts: list[frozenset[str]] = []
        for _category, source in patterns:
            index = len(self._needs)
            clauses = regex_cache.memo("clauses", (source, flags), lambda source=source: required_clauses(source, flags))
            useful = [c for c in clauses if not any(map(_too_common, c))]
            self._needs.append(tuple(_clause(c) for c in useful[: self.CLAUSES]))
            literals = regex_cache.memo("leading", source, lambda source=source: leading_literals(source))
            if literals is None:
                self._anywhere.append(index)
                anywhere_firsts.extend(useful[:1])
                self.always = self.always or not self._needs[index]
                continue
            signed = {literal for literal in literals if not literal[:1].isalnum()}
            signs |= signed
            if signed:
                self._signed.append(index)
            if any(literal[:1].isdecimal() for literal in literals):
                self.digits = True
                self._numeric.append(index)
            for kind, runs in zip((self._whole, self._prefixes), self._runs(source, literals, flags)):
                for run in runs:
                    kind.setdefault(run, []).append(index)
        self._sizes = sorted({len(p) for p in self._prefixes})
        # one string of what each pattern without leading literals needs first, all together: those are
        # looked at for every text, and most texts hold none of these strings
        self._anywhere_needs = _clause(frozenset().union(*anywhere_firsts)) if anywhere_firsts else None
        #: per pattern: the first thing it needs (nothing when it needs nothing known)
        self._first_needs: list[_Clause] = [needs[0] if needs else _NOTHING for needs in self._needs]
        self._letters = frozenset().union(*(letters for needs in self._needs for letters, _ in needs))
        self._letter_sizes = sorted({len(s) for s in self._letters})
        self.signs = regex_cache.compile(_spaced(trie_regex(sorted(signs), wildcard=False))) if signs else None
        #: per word: (the patterns that can start at it, the needed letter strings inside it); None: neither
        self._words = WordMemo(self._facts, size=self.MEMORY)

    @staticmethod
    def _runs(source: str, literals: set[str], flags: int) -> tuple[set[str], set[str]]:
        """(whole words, word starts) at which ``source`` can start (:func:`first_runs`, else its literals)."""
        runs = regex_cache.memo("runs", (source, flags), lambda: first_runs(source, flags))
        if runs is not None:
            return set(runs[0]), set(runs[1])
        whole: set[str] = set()
        prefixes: set[str] = set()
        for literal in literals:  # the letters a literal starts with: a whole word when more follows
            letters = _LEADING_LETTERS.match(literal).group(0)
            if letters:
                (whole if len(letters) < len(literal) else prefixes).add(letters)
        return whole, prefixes

    def _facts(self, word: str) -> tuple[tuple[int, ...], frozenset[str]] | None:
        """(the patterns that can start at ``word``, the needed letter strings inside it); None: neither."""
        starting = list(self._whole.get(word, ()))
        for size in self._sizes:
            if size > len(word):
                break
            starting.extend(self._prefixes.get(word[:size], ()))
        inside = frozenset(
            word[at : at + size]
            for size in self._letter_sizes
            for at in range(len(word) - size + 1)
            if word[at : at + size] in self._letters
        )
        return (tuple(dict.fromkeys(starting)), inside) if starting or inside else None

    def _known_facts(self, word: str) -> tuple[tuple[int, ...], frozenset[str]] | None:
        """What ``word`` tells (remembered), or None when it tells nothing."""
        return self._words.get(word)

    def inert(self, word: str) -> bool:
        """Whether ``word`` starts no pattern and holds nothing a pattern needs."""
        return self._known_facts(word) is None

    def _needs_met(self, index: int, text: str, inside: set[str]) -> bool:
        """Whether ``text`` holds what pattern ``index`` needs (``inside``: the needed strings inside its words)."""
        return all(_holds(clause, text, inside) for clause in self._needs[index])

    def _any_needs_met(self, indexes: list[int], text: str, inside: set[str]) -> bool:
        """Whether ``text`` holds what one of the patterns ``indexes`` needs (see :meth:`_needs_met`)."""
        return any(self._needs_met(index, text, inside) for index in indexes)

    def may_match(self, text: str, words: frozenset[str] | None = None) -> bool:
        """Whether one of the patterns may match ``text`` (lower case).

        ``words``: the words of ``text`` (:func:`words_of`); words known to tell nothing may be left out.
        """
        if self.always:
            return True
        starting: set[int] = set()
        inside: set[str] = set()
        for word in (words_of(text) if words is None else words) - self._words.inert:
            facts = self._known_facts(word)
            if facts is not None:
                starting.update(facts[0])
                inside.update(facts[1])
        if self._anywhere_needs is not None and _holds(self._anywhere_needs, text, inside):
            starting.update(self._anywhere)
        first = self._first_needs
        for index in starting:
            letters, others = first[index]
            if letters.isdisjoint(inside) and (others is None or not (
                others in text if isinstance(others, str) else others.search(text)
            )):
                continue  # the first thing the pattern needs is missing (the usual case, decided here)
            if self._needs_met(index, text, inside):
                return True
        # a trigger at a digit or a sign starts only the patterns listed for it, and each of those needs its
        # strings too: a comma in a text is no reason to try ", genius" in a text without "genius"
        if self.digits and self._any_needs_met(self._numeric, text, inside) and _DIGIT_STARTS.search(text):
            return True
        return (
            self.signs is not None
            and self._any_needs_met(self._signed, text, inside)
            and self.signs.search(text) is not None
        )
