"""Factual claims and their sources: what the missing_source rule looks for.

A claim is a statement that can be checked: a statistic ("60% leest nooit"), a research finding
("uit onderzoek blijkt", "researchers have shown that"), a comparison, trend or ranking
("gemiddeld drie maanden sneller", "the best in Europe") or words attributed to someone. Signals
come from ``data/claims/<lang>.txt``; named sources ("volgens het CBS", "published in Nature",
"(bron: ...)") from ``data/claims/sources.txt``. Questions, hedged opinions ("ik denk") and
announcements ("Solliciteer voor 1 juli", "we open on Monday", "tuition will rise by 5%") weaken a
signal, because an organisation's own practical facts are not claims that need a source. A day or
a time announces only when the organisation speaks as "we" ("vandaag 40 nieuwe gevallen" is a
dated fact); a stance ("steunt", "welcomes") is an opinion, for unapproved_statement.

Without any signal the claims model (detect/linear.py) may make a claim of a post on its own, read
sentence by sentence, when it is very sure and nothing announces, takes a stance, hedges or asks, and
no sentence tells the reader what to do ("Zwem hier niet", "Use the ramp instead"): a service notice or
a tip, whose other sentences are practical facts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from itertools import islice

from .lexicon import MAX_MATCHES, Lexicon, data_text
from .lexicon import _lines as _data_lines  # the data files' lines, read as the lexicon reads them
from ..textfeatures import remember_short_texts
from .linear import load
from .quotes import Sentences
from .trie import WILDCARD, trie_regex
from .textnorm import lower_same_length
from .triggers import TriggeredPatterns, words_of

LANGUAGES = ("nl", "en")
#: Close relatives that a language identifier may report for short Dutch posts: read them as Dutch.
DUTCH_LIKE = frozenset({"af", "fy", "li"})
_SIGNALS = frozenset({"figure", "research", "compare", "quote", "number", "compare_weak"})
#: A stance or a hedge: an opinion, which the model alone does not make a claim of.
_OPINION = frozenset({"stance", "hedge"})
#: Signals that alone may also be an announcement, a practical fact (a bare number) or an opinion (comparisons
#: said as often of opinions as of facts: "more heat than light"): they count only when the claims model
#: (detect/linear.py, "claims") also reads the sentence as a factual statement.
_WEAK = frozenset({"number", "compare_weak"})
#: The kind a signal is reported and counted as: a weak comparison is a comparison that needs the model.
_KIND = {"compare_weak": "compare"}
#: The model alone makes a claim of a post only when it is this sure and nothing announces, takes a stance,
#: hedges or asks. The Dutch half of the model learned "factual" (FactRank: FR/FNR), which includes an
#: organisation's practical facts, so it must be very sure; the English half learned the stricter
#: "check-worthy factual" (ClaimBuster: CFS, the unimportant factual sentences are negatives), so its
#: probabilities run lower for any factual statement. An unknown language takes the stricter value.
MODEL_ALONE = {"nl": 0.9, "en": 0.6}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Claim:
    """The strongest claim in a text: its sentence, the signal inside it, and how sure."""

    start: int
    end: int
    score: float
    category: str
    signal: str


@cache
def claim_lexicon(lang: str) -> Lexicon:
    """The claims data file of ``lang`` as a lexicon: the definition of what :func:`find_claim` reads."""
    return Lexicon(data_text(f"claims/{lang}.txt"))


@cache
def source_lexicon() -> Lexicon:
    """The named sources (``data/claims/sources.txt``) as a lexicon: what :func:`named_source` reads."""
    return Lexicon(data_text("claims/sources.txt"))


#: Categories of which :func:`find_claim` asks only whether a text holds them, never where.
_PRESENCE = frozenset({"announce", "when", "self", "stance", "instruct"})
_LETTER = r"[^\W\d_]"
_PLAIN_WORD = re.compile(rf"{_LETTER}+")  # a term that is one plain word
def _lower_for_patterns(text: str) -> str | None:
    """``text`` in lower case, of the same length, for the triggers (as the lexicon makes it); ``None`` when
    ``text`` is lower case already."""
    low = lower_same_length(text)
    return None if low == text else low


class _LexiconData:
    """A lexicon data file read for one purpose: its patterns in one pass, its terms only as "present or not".

    :class:`.Lexicon` answers every term and pattern with its place. The claims rules need the place of
    patterns only: the terms of the claims files ("vandaag", "we") say whether a post announces, which
    needs only whether one occurs, and the word set of the text answers that without a search per word.
    The patterns run through the same :class:`.TriggeredPatterns` as in the lexicon (same order, same
    matches). A file with anything else (a term whose place matters, inflecting or glued terms) is
    answered by the lexicon itself (``exact`` is False), and so is a text long enough for the lexicon's
    bound on matches (:data:`.MAX_MATCHES`) to cut its answer.
    """

    def __init__(self, text: str):
        sources: dict[str, list[str]] = {}
        self.weights: dict[str, float] = {}
        terms: dict[str, str] = {}
        category, weight, flagged, flagged_terms = "term", 0.5, False, False
        for line in _data_lines(text):
            if line.startswith("[") and line.endswith("]"):
                parts = line[1:-1].split()
                category, weight, flagged = parts[0], float(parts[1]), len(parts) > 2
                continue
            if line.startswith("re:"):
                sources.setdefault(category, []).append(line[3:].strip())
                self.weights[category] = weight
                continue
            terms[line.lower()] = category
            flagged_terms = flagged_terms or flagged  # fuzzy or glued terms: only the lexicon reads those
        self.patterns = TriggeredPatterns([(c, p) for c, parts in sources.items() for p in parts])
        words = {t: c for t, c in terms.items() if _PLAIN_WORD.fullmatch(t)}
        phrases = {t: c for t, c in terms.items() if t not in words}
        self.term_categories = frozenset(terms.values())
        self._words_of = {c: frozenset(t for t, tc in words.items() if tc == c) for c in self.term_categories}
        self._phrases_of = {c: tuple(t for t, tc in phrases.items() if tc == c) for c in self.term_categories}
        self.exact = (
            not flagged_terms
            and self.term_categories <= _PRESENCE
            and not any(t.endswith(WILDCARD) for t in terms)
        )
        # as the lexicon finds them: one trie pattern, after a word boundary, not followed by a letter
        self.phrases = re.compile(rf"\b(?:{trie_regex(list(phrases))})(?!{_LETTER})") if phrases else None
        self._phrase_categories = phrases
        # the lexicon keeps at most so many matches (patterns and phrases; plain words): a text that might
        # reach a bound is left to it
        self._shortest_phrase = min(map(len, phrases), default=0)
        self._shortest_word = min(map(len, words), default=0)

    def pattern_matches(self, text: str) -> list[tuple[str, int, int, float]] | None:
        """(category, start, end, weight) of every pattern in ``text``, in the lexicon's order;
        ``None`` when the lexicon would have cut its answer short (or may have: then ask it)."""
        limit = 2 * MAX_MATCHES
        if self._shortest_phrase:
            limit -= len(text) // self._shortest_phrase  # phrases, found before the patterns, count too
        if self._shortest_word and len(text) >= (self._shortest_word + 1) * 4 * MAX_MATCHES - 1:
            return None  # enough room for the lexicon to cut its list of plain words short
        if limit <= 0:
            return None
        weights = self.weights
        matches = islice(self.patterns.finditer(text, _lower_for_patterns(text)), limit)
        found = [(category, start, end, weights[category]) for category, start, end in matches]
        return None if len(found) >= limit else found

    def first_pattern(self, text: str) -> tuple[int, int] | None:
        """Where the first pattern the lexicon lists for ``text`` is."""
        for _, start, end in self.patterns.finditer(text, _lower_for_patterns(text)):
            return start, end
        return None

    def holds_term(self, low: str, category: str, words: Callable[[], frozenset[str]]) -> bool:
        """Whether ``low`` (lower case) holds a term of ``category`` as a whole word or phrase.

        A term that is not even a substring of ``low`` is not there: only when one is, are the words of
        ``low`` (``words()``, computed once per text) or the phrases looked at.
        """
        plain = self._words_of.get(category)
        if plain and any(map(low.__contains__, plain)) and not words().isdisjoint(plain):
            return True
        phrases = self._phrases_of.get(category)
        if phrases and any(map(low.__contains__, phrases)):
            return any(self._phrase_categories.get(m.group(0)) == category
                       for m in self.phrases.finditer(low))
        return False


@cache
def _claim_data(lang: str) -> _LexiconData:
    return _LexiconData(data_text(f"claims/{lang}.txt"))


@cache
def _source_data() -> _LexiconData:
    return _LexiconData(data_text("claims/sources.txt"))


class _Found:
    """The categories a text holds: those of its patterns at once, those of its terms only when asked."""

    __slots__ = ("_data", "_held", "_later", "_low", "_patterns", "_words")

    def __init__(self, patterns: set[str], low: str = "", data: tuple[_LexiconData, ...] = (),
                 later: frozenset[str] = frozenset()):
        self._patterns = patterns
        self._low = low
        self._data = data
        self._later = later  # the categories the terms of ``data`` may add
        self._held: dict[str, bool] = {}
        self._words: frozenset[str] | None = None

    def _text_words(self) -> frozenset[str]:
        if self._words is None:
            self._words = words_of(self._low)
        return self._words

    def __contains__(self, category: str) -> bool:
        if category in self._patterns:
            return True
        if category not in self._later:
            return False
        held = self._held.get(category)
        if held is None:
            held = any(d.holds_term(self._low, category, self._text_words) for d in self._data)
            self._held[category] = held
        return held

    def any_of(self, categories: frozenset[str]) -> bool:
        """Whether the text holds one of ``categories``."""
        if not self._patterns.isdisjoint(categories):
            return True
        return not self._later.isdisjoint(categories) and any(c in self for c in categories)


@cache
def _claims_of(langs: tuple[str, ...]) -> tuple[tuple[_LexiconData, ...], bool, frozenset[str]]:
    """The claims data of ``langs``, whether all of it is read without the lexicons, and the categories of
    its terms."""
    data = tuple(_claim_data(code) for code in langs)
    return data, all(d.exact for d in data), frozenset().union(*(d.term_categories for d in data))


def _claim_matches(low: str, langs: tuple[str, ...]) -> tuple[list[tuple[str, int, int, float]], _Found]:
    """The pattern matches (category, start, end, weight) in ``low`` of the claims files of ``langs``, in the
    lexicons' order, and the categories ``low`` holds."""
    data, exact, later = _claims_of(langs)
    if exact:
        matches: list[tuple[str, int, int, float]] = []
        for d in data:
            found = d.pattern_matches(low)
            if found is None:
                break
            matches.extend(found)
        else:
            return matches, _Found({m[0] for m in matches}, low, data, later)
    matches = [(m.category, m.start, m.end, m.weight)
               for code in langs for m in claim_lexicon(code).find(low)]
    return matches, _Found({m[0] for m in matches})


def named_source(text: str, extra: tuple[str, ...] = ()) -> str | None:
    """The named source a text gives ("volgens het CBS", "(bron: ...)", "in Nature"), if any (remembered
    for recent short texts)."""
    return _named_source_cached(text, extra)


def _named_source(text: str, extra: tuple[str, ...]) -> str | None:
    data = _source_data()
    if data.exact and not data.term_categories:  # the first pattern is the lexicon's first match
        span = data.first_pattern(text)
    else:
        found = source_lexicon().find(text)
        span = (found[0].start, found[0].end) if found else None
    if span is not None:
        return text[span[0] : span[1]]
    low = text.lower()
    for name in extra:
        if name and name.lower() in low:
            return name
    return None


#: The named source of the 4,096 most recent short texts (long texts are not kept).
_named_source_cached = remember_short_texts(maxsize=4096)(_named_source)


def _sentence_span(text: str, sentences: Sentences, n: int) -> tuple[int, int]:
    start = sentences.ends[n - 1] if n > 0 else 0
    end = sentences.ends[n] if n < len(sentences.ends) else len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


_LEADING_MENTIONS = re.compile(r"^(?:\s*@\w+)+")
_LINK = re.compile(r"https?://\S+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+")
# The same breaks found from the white space on: a white-space character after . ! ? or ; and the white
# space after it, or a run of line breaks. The regex engine then skips from one white-space character
# to the next instead of trying the look-behind at every position (twice as fast; a test checks both agree).
_SENTENCE_BREAK_FAST = re.compile(r"\s(?:(?<=[.!?;]\s)\s*|(?<=\n)\n*)")


def _model_sentences(text: str) -> list[str]:
    """What the claims model reads of a post: its sentences of at least three words (leading @-mentions
    and links left out), or the whole text when it has none."""
    body = _LEADING_MENTIONS.sub(" ", text) if text.lstrip().startswith("@") else text
    if "http" in body:
        body = _LINK.sub(" ", body)
    return [s for s in _SENTENCE_BREAK_FAST.split(body) if len(s.split()) >= 3] or [body]


def statement_probability(text: str) -> float | None:
    """The claims model's probability that ``text`` states a fact, or ``None`` without the model.

    The model was trained on single sentences; a post is read sentence by sentence (at least three
    words each, leading @-mentions and links left out) and states a fact when one of its sentences
    does: ``1 - prod(1 - p_sentence)``.
    """
    model = load("claims")
    if model is None:
        return None
    rest = 1.0
    for part in _model_sentences(text):
        rest *= 1.0 - model.probability(part)
    return 1.0 - rest


class _Reading:
    """:func:`statement_probability` of one text, read sentence by sentence only as far as a question needs.

    The rule only asks whether the probability reaches a threshold. ``1 - prod(1 - p)`` never falls
    as sentences are added (each factor lies in [0, 1], and rounding keeps that order), so once it
    reaches a threshold the answer is known: the remaining sentences are read only if a later
    question asks for a higher one. The products are taken in the same order as there, so every
    answer is the one the full probability gives.
    """

    __slots__ = ("_parts", "_rest", "_text")

    def __init__(self, text: str):
        self._text = text
        self._parts: Iterator[str] | None = None
        self._rest = 1.0

    def at_least(self, threshold: float) -> bool | None:
        """Whether the probability is ``threshold`` or more; ``None`` without the model."""
        model = load("claims")
        if model is None:
            return None
        if self._parts is None:
            self._parts = iter(_model_sentences(self._text))
        rest = self._rest
        while 1.0 - rest < threshold:
            part = next(self._parts, None)
            if part is None:
                return False
            rest *= 1.0 - model.probability(part)
            self._rest = rest
        return True


_DIGITS = re.compile(r"\d")


def _without_labelled_numbers(text: str, matches: list[tuple[str, int, int, float]]) -> str:
    """``text`` with the digits of its labelled numbers left out: a room, a route, a price, a clock time or a
    phone number says nothing about whether the sentence states a checkable fact, so the claims model does
    not see them as figures."""
    spans = [(start, end) for category, start, end, _ in matches if category == "label"]
    if not spans:
        return text
    parts, last = [], 0
    for start, end in sorted(spans):
        start = max(start, last)
        parts.append(text[last:start])
        parts.append(_DIGITS.sub("", text[start:end]))
        last = max(last, end)
    parts.append(text[last:])
    return "".join(parts)


def find_claim(text: str, *, lang: str | None = None, use_model: bool = True, model_alone: bool = True,
               alone_threshold: float | None = None) -> Claim | None:
    """The strongest factual claim in ``text``, or ``None`` when it makes none.

    With ``use_model`` the shipped claims model confirms weak signals (a bare number); with
    ``model_alone`` too it may, when very sure (:data:`MODEL_ALONE`), find a claim in a text whose
    signals do not make one and that neither announces, takes a stance, hedges nor asks (the rule
    turns this off for replies, which answer with practical facts). ``alone_threshold`` replaces that
    certainty (a pack's ``statement_threshold``). A pure function of its arguments: the answers for
    recent short texts are remembered, so a repeated text costs a look-up.
    """
    return _find_claim_cached(text, lang, use_model, model_alone, alone_threshold)


def code_of(lang: str | None) -> str | None:
    """The claims language for a post's language code: ``nl``, ``en`` or ``None`` (unknown)."""
    return lang if lang in LANGUAGES else "nl" if lang in DUTCH_LIKE else None


def _find_claim(text: str, lang: str | None, use_model: bool, model_alone: bool,
                alone_threshold: float | None = None) -> Claim | None:
    if not text or not text.strip():
        return None
    langs = (lang,) if lang in LANGUAGES else ("nl",) if lang in DUTCH_LIKE else LANGUAGES
    low = text.lower()
    matches, found = _claim_matches(low, langs)
    # the model runs only when a decision needs it, and reads labelled numbers (prices, times) without digits
    reading = _Reading(_without_labelled_numbers(text, matches)) if use_model else None
    if alone_threshold is None:
        alone_threshold = MODEL_ALONE.get(code_of(lang), max(MODEL_ALONE.values()))

    def announcing() -> bool:
        # a day or a time is a date in a news post, an announcement when the organisation speaks as "we"
        return "announce" in found or ("when" in found and "self" in found)

    def alone() -> Claim | None:
        """The model's own claim: a post it reads as factual that neither announces, takes a stance, hedges, asks
        nor tells the reader what to do."""
        if reading is None or not model_alone or found.any_of(_OPINION):
            return None
        if text.rstrip().endswith("?") or announcing() or "instruct" in found:
            return None
        if not reading.at_least(alone_threshold):
            return None
        return Claim(0, len(text.rstrip()), 0.5, "statement", "")

    if not found.any_of(_SIGNALS):
        return alone()
    best = _strongest(text, low, matches, announcing(), reading)
    if best is None:
        return alone()
    if best.score < 0.5:
        return alone() or best
    return best


#: The claims of the 8,192 most recent short texts (long texts are not kept).
_find_claim_cached = remember_short_texts(maxsize=8192)(_find_claim)


def _strongest(text: str, low: str, matches: list[tuple[str, int, int, float]], announcing: bool,
               reading: _Reading | None) -> Claim | None:
    """The highest-scoring signal in a sentence that does not ask (the first of equals), scored in its
    context: hedged sentences and announcing posts weaken it, a weak signal needs the model, and a second
    kind of signal in its sentence strengthens it."""
    labels = [(start, end) for category, start, end, _ in matches if category == "label"]
    if labels:  # "blok 3", "room 1.12": a number that names something, not a count
        matches = [m for m in matches if not (m[0] == "number" and any(s <= m[1] < e for s, e in labels))]
    sentences = Sentences(text)
    hedged = {sentences.of(start) for category, start, _, _ in matches if category == "hedge"}
    telling = {sentences.of(start) for category, start, _, _ in matches if category == "fact_question"}
    spans: dict[int, tuple[int, int] | None] = {}  # sentence -> its span, None when it asks
    best: tuple[str, int, int, float] | None = None
    best_score = 0.0
    best_n = -1
    kinds: dict[int, set[str]] = {}
    for m in matches:
        category, start, _, score = m
        if category not in _SIGNALS:
            continue
        n = sentences.of(start)
        if n not in spans:
            s, e = _sentence_span(text, sentences, n)
            asks = text[s:e].rstrip().endswith("?") and n not in telling  # "Wist u dat ...?" tells
            spans[n] = None if asks else (s, e)
        if spans[n] is None:
            continue
        if n in hedged:
            score *= 0.7
        if announcing and category != "research":
            score *= 0.5
        # a weak signal asks the model, unless it cannot become the best one anyway (not even unweakened)
        if (category in _WEAK and score >= 0.5 and (best is None or score > best_score)
                and reading is not None and reading.at_least(0.5) is False):
            score *= 0.8
        kinds.setdefault(n, set()).add(_KIND.get(category, category))
        if best is None or score > best_score:
            best, best_score, best_n = m, score, n
    if best is None:
        return None
    s, e = spans[best_n]
    if len(kinds.get(sentences.of(s), ())) > 1:  # the sentence its span starts in
        best_score = min(1.0, best_score + 0.1)
    return Claim(s, e, best_score, _KIND.get(best[0], best[0]), low[best[1] : best[2]])
