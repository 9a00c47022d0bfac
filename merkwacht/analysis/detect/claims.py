"""Factual claims and their sources: what the missing_source rule looks for.

A claim is a statement that can be checked: a statistic ("60% leest nooit"), a research finding
("uit onderzoek blijkt", "researchers have shown that"), a comparison, trend or ranking
("gemiddeld drie maanden sneller", "the best in Europe") or words attributed to someone. Signals
come from ``data/claims/<lang>.txt``; named sources ("volgens het CBS", "published in Nature",
"(bron: ...)") from ``data/claims/sources.txt``. Questions, hedged opinions ("ik denk") and
announcements ("Solliciteer voor 1 juli", "closed on Monday", "tuition will rise by 5%") weaken a
signal, because an organisation's own practical facts are not claims that need a source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from .lexicon import Lexicon, data_text
from .linear import load
from .quotes import Sentences

LANGUAGES = ("nl", "en")
#: Close relatives that a language identifier may report for short Dutch posts: read them as Dutch.
DUTCH_LIKE = frozenset({"af", "fy", "li"})
_SIGNALS = frozenset({"figure", "research", "compare", "quote", "number"})
#: Signals that alone may also be an announcement or a practical fact (a bare number): they count only when the
#: claims model (detect/linear.py, "claims") also reads the sentence as a factual statement.
_WEAK = frozenset({"number"})
#: The model alone makes a claim of a post only when it is this sure and nothing announces or hedges.
MODEL_ALONE = 0.9
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
    return Lexicon(data_text(f"claims/{lang}.txt"))


@cache
def source_lexicon() -> Lexicon:
    return Lexicon(data_text("claims/sources.txt"))


#: Texts up to this many characters are remembered (8,192 at most): template posts and reposts repeat.
CACHE_TEXT_LIMIT = 2000


def named_source(text: str, extra: tuple[str, ...] = ()) -> str | None:
    """The named source a text gives ("volgens het CBS", "(bron: ...)", "in Nature"), if any."""
    if len(text) > CACHE_TEXT_LIMIT:
        return _named_source(text, extra)
    return _named_source_cached(text, extra)


@lru_cache(maxsize=4096)
def _named_source_cached(text: str, extra: tuple[str, ...]) -> str | None:
    return _named_source(text, extra)


def _named_source(text: str, extra: tuple[str, ...]) -> str | None:
    found = source_lexicon().find(text)
    if found:
        return text[found[0].start : found[0].end]
    low = text.lower()
    for name in extra:
        if name and name.lower() in low:
            return name
    return None


def _sentence_span(text: str, sentences: Sentences, n: int) -> tuple[int, int]:
    start = sentences.ends[n - 1] if n > 0 else 0
    end = sentences.ends[n] if n < len(sentences.ends) else len(text)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _model_probability(text: str) -> float | None:
    model = load("claims")
    return None if model is None else model.probability(text)


def find_claim(text: str, *, lang: str | None = None, use_model: bool = True, model_alone: bool = True
               ) -> Claim | None:
    """The strongest factual claim in ``text``, or ``None`` when it makes none.

    With ``use_model`` the shipped claims model confirms weak signals (a bare number); with
    ``model_alone`` too it may, when very sure, find a claim without any signal in a text that
    neither announces, hedges nor asks (the rule turns this off for replies, which answer with
    practical facts). A pure function of its arguments: the answers for recent short texts are
    remembered, so a repeated text costs a look-up.
    """
    if len(text) > CACHE_TEXT_LIMIT:
        return _find_claim(text, lang, use_model, model_alone)
    return _find_claim_cached(text, lang, use_model, model_alone)


@lru_cache(maxsize=8192)
def _find_claim_cached(text: str, lang: str | None, use_model: bool, model_alone: bool) -> Claim | None:
    return _find_claim(text, lang, use_model, model_alone)


def _find_claim(text: str, lang: str | None, use_model: bool, model_alone: bool) -> Claim | None:
    if not text or not text.strip():
        return None
    langs = (lang,) if lang in LANGUAGES else ("nl",) if lang in DUTCH_LIKE else LANGUAGES
    low = text.lower()
    matches = []
    for code in langs:
        matches.extend(claim_lexicon(code).find(low))
    announcing = any(m.category == "announce" for m in matches)
    cache: list[float | None] = []

    def probability() -> float | None:  # the model runs only when a decision needs it
        if not cache:
            cache.append(_model_probability(text) if use_model else None)
        return cache[0]

    if not any(m.category in _SIGNALS for m in matches):
        if (
            use_model and model_alone and not announcing and (p := probability()) is not None
            and p >= MODEL_ALONE
            and not any(m.category == "hedge" for m in matches) and not text.rstrip().endswith("?")
        ):
            s, e = _sentence_span(text, Sentences(text), 0)
            return Claim(0, len(text.rstrip()), 0.5, "statement", "")
        return None
    labels = [(m.start, m.end) for m in matches if m.category == "label"]
    if labels:  # "blok 3", "room 1.12": a number that names something, not a count
        matches = [m for m in matches if not (m.category == "number" and any(s <= m.start < e for s, e in labels))]
    sentences = Sentences(text)
    hedged = {sentences.of(m.start) for m in matches if m.category == "hedge"}
    best: Claim | None = None
    kinds: dict[int, set[str]] = {}
    for m in matches:
        if m.category not in _SIGNALS:
            continue
        n = sentences.of(m.start)
        s, e = _sentence_span(text, sentences, n)
        if text[s:e].rstrip().endswith("?"):
            continue
        score = m.weight
        if n in hedged:
            score *= 0.7
        if announcing and m.category != "research":
            score *= 0.5
        if m.category in _WEAK and score >= 0.5 and (p := probability()) is not None and p < 0.5:
            score *= 0.8
        kinds.setdefault(n, set()).add(m.category)
        if best is None or score > best.score:
            best = Claim(s, e, score, m.category, low[m.start : m.end])
    if best is None:
        return None
    n = sentences.of(best.start)
    if len(kinds.get(n, ())) > 1:
        best = Claim(best.start, best.end, min(1.0, best.score + 0.1), best.category, best.signal)
    return best
