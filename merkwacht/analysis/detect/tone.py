"""Off-tone language: insults, slurs, obscenity, threats, hateful generalisations, condescension, brush-offs.

The detector works on the normalised text (see :mod:`.textnorm`), finds lexicon terms and patterns
(``data/off_tone/*.txt``) and then weighs them in context:

- words inside quotation marks are someone else's words (a quoted headline, a quoted insult), except a
  slur or vulgar name-calling, which the post puts before its audience again: that is reviewed at a
  lower score, unless the post condemns it anywhere ("... accepteren we niet");
- counter-speech ("stop calling", "racism", "niet oké") switches a sentence off; reporting ("zeggen dat",
  "noemen", "he said") too, except for obscenity, which stays obscene when reported;
- negation ("ik haat niemand", "zijn niet dom") switches hateful verbs and attributes off;
- a negative attribute ("walgelijk", "stupid") only counts when said of a person or group in the
  same sentence; a degrading one ("een plaag", "a virus") only when said of a protected group;
- words that are just as often said of things ("afval", "irritant", "pijn doen") and weak violence only
  count when a person is named close by, in the same clause: "gooi je afval in de bak" and "irritant als
  je trein vertraagd is" are about the waste and the train;
- a brush-off ("Boeien.", "Whatever.") counts only when it is the whole reply; so does a negative attribute
  with nobody named ("Disgusting.", "Pathetic!"): as the whole reply it is said of what was answered;
- a judging word right before "dat"/"that" judges a deed, not a person, unless a person is named before
  it ("walgelijk dat iemand dit deed" is fine, "jij bent walgelijk dat je dit zegt" is not);
- a word used as a hashtag ("#idioten", "#morons") labels a topic; it is not said to anyone;
- an insult or belittling word right after the writer speaks of themself ("we zijn ook maar sukkels",
  "I'm such an idiot") is self-mockery, unless another person is named in between.

Words that only look bad are not in the lexicons (``kanker`` the disease is not; ``kankerlijer`` is),
and a term inside a longer word only counts when the rest is a glue word (see :mod:`.lexicon`).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

from .lexicon import Lexicon, Match, data_text, word_set
from .quotes import Sentences, inside, quoted_spans
from .textnorm import normalise
from .triggers import words_of

LANGUAGES = ("nl", "en")
#: Close relatives that a language identifier may report for short Dutch posts: read them as Dutch.
DUTCH_LIKE = frozenset({"af", "fy", "li"})
_ALONE = frozenset({"slur", "insult", "vulgar", "profanity", "threat", "condescend", "stereotype"})
_NEEDS_PERSON = frozenset({"neg_attr", "neg_attr_near", "violence_weak", "hate_verb"})
#: Categories that count only with a person named close by ("jij bent zo irritant", not "irritant als je
#: trein vertraagd is"): words as often said of things, and weak violence ("pijn doen", "vernietigen").
_NEEDS_NEAR = frozenset({"neg_attr_near", "violence_weak"})
#: At most this many words between the person and such a word, with no clause break between them.
_NEAR_WORDS = 6
#: A comma, semicolon or colon, or a word that opens another clause ("irritant als je trein vertraagd is";
#: not the comparing "als": "zo smerig als deze mensen", "zich als ongedierte gedragen"; not "nothing but").
_CLAUSE_BREAK = re.compile(
    r"[,;:]|\bals\s+(?:je|jij|u|we|wij|ze|zij|hij|het|er|men)\s+\w"
    r"|\b(?:wanneer|omdat|doordat|terwijl|zodat|maar|want|when|if|because|while|whereas)\b"
    r"|(?<!nothing\s)(?<!anything\s)\bbut\b"
)
#: A possessive right before the word makes it a thing of the person, not said of them ("je afval").
_POSSESSIVES = frozenset({"je", "jouw", "jullie", "uw", "hun", "haar", "zijn", "your", "their", "his", "her"})
_PREPOSITIONS = frozenset({
    "in", "op", "aan", "van", "met", "voor", "bij", "uit", "naar", "om", "over", "onder", "tegen", "door",
    "on", "at", "to", "for", "with", "from", "of", "about", "by",
})
_NEEDS_GROUP = frozenset({"group_attr"})
_NEGATABLE = frozenset({
    "hate_verb", "neg_attr", "neg_attr_near", "group_attr", "violence_weak", "threat", "condescend", "stereotype",
})
_CONTEXT = frozenset({"identity", "person", "negation", "counter", "reporting", "name", "self", "speech", "history", "wish"})
#: Violence told as history in the past passive ("werden vervolgd en vermoord", "were deported") is narration,
#: unless the sentence wishes it before the word ("Ik wou dat ze werden doodgeschoten").
_NARRATABLE = frozenset({"threat", "hate_verb", "violence_weak"})
#: What the lexicons only collect beside something else (context, and mild words that never count alone).
_LEXICON_CONTEXT = _CONTEXT | {"mild"}
#: Categories that reporting ("zei dat", "said") does not switch off.
_SURVIVES_REPORTING = frozenset({"profanity"})
#: Categories that still count inside quotation marks, at :data:`QUOTED_SCORE`: a slur or a vulgar
#: name-calling repeated in a post ("De trol noemde hem een „vuile klootzak”") is put before the
#: audience again, unless the post condemns it anywhere (counter-speech: "Wij accepteren niet dat
#: onze conducteur werd uitgemaakt voor „klootzak”"). Quoted insults, threats and obscenities stay
#: the quoted person's words (HateCheck's and MHC's counter-quotes, reviews that quote a complaint).
_QUOTED_COUNT = frozenset({"slur", "vulgar"})
#: The score of a slur or vulgar word inside quotation marks: enough to be reviewed, below a word
#: the brand uses itself.
QUOTED_SCORE = 0.6
#: Categories that self-mockery ("ik ben ook een sukkel") switches off (not obscene words, which stay
#: obscene, nor feelings like "disgusted", which are the writer's own).
_SELF_DIRECTED = frozenset({"insult"})
#: How far (characters) after the writer's "ik ben", "I'm" an insult still describes the writer.
_SELF_REACH = 30
_STRIP = re.compile(r"https?://\S+|[@#]\w+|[^\w\s']+", re.UNICODE)
_SPACES = re.compile(r"\s+")
#: "dat"/"that" right after a judging word opens the clause it judges ("disgusting that someone ...").
_JUDGES_CLAUSE = re.compile(r"\s+(?:dat|that)\b")


@dataclass(frozen=True, slots=True)
class ToneHit:
    start: int
    end: int
    category: str
    score: float
    term: str


@cache
def lexicon(lang: str) -> Lexicon:
    """The compiled off-tone lexicon of one language (built once per process)."""
    return Lexicon(
        data_text(f"off_tone/{lang}.txt"),
        variants=data_text(f"off_tone/{lang}.txt.variants"),
        glue=word_set(f"off_tone/glue_{lang}.txt"),
    )


@cache
def _whole_reply_words(lang: str) -> dict[str, tuple[str, float]]:
    """What a reply may not be on its own, with its category and score: a brush-off ("Boeien.",
    "Whatever.") and a negative attribute ("Disgusting.", "Pathetic!"), which as the whole reply is said
    of what was answered even with nobody named -- except words that alone are a feeling, sympathy or
    an exclamation (``off_tone/not_contempt_<lang>.txt``: "Rats!", "Schande!")."""
    not_contempt = word_set(f"off_tone/not_contempt_{lang}.txt")
    found: dict[str, tuple[str, float]] = {}
    for term, entry in lexicon(lang).terms.items():
        if entry.fuzzy:
            continue
        if entry.category == "dismissive":
            found[term] = ("dismissive", entry.weight)
        elif entry.category in ("neg_attr", "neg_attr_near") and " " not in term and term not in not_contempt:
            found[term] = ("neg_attr", 0.6)
    return found


def _brush_off(text: str, langs: tuple[str, ...]) -> ToneHit | None:
    if len(text) > 60:
        return None
    words = _SPACES.sub(" ", _STRIP.sub(" ", text.lower())).strip()
    if not words:
        return None
    for lang in langs:
        found = _whole_reply_words(lang).get(words)
        if found is not None:
            stripped = text.strip()
            start = text.find(stripped)
            return ToneHit(start, start + len(stripped), found[0], found[1], words)
    return None


#: The score of an obscenity that the reply only repeats from the post it answers (below the default
#: threshold of 0.5: reported only when a pack sets a lower one).
ECHO_SCORE = 0.45


def _echoed(term: str, answered: str) -> bool:
    low = normalise(answered).text
    return re.search(rf"(?<![^\W\d_]){re.escape(term.strip())}(?![^\W\d_])", low) is not None


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    i = bisect_right(spans, (start, float("inf"))) - 1
    return any(s < end and start < e for s, e in spans[max(i, 0) : i + 2])


def _proper_noun(text: str, start: int, sentences: Sentences) -> bool:
    """A capitalised word that does not open its sentence: a name, not an obfuscated insult."""
    if not text[start : start + 1].isupper():
        return False
    n = sentences.of(start)
    opening = sentences.ends[n - 1] if n > 0 else 0
    return bool(text[opening:start].strip())


#: "je"/"u" right after a verb that opens the clause is its subject, the reader who does something
#: ("Hoe kun je vertrouwelijke documenten vernietigen?", "Dan moet je het afval dumpen"), not the one it is
#: done to; after "ik ga", "we zullen" it is the object ("ik ga je pijn doen").
_INVERTED_SUBJECT = re.compile(
    r"(?:^|[^\w\s]\s*|\b(?!(?:ik|we|wij|ze|zij|hij|men|jullie|iemand|die|dat)\b)\w+\s+)"
    r"(?:kun|kan|mag|moet|wil|ga|zou|zal|hoef|kunt|wilt|gaat|zult|hoeft|mogen)\s+$"
)


def _subject_reader(text: str, start: int, end: int) -> bool:
    """Whether the "je"/"u" at ``start:end`` is the subject of an inverted clause (:data:`_INVERTED_SUBJECT`)."""
    if text[start:end] not in ("je", "jij", "u"):
        return False
    return _INVERTED_SUBJECT.search(text, max(0, start - 40), start) is not None


def _near_person(m: Match, named: list[tuple[int, int]], text: str, *, possessive: bool) -> bool:
    """Whether a person or group is named close enough to ``m`` to be what it is said of: at most
    :data:`_NEAR_WORDS` words between them, no clause break, and not as a possessive right before
    it when ``possessive`` (for nouns and adjectives: "je afval" is the reader's waste, "jij afval" is said
    of the reader; before a verb "je" is its object: "ik zal je pijn doen")."""
    for start, end in named:
        if not possessive and _subject_reader(text, start, end):
            continue  # the reader doing it ("hoe kun je ... vernietigen"), not the one it is done to
        if end <= m.start:
            between = text[end : m.start]
        elif m.end <= start:
            between = text[m.end : start]
        else:
            return True  # one word ("vrouwenophangen")
        if _CLAUSE_BREAK.search(text[m.end : end + 2] if m.end <= start else between):
            continue
        words = between.split()
        if len(words) > _NEAR_WORDS:
            continue
        if possessive and m.end <= start and words and words[-1].lower() in _PREPOSITIONS:
            continue  # "pijn in je rug", "een parasiet bij mensen": the person is not what is described
        if possessive and end <= m.start and not words and text[start:end].lower() in _POSSESSIVES:
            continue
        return True
    return False


def _negated(m: Match, negations, *, sentence_end: int, after: bool = False) -> bool:
    """Whether a negation governs ``m``: just before it ("not disgusting", "don't hate"); for a
    verb also just after it or closing its sentence ("haten niemand", "ik haat vrouwen niet")."""
    for s, e in negations:
        if m.start <= s and e <= m.end:
            continue  # part of the term itself ("niets waard", "no value")
        if m.start - 24 <= s < m.start:
            return True
        if after and s >= m.end and (s - m.end <= 12 or sentence_end - e <= 2):
            return True
    return False


def _about_self(m: Match, selves: list[tuple[int, int]], named: list[tuple[int, int]]) -> bool:
    """Whether ``m`` follows the writer speaking of themself ("we zijn ... sukkels", "I'm such an idiot")
    closely, with no other person named in between ("I'm sick of you idiots" is not self-mockery)."""
    for s, e in selves:
        if s <= m.start and m.start - e <= _SELF_REACH and not any(e <= p < m.start for p, _ in named):
            return True
    return False


def _addresses_reader(norm: str, langs: tuple[str, ...]) -> bool:
    """Whether the text speaks to the reader in the second person (``off_tone/reader_<lang>.txt``)."""
    words = words_of(norm)
    return any(not words.isdisjoint(word_set(f"off_tone/reader_{code}.txt")) for code in langs)


def _extra_matches(norm: str, extra: tuple[str, ...]) -> list[Match]:
    found = []
    for term in extra:
        for m in re.finditer(rf"(?<![^\W\d_]){re.escape(term.lower())}(?![^\W\d_])", norm):
            found.append(Match(m.start(), m.end(), term, "insult", 0.85, "extra"))
    return found


def detect(
    text: str,
    *,
    lang: str | None = None,
    is_reply: bool = False,
    extra_terms: tuple[str, ...] = (),
    answered: str | None = None,
) -> list[ToneHit]:
    """Every off-tone passage in ``text``, strongest first (empty when the text is fine).

    ``answered`` is the text of the post being replied to. It is never judged itself (a rude
    question does not make the answer rude), but a mild obscenity that the reply only echoes from
    it ("Dat het kut is snappen we") weighs less than one the brand brings in itself.

    The answer depends on the arguments only, so it is remembered for the most recent texts
    (template replies and reposts repeat): a repeated text costs a dictionary look-up. The text
    answered only lowers the score of an obscenity (:func:`_echo_free`), so the answer without it is
    remembered per text, whatever it replies to: a template reply to many posts is judged once.
    """
    extra_terms = tuple(extra_terms)
    if answered:
        alone = _echo_free(text, lang, is_reply, extra_terms)
        if alone is not None:
            return alone
    if len(text) + len(answered or "") > CACHE_TEXT_LIMIT:  # long texts are rare: not kept in memory
        return _detect_uncached(text, lang=lang, is_reply=is_reply, extra_terms=extra_terms, answered=answered)
    return list(_detect(text, lang, is_reply, extra_terms, answered))


def _echo_free(text: str, lang: str | None, is_reply: bool, extra_terms: tuple[str, ...]) -> list[ToneHit] | None:
    """The answer of :func:`detect` for a reply, read from the answer without the text answered, when the
    text answered cannot change it (None: it may).

    The text answered is read at one place only: a profanity that it holds too is scored
    :data:`ECHO_SCORE`. Every other hit, and whether a profanity is a hit at all, is decided without it,
    so an answer without a profanity is the answer whatever the reply answers.
    """
    if len(text) > CACHE_TEXT_LIMIT:
        return None  # long texts are rare: judged as before, not kept in memory
    alone = _detect(text, lang, is_reply, extra_terms, None)
    if any(hit.category == "profanity" for hit in alone):
        return None
    return list(alone)


#: Texts (with the text answered) up to this many characters are remembered; 8,192 of them at most.
CACHE_TEXT_LIMIT = 2000


@lru_cache(maxsize=8192)
def _detect(
    text: str, lang: str | None, is_reply: bool, extra_terms: tuple[str, ...], answered: str | None
) -> tuple[ToneHit, ...]:
    return tuple(_detect_uncached(text, lang=lang, is_reply=is_reply, extra_terms=extra_terms, answered=answered))


def _detect_uncached(
    text: str,
    *,
    lang: str | None,
    is_reply: bool,
    extra_terms: tuple[str, ...],
    answered: str | None,
) -> list[ToneHit]:
    if not text or not text.strip():
        return []
    langs = (lang,) if lang in LANGUAGES else ("nl",) if lang in DUTCH_LIKE else LANGUAGES
    hits: list[ToneHit] = []
    if is_reply or len(text) <= 25:
        brush = _brush_off(text, langs)
        if brush is not None:
            hits.append(brush)
    norm = normalise(text)
    matches: list[Match] = []
    for code in langs:
        matches.extend(lexicon(code).find(norm.text, context=_LEXICON_CONTEXT))
    if extra_terms:
        matches.extend(_extra_matches(norm.text, extra_terms))
    if not any(m.category not in _CONTEXT for m in matches):
        return hits
    if len(langs) > 1:  # both lexicons ran separately: put their matches in text order
        matches.sort(key=lambda m: m.start)
    quotes = quoted_spans(text)
    sentences = Sentences(text)
    people: set[int] = set()
    groups: set[int] = set()
    negated: dict[int, list[tuple[int, int]]] = {}
    countered: set[int] = set()
    reported: set[int] = set()
    #: per sentence: where reported speech after a colon starts ("De minister zegt: ..."); what the
    #: writer says before the colon is still their own
    speech: dict[int, int] = {}
    names: list[tuple[int, int]] = []
    history: list[tuple[int, int]] = []
    #: per sentence: where its first wish starts ("ik wou dat", "I wish")
    wishes: dict[int, int] = {}
    selves: dict[int, list[tuple[int, int]]] = {}
    #: per sentence: where people and groups are named (start, end)
    named: dict[int, list[tuple[int, int]]] = {}
    for m in matches:
        if m.category in _CONTEXT and inside(quotes, m.start, m.end) and m.category not in ("counter", "reporting", "speech"):
            continue
        n = sentences.of(m.start)
        if m.category == "identity":
            groups.add(n)
            people.add(n)
            named.setdefault(n, []).append((m.start, m.end))
        elif m.category == "person":
            people.add(n)
            named.setdefault(n, []).append((m.start, m.end))
        elif m.category == "self":
            selves.setdefault(n, []).append((m.start, m.end))
        elif m.category == "negation":
            negated.setdefault(n, []).append((m.start, m.end))
        elif m.category == "counter":
            countered.add(n)
        elif m.category == "reporting":
            reported.add(n)
        elif m.category == "speech":
            speech.setdefault(n, m.end)
        elif m.category == "name":
            names.append((m.start, m.end))
        elif m.category == "history":
            history.append((m.start, m.end))
        elif m.category == "wish":
            wishes.setdefault(n, m.start)
    names.sort()
    history.sort()
    for m in matches:
        category = m.category
        if category in _CONTEXT or category == "dismissive":
            continue
        rolled = category == "eyeroll"  # an eye-roll at the reader ("weer een klacht van je 🙄"), not at the weather
        if rolled:
            if not _addresses_reader(norm.text, langs):
                continue
            category = "condescend"
        n = sentences.of(m.start)
        quoted = bool(quotes) and inside(quotes, m.start, m.end)
        if quoted and (category not in _QUOTED_COUNT or countered):
            continue
        if n in countered:
            continue
        if n in speech and m.start >= speech[n]:
            continue  # someone else's words after "zegt:", "said:"
        if n in reported and category not in _SURVIVES_REPORTING:
            continue
        if names and _overlaps(names, m.start, m.end):
            continue  # part of a name or fixed expression ("Dick Advocaat", "guinea pigs")
        if (category in _NARRATABLE and history and _overlaps(history, m.start, m.end)
                and not (n in wishes and wishes[n] < m.end)):
            continue  # history told ("werden vervolgd en vermoord"), not wished
        if m.how == "variant" and _proper_noun(text, m.start, sentences):
            continue  # a misspelling-variant that is really a capitalised name ("Olathe")
        if m.start and text[m.start - 1] == "#":
            continue  # a hashtag names a topic ("#idioten #blijfthuis"); it is not said to anyone
        if category in _SELF_DIRECTED and n in selves and _about_self(m, selves[n], named.get(n, ())):
            continue  # self-mockery ("we zijn ook maar sukkels")
        score = m.weight
        if category in _NEGATABLE and not rolled and _negated(
            m, negated.get(n, ())[:50], sentence_end=sentences.end_of(m.start, len(text)),
            after=category == "hate_verb",
        ):
            continue
        if category in _NEEDS_PERSON and n not in people:
            continue
        if category in _NEEDS_PERSON and _JUDGES_CLAUSE.match(norm.text, m.end) and not any(
            start < m.start for start, _ in named.get(n, ())
        ):
            continue  # "walgelijk dat iemand dit deed": the deed is judged, and nobody is named before it
        if category in _NEEDS_NEAR and not _near_person(
            m, named[n], norm.text, possessive=category == "neg_attr_near"
        ):
            continue
        if category == "neg_attr_near":
            category = "neg_attr"
        if category in _NEEDS_GROUP and n not in groups:
            continue
        if category in ("neg_attr", "group_attr", "violence_weak"):
            score = 0.7 if n in groups else 0.6
        elif category not in _ALONE and category != "hate_verb":
            continue
        if category == "profanity" and answered and _echoed(m.term, answered):
            score = ECHO_SCORE
        if quoted:
            score = min(score, QUOTED_SCORE)
        start, end = norm.widen(m.start, m.end)
        hits.append(ToneHit(start, end, category, score, m.term))
    hits.sort(key=lambda h: (-h.score, h.start))
    return hits
