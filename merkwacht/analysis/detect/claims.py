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
sentence by sentence, when it is very sure and nothing announces, takes a stance, hedges or asks.
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


_LEADING_MENTIONS = re.compile(r"^(?:\s*@\w+)+")
_LINK = re.compile(r"https?://\S+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+")


def statement_probability(text: str) -> float | None:
    """The claims model's probability that ``text`` states a fact, or ``None`` without the model.

    The model was trained on single sentences; a post is read sentence by sentence (at least three
    words each, leading @-mentions and links left out) and states a fact when one of its sentences
    does: ``1 - prod(1 - p_sentence)``.
    """
    model = load("claims")
    if model is None:
        return None
    body = _LEADING_MENTIONS.sub(" ", text) if text.lstrip().startswith("@") else text
    if "http" in body:
        body = _LINK.sub(" ", body)
    parts = [s for s in _SENTENCE_BREAK.split(body) if len(s.split()) >= 3] or [body]
    rest = 1.0
    for part in parts:
        rest *= 1.0 - model.probability(part)
    return 1.0 - rest


def _model_probability(text: str) -> float | None:
    return statement_probability(text)


def find_claim(text: str, *, lang: str | None = None, use_model: bool = True, model_alone: bool = True
               ) -> Claim | None:
    """The strongest factual claim in ``text``, or ``None`` when it makes none.

    With ``use_model`` the shipped claims model confirms weak signals (a bare number); with
    ``model_alone`` too it may, when very sure (:data:`MODEL_ALONE`), find a claim in a text whose
    signals do not make one and that neither announces, takes a stance, hedges nor asks (the rule
    turns this off for replies, which answer with practical facts). A pure function of its arguments: the answers for recent short texts are
    remembered, so a repeated text costs a look-up.
    """
    if len(text) > CACHE_TEXT_LIMIT:
        return _find_claim(text, lang, use_model, model_alone)
    return _find_claim_cached(text, lang, use_model, model_alone)


@lru_cache(maxsize=8192)
def _find_claim_cached(text: str, lang: str | None, use_model: bool, model_alone: bool) -> Claim | None:
    return _find_claim(text, lang, use_model, model_alone)


def code_of(lang: str | None) -> str | None:
    """The claims language for a post's language code: ``nl``, ``en`` or ``None`` (unknown)."""
    return lang if lang in LANGUAGES else "nl" if lang in DUTCH_LIKE else None


def _find_claim(text: str, lang: str | None, use_model: bool, model_alone: bool) -> Claim | None:
    if not text or not text.strip():
        return None
    langs = (lang,) if lang in LANGUAGES else ("nl",) if lang in DUTCH_LIKE else LANGUAGES
    low = text.lower()
    matches = []
    for code in langs:
        matches.extend(claim_lexicon(code).find(low))
    found = {m.category for m in matches}
    # a day or a time is a date in a news post, an announcement when the organisation speaks as "we"
    announcing = "announce" in found or ("when" in found and "self" in found)
    cache: list[float | None] = []

    def probability() -> float | None:  # the model runs only when a decision needs it
        if not cache:
            cache.append(_model_probability(text) if use_model else None)
        return cache[0]

    def alone() -> Claim | None:
        """The model's own claim: a post it reads as factual that neither announces, takes a stance, hedges nor asks."""
        if not (use_model and model_alone) or announcing or "stance" in found or "hedge" in found:
            return None
        if text.rstrip().endswith("?"):
            return None
        p = probability()
        if p is None or p < MODEL_ALONE.get(code_of(lang), max(MODEL_ALONE.values())):
            return None
        return Claim(0, len(text.rstrip()), 0.5, "statement", "")

    if not any(m.category in _SIGNALS for m in matches):
        return alone()
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
        return alone()
    n = sentences.of(best.start)
    if len(kinds.get(n, ())) > 1:
        best = Claim(best.start, best.end, min(1.0, best.score + 0.1), best.category, best.signal)
    if best.score < 0.5:
        return alone() or best
    return best
