"""Lexicons as commented data files, compiled into one fast matcher per file.

File format (UTF-8, ``#`` starts a comment)::

    [category weight flag flag ...]
    term
    two word term
    inflect*            # also matches up to four more letters
    re: a regular expression   # matched on the normalised (lower-case) text
    define name: a part of a regular expression, written once
    re: ... {name} ...         # the part defined above, in place of {name}

Flags of a section:

``fuzzy``
    also match the term misspelt on purpose: one inner letter dropped, a double letter made single,
    or two neighbouring letters swapped (``verchtelijk``, ``hat``, ``odod``). The variants are
    generated ahead of time by ``scripts/build_variants.py`` into ``<file>.variants`` (variant, tab,
    term), leaving out every variant that is itself a common Dutch or English word.
``compound``
    also match the term glued to a neighbouring short word (``eenniknok``, ``gewoonvermoorden``):
    the rest of the word must be a glue word or another term, so ``kankeronderzoek`` never matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from . import regex_cache
from .trie import WILDCARD, trie_regex
from .screens import PatternScreen
from .textnorm import lower_same_length
from .triggers import TriggeredPatterns, whole_word, words_of
from .wordmemo import WordMemo

_LETTER = r"[^\W\d_]"
#: Terms of these categories may be glued to each other ("homoseksuelenophangen").
#: Matches kept per kind (words, patterns, glued words): enough for any real post, and a bound on
#: the work an adversarial text (thousands of insults) can cause.
MAX_MATCHES = 400
_PLAIN_WORD = re.compile(rf"{_LETTER}+")
_LONGEST = 40  # letters on either side of a glued term
_LETTERS_BEFORE = re.compile(rf"{_LETTER}*\Z")
_LETTERS_AFTER = re.compile(rf"{_LETTER}*")
#: Word endings that may follow an inflecting term (``*``) inside a glued word.
_ENDINGS = frozenset({"e", "en", "n", "s", "es", "er", "ers", "'s", "pen", "ten", "ken", "ven", "ed", "ing"})
_GLUE_CATEGORIES = frozenset({"slur", "insult", "vulgar", "profanity", "threat", "hate_verb", "neg_attr",
                              "neg_attr_near", "identity", "violence_weak"})


#: The set of plain words (runs of letters) of a text (kept under its old name).
_words_of = words_of


@dataclass(frozen=True, slots=True)
class Term:
    category: str
    weight: float
    fuzzy: bool = False  # a generated spelling variant, not the term as written


def _start(match: Match) -> int:
    return match.start


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


_DEFINE = re.compile(r"define\s+([a-z_]+)\s*:\s*(.+)")
_DEFINED = re.compile(r"\{([a-z_]+)\}")  # never a quantifier, which holds digits


def _lines(text: str):
    """The meaningful lines of a data file: comments and blank lines left out, ``define`` lines taken in
    and their parts put in place of ``{name}`` in the ``re:`` lines (and ``define`` lines) after them."""
    parts: dict[str, str] = {}

    def part(match: re.Match[str]) -> str:
        try:
            return parts[match.group(1)]
        except KeyError:
            raise ValueError(f"{{{match.group(1)}}} is used before a line 'define {match.group(1)}: ...'") from None

    for raw in text.splitlines():
        stripped = raw.lstrip()
        if stripped.startswith("define "):
            found = _DEFINE.fullmatch(stripped.strip())
            if found is None:
                raise ValueError(f"not a definition (define name: part): {stripped.strip()!r}")
            parts[found.group(1)] = _DEFINED.sub(part, found.group(2))  # a part may use earlier parts
            continue
        line = raw.split(" #", 1)[0].strip() if not stripped.startswith("re:") else raw.strip()
        if line.startswith("#") or not line:
            continue
        yield _DEFINED.sub(part, line) if "{" in line and line.startswith("re:") else line


@cache
def word_set(name: str) -> frozenset[str]:
    """A plain word list (one word or phrase a line, comments allowed) as a set of lower-case strings."""
    return frozenset(line.lower() for line in _lines(data_text(name)))


def spelling_variants(term: str) -> set[str]:
    """Deliberate misspellings of one word: an inner letter dropped (words of five letters or more),
    a double letter made single, or two neighbouring letters swapped."""
    out: set[str] = set()
    n = len(term)
    for i in range(n - 1):
        if term[i] != term[i + 1]:
            out.add(term[:i] + term[i + 1] + term[i] + term[i + 2 :])
        else:
            out.add(term[:i] + term[i + 1 :])
    if n >= 5:
        for i in range(1, n - 1):
            out.add(term[:i] + term[i + 1 :])
    out.discard(term)
    return {v for v in out if len(v) >= 3}


def fuzzy_terms(text: str) -> list[str]:
    """The terms (words and phrases, ``*`` kept) of a lexicon file whose section has the ``fuzzy`` flag."""
    terms, fuzzy = [], False
    for line in _lines(text):
        if line.startswith("[") and line.endswith("]"):
            fuzzy = "fuzzy" in line[1:-1].split()[2:]
            continue
        if fuzzy and not line.startswith("re:"):
            terms.append(line.lower())
    return terms


def term_variants(term: str, is_word) -> set[str]:
    """Misspellings of a term: of a word (``*`` kept: ``hmoseksue*``), or of one word of a phrase
    (``odod aan``). ``is_word(variant)`` says whether a variant is an ordinary word (then it is skipped)."""
    wild = term.endswith(WILDCARD)
    words = term.rstrip(WILDCARD).split(" ")
    out: set[str] = set()
    for i, word in enumerate(words):
        if len(word) < 4:
            continue
        forms = [word] + ([word + "e", word + "en", word + "s"] if wild and i == len(words) - 1 else [])
        for form in forms:
            for variant in spelling_variants(form):
                if is_word(variant):
                    continue
                phrase = " ".join(words[:i] + [variant] + words[i + 1 :])
                keep_wild = wild and form == word and i == len(words) - 1 and len(word) >= 6
                out.add(phrase + (WILDCARD if keep_wild else ""))
    return out


#: A search for a word standing as a whole word (kept under its old name).
_whole_word = whole_word


class _PhraseScreen:
    r"""Proves from the words of a text, for most texts, that no phrase or inflecting stem is in it.

    The phrases and stems are matched by one trie-shaped expression ``\b(?:...)(?![letter])``; a
    match starts at the first letter of a word. Each run of letters of a phrase ("je moeder", "don't")
    is then a whole word of the text, except the last run of an inflecting stem, which a word only
    starts with (followed by at most four more letters). A text can hold a phrase only when all its
    whole words are among the text's words, which is looked up per phrase under its longest word.
    """

    #: Words remembered at most (the memory is emptied when full).
    MEMORY = 100_000

    def __init__(self, phrases: list[str]):
        self.always = False  # a phrase that does not start with a letter: no screening
        self.keyed: dict[str, list[tuple[frozenset[str], str | None]]] = {}
        self.stems: set[str] = set()  # inflecting single words ("idioot*")
        for phrase in phrases:
            wild = phrase.endswith(WILDCARD)
            body = phrase[:-1] if wild else phrase
            if WILDCARD in body or not _PLAIN_WORD.match(body):
                self.always = True
                continue
            runs = _PLAIN_WORD.findall(body)
            open_run = runs.pop() if wild and _PLAIN_WORD.fullmatch(body[-1]) else None
            if not runs:
                self.stems.add(open_run)
                continue
            key = max(runs, key=len)
            self.keyed.setdefault(key, []).append((frozenset(runs) - {key}, open_run))
        self._stem_sizes = sorted({len(stem) for stem in self.stems})
        #: per word: (whether it is an inflected stem, the phrases keyed under it), None: neither
        self._words = WordMemo(self._facts, size=self.MEMORY)

    def _stem_of(self, word: str) -> bool:
        """Whether ``word`` is an inflecting stem followed by at most four letters."""
        return any(word[:size] in self.stems for size in self._stem_sizes if len(word) - 4 <= size <= len(word))

    def _facts(self, word: str) -> tuple[bool, list[tuple[frozenset[str], str | None]]] | None:
        stem, keyed = self._stem_of(word), self.keyed.get(word, [])
        return (stem, keyed) if stem or keyed else None

    def _known_facts(self, word: str) -> tuple[bool, list[tuple[frozenset[str], str | None]]] | None:
        """(whether ``word`` is an inflected stem, the phrases keyed under it), remembered; None: neither."""
        return self._words.get(word)

    def inert(self, word: str) -> bool:
        """Whether ``word`` is no inflected stem and no phrase is looked up under it."""
        return not self.always and self._known_facts(word) is None

    def may_match(self, words: frozenset[str], fresh: frozenset[str] | None = None) -> bool:
        """Whether a text with these words (:func:`words_of`) may hold a phrase or stem.

        ``fresh``: the words to look at (``words`` without some known to be inert), by default all.
        """
        if self.always:
            return True
        for word in (words if fresh is None else fresh) - self._words.inert:
            known = self._known_facts(word)
            if known is None:
                continue
            stem, keyed = known
            if stem:
                return True
            for others, open_run in keyed:
                if others <= words and (open_run is None or any(
                    w.startswith(open_run) and len(w) <= len(open_run) + 4 for w in words
                )):
                    return True
        return False


class Lexicon:
    """Every term and pattern of one data file, matched in a single pass over normalised text."""

    def __init__(self, text: str, *, variants: str = "", glue: frozenset[str] = frozenset()):
        self.terms: dict[str, Term] = {}
        self.wild: dict[str, Term] = {}
        sources: dict[str, list[str]] = {}
        weights: dict[str, float] = {}
        compound_terms: set[str] = set()
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
            if "compound" in section.flags and " " not in stem and len(stem) >= 4:
                compound_terms.add(stem)
        for line in _lines(variants):
            variant, _, original = line.partition("\t")
            original = original.strip()
            term = self.terms.get(original) or self.wild.get(original.rstrip(WILDCARD))
            if term is None:
                continue
            fuzzy = Term(term.category, round(term.weight * 0.95, 3), fuzzy=True)
            if variant.endswith(WILDCARD):
                self.wild.setdefault(variant[:-1], fuzzy)
            elif variant not in self.terms:
                self.terms[variant] = fuzzy
        self._weights = weights
        self._patterns = TriggeredPatterns([(c, p) for c, parts in sources.items() for p in parts])
        self.glue = glue | frozenset(t for t, v in self.terms.items() if v.category in _GLUE_CATEGORIES)
        # Single words are looked up in a dict (fast to build, fast to use); phrases and inflecting
        # stems go into one trie-shaped regular expression.
        self._single = frozenset(w for w in self.terms if _PLAIN_WORD.fullmatch(w))
        phrases = [w for w in self.terms if w not in self._single] + [w + WILDCARD for w in self.wild]
        self._words = regex_cache.compile(rf"\b(?:{trie_regex(phrases)})(?!{_LETTER})") if phrases else None
        self._phrase_screen = _PhraseScreen(phrases)
        #: per set of context categories: a quick test whether a pattern outside them may match
        self._screens: dict[frozenset[str], PatternScreen] = {}
        #: words that matter to nothing here (no term, no phrase or stem, no glued term, nothing a screen
        #: looks for) and words that do: most words of a text are then left out with one set difference
        self._plain: set[str] = set()
        self._rich: set[str] = set()
        self._compound = regex_cache.compile(trie_regex(sorted(compound_terms))) if compound_terms else None
        self._compound_terms = compound_terms
        #: word -> the glued terms inside it (a pure function of the word, asked for every word of every
        #: post: remembered, so a word seen before costs one look-up instead of a pass over the text);
        #: the words without any are kept in a set, so that the words of a text are looked up at once
        self._glued_words: WordMemo[tuple[Term, ...]] = WordMemo(
            lambda word: tuple(self._glued_terms(word)), size=self.GLUED_MEMORY
        )

    def _term(self, word: str) -> Term | None:
        found = self.terms.get(word)
        if found is not None:
            return found
        for cut in range(len(word), 0, -1):
            stem = self.wild.get(word[:cut])
            if stem is not None:
                return stem
        return None

    def _rest_ok(self, rest: str, *, inflects: bool) -> bool:
        """Whether what follows a term inside one word is a glue word, an ending, or both."""
        if not rest or rest in self.glue:
            return True
        if inflects:
            for cut in (1, 2, 3):
                if len(rest) >= cut and rest[:cut] in _ENDINGS and (len(rest) == cut or rest[cut:] in self.glue):
                    return True
        return False

    def _glued(self, token: str, start: int, end: int, *, inflects: bool) -> bool:
        left, right = token[:start], token[end:]
        if not (left or right):
            return False
        return (not left or left in self.glue) and self._rest_ok(right, inflects=inflects)

    def find(self, text: str, *, context: frozenset[str] = frozenset()) -> list[Match]:
        """Every term and pattern in ``text`` (already normalised: lower case, same length as the post).

        With ``context`` (categories that only matter beside another match, like pronouns), the
        answer is ``[]`` unless something outside those categories is found: most texts have a
        pronoun, few an insult, and the pronouns are then not collected at all. Nor are the patterns
        run when no pattern outside ``context`` can match (:class:`PatternScreen`).

        The matches come in this order: phrases and stems, patterns, glued words (each in text
        order), then single words.
        """
        if context and context not in self._screens:
            self._add_screen(context)
        words = _words_of(text)
        fresh = self._fresh(words)
        present = fresh & self._single
        if present and context:
            signal = any(self.terms[w].category not in context for w in present)
        else:
            signal = bool(present)
        found = self._phrases(text, words, fresh)
        compounds = self._compounds(text, words, fresh) if self._compound is not None else []
        if context and not signal and all(m.category in context for m in found) and all(
            m.category in context for m in compounds
        ) and not self._may_find_patterns(text, fresh, context):
            return []
        found.extend(self._pattern_matches(text, 2 * MAX_MATCHES - len(found)))
        found.extend(compounds)
        if context and not signal and all(m.category in context for m in found):
            return []
        if present:
            found.extend(self._singles(text, words & self._single))
        return found

    #: Words sorted into plain and not plain, at most (the memory is emptied when full).
    WORD_MEMORY = 100_000

    def _fresh(self, words: frozenset[str]) -> frozenset[str]:
        """``words`` without those known to matter to nothing in this lexicon."""
        fresh = words - self._plain
        new = fresh - self._rich
        if new:
            if len(self._plain) + len(self._rich) >= self.WORD_MEMORY:
                self._plain.clear()
                self._rich.clear()
            for word in new:
                (self._rich if self._matters(word) else self._plain).add(word)
            fresh = fresh - self._plain
        return fresh

    def _matters(self, word: str) -> bool:
        """Whether ``word`` is a term, may start a phrase or stem, holds a glued term or matters to a screen."""
        return (
            word in self._single
            or not self._phrase_screen.inert(word)
            or (self._compound is not None and bool(self._glued_of(word)))
            or any(not screen.inert(word) for screen in self._screens.values())
        )

    def _add_screen(self, context: frozenset[str]) -> None:
        self._screens[context] = self._patterns.screen(set(self._weights) - context)
        self._plain.clear()  # sorted without this screen
        self._rich.clear()

    def _may_find_patterns(self, text: str, fresh: frozenset[str], context: frozenset[str]) -> bool:
        """Whether a pattern of a category outside ``context`` may match ``text`` (False: proven not).

        ``fresh``: the words of ``text`` that may matter (:meth:`_fresh`).
        """
        if text.lower() != text:
            return True  # the screen reads lower-case text
        return self._screens[context].may_match(text, fresh)

    def _phrases(self, text: str, words: frozenset[str], fresh: frozenset[str]) -> list[Match]:
        """Phrases and inflecting stems in ``text`` (``words``: its words, ``fresh``: those that may matter)."""
        found: list[Match] = []
        if self._words is None or not self._phrase_screen.may_match(words, fresh):
            return found
        for m in self._words.finditer(text):
            if len(found) >= 2 * MAX_MATCHES:
                break
            word = m.group(0)
            if word in self._single:
                continue  # found as a single word
            term = self._term(word)
            if term is not None:
                found.append(Match(m.start(), m.end(), m.group(0), term.category, term.weight,
                                   "variant" if term.fuzzy else "word"))
        return found

    def _pattern_matches(self, text: str, room: int) -> list[Match]:
        """The matches of the patterns, in trigger order, at most ``room`` of them."""
        found: list[Match] = []
        weights = self._weights
        low = lower_same_length(text)
        for category, start, end in self._patterns.finditer(text, None if low == text else low):
            if len(found) >= room:
                break
            found.append(Match(start, end, text[start:end], category, weights[category], "pattern"))
        return found

    def _singles(self, text: str, present: frozenset[str]) -> list[Match]:
        """Every occurrence, as a whole word, of the single-word terms ``present`` in ``text``, in text order.

        Few terms are present in a post; each is found with a search for that word alone (the engine
        skips from one occurrence of its first letters to the next), not by looking at every word.
        """
        found: list[Match] = []
        terms = self.terms
        for word in present:
            term = terms[word]
            how = "variant" if term.fuzzy else "word"
            for m in _whole_word(word).finditer(text):
                found.append(Match(m.start(), m.end(), word, term.category, term.weight, how))
                if len(found) >= 4 * MAX_MATCHES:
                    break
        if len(present) > 1:
            found.sort(key=_start)
        return found[: 4 * MAX_MATCHES]

    #: Words whose glued terms are remembered, at most (the memory is emptied when full).
    GLUED_MEMORY = 50_000

    def _glued_of(self, word: str) -> tuple[Term, ...]:
        """The terms glued inside ``word`` (remembered)."""
        return self._glued_words.get(word) or ()

    def _compounds(self, text: str, words: frozenset[str], fresh: frozenset[str]) -> list[Match]:
        """Words of ``text`` that glue a term to a glue word or another term ("eenniknok"), in text order.

        ``words``: the words of ``text``; ``fresh``: those that may matter (:meth:`_fresh`).
        """
        glued: list[tuple[str, tuple[Term, ...]]] = []
        for word in fresh - self._glued_words.inert:
            terms = self._glued_of(word)
            if terms:
                glued.append((word, terms))
        if not glued:
            return []
        if len(glued) > 1:  # in the order of the text's words, as always (it decides what a full list keeps)
            ordered = dict(glued)
            glued = [(word, ordered[word]) for word in words if word in ordered]
        found: list[Match] = []
        for word, terms in glued:
            for m in _whole_word(word).finditer(text):
                found.extend(Match(m.start(), m.end(), word, t.category, t.weight, "compound") for t in terms)
                if len(found) >= 4 * MAX_MATCHES:
                    break
        if len(glued) > 1:
            found.sort(key=_start)
        return found[: 4 * MAX_MATCHES]

    def _glued_terms(self, word: str) -> list[Term]:
        """The terms glued inside one word (a maximal run of letters), one per place a term starts."""
        found: list[Term] = []
        for m in self._compound.finditer(word):
            s, e = m.span()
            if (s == 0 or not word[s - 1].isalpha()) and (e == len(word) or not word[e].isalpha()):
                continue  # a whole word: found as a word
            ws = _LETTERS_BEFORE.search(word, max(0, s - _LONGEST), s).start()
            we = _LETTERS_AFTER.match(word, e, e + _LONGEST).end()
            if s - ws >= _LONGEST or we - e >= _LONGEST:
                continue  # no glued word is that long (and checking it would cost time)
            token = word[ws:we]
            if self._term(token) is not None:
                continue  # the whole word is a term: found as a word
            hit = m.group(0)
            # the longest term here may not be the one glued ("walgenorm" is "walg" + "enorm")
            for cut in range(len(hit), 2, -1):
                stem = hit[:cut]
                if stem not in self._compound_terms:
                    continue
                inflects = stem in self.wild
                if self._glued(token, s - ws, s - ws + cut, inflects=inflects):
                    term = self.terms.get(stem) or self.wild.get(stem)
                    if term is not None:
                        found.append(term)
                    break
        return found
