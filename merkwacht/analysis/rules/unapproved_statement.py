"""unapproved_statement: the organisation's official standpoint without a matching approval (Leiden "Vraag om goedkeuring").

A post states a standpoint when the organisation (its name, "de universiteit", "het College van
Bestuur", or "we" on a public matter) condemns, supports, opposes, welcomes, calls on, distances
itself, or when the post announces "ons standpunt", "our position", "namens het College van
Bestuur". Such a post needs an approval in the register. An approval matches when its text and
the post's are alike after the edits of publishing (shortening, hashtags, links, mentions, small
rewording; measured with rapidfuzz), it is for this account or for every account, and it had
not expired when the post was published.
"""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from merkwacht.core.post import Approval, Post

from ..registry import Hit, RuleContext, rule
from ..terms import AnchoredPatterns, alternation, load_terms, versioned
from ..textfeatures import any_word, features


class UnapprovedStatementSettings(BaseModel):
    """Settings of the unapproved_statement rule in a policy pack."""

    model_config = ConfigDict(extra="forbid")

    organisation_names: list[str] = Field(
        default_factory=list, description="Names the organisation speaks under (Universiteit Leiden, Unicoz)."
    )
    match_threshold: float = Field(
        default=80.0,
        ge=0,
        le=100,
        description="Similarity (0-100: share of the post's content words the approval covers) from which it matches.",
    )
    require_prior_approval: bool = Field(
        default=False,
        description="Only approvals dated on or before the post count (default: a later entry in the register "
        "also covers it, as registers are often filled in afterwards).",
    )


_T = load_terms("standpoint")
_ANCHORS = frozenset(w.lower() for w in _T["anchors"])
_VERBS = AnchoredPatterns(_T["stance_verbs"], _ANCHORS)
_OFFICIAL = AnchoredPatterns(_T["official_phrases"], _ANCHORS)
_TOPIC_RE = re.compile(r"(?<!\w)(?:" + alternation(_T["public_topics"]) + r")(?!\w)", re.IGNORECASE)
_WE_RE = re.compile(r"(?<!\w)(?:wij|we)\s*$", re.IGNORECASE)
_SPEAKER_WORDS = [s for s in _T["speakers"] if s not in ("wij", "we")]
# Names an organisation usually goes by: "Universiteit Leiden", "Leiden University", "Policy BV".
_ORG_NAME = (
    r"(?:universiteit|university|hogeschool|college|school|gemeente|stichting)\s+[A-Z][\w-]+"
    r"|[A-Z][\w-]+\s+(?:university|universiteit|bv|b\.v\.|nv|n\.v\.|onderwijsgroep|hogeschool|college)"
)
# Verbs that state a position only on a public matter: "we vinden dat ook jammer" is service talk.
_WEAK_VERB = re.compile(
    r"\b(?:vindt|vinden|mening|believes?|believe|feels?|concerned|worried|zorgen|maakt|maken|calls?|urges?"
    r"|roept|roepen|stands?|is|are|zijn|rejects?)\b",
    re.IGNORECASE,
)
_NORMALISE_DROP = re.compile(r"https?://\S+|www\.\S+|[@][\w.]+|[^\w\s]", re.UNICODE)
_SPACES = re.compile(r"\s+")
_HASHTAG = re.compile(r"#\w+")


def _handle_name(account: str) -> str:
    """'@PolicyBV' -> 'Policy\\s?BV': the account's handle as a name, spaces optional between word parts."""
    name = account.lstrip("@").split("@")[0]
    parts = re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", name) or [name]
    return r"\s?".join(re.escape(p) for p in parts)


@lru_cache(maxsize=256)
def _speaker_re(org_names: tuple[str, ...], account: str) -> re.Pattern[str]:
    names = [re.escape(n) for n in org_names if n.strip()]
    names.append(_handle_name(account))
    pattern = (
        r"(?<!\w)(?:" + alternation(_SPEAKER_WORDS) + "|" + _ORG_NAME + "|" + "|".join(names) + r")"
        r"(?:\s+[\w'’-]+){0,3}?\s*$"
    )
    return re.compile(pattern, re.IGNORECASE)


def normalise(text: str) -> str:
    """Text as compared with approvals: lower case, without links, mentions, '#' and punctuation."""
    return _SPACES.sub(" ", _NORMALISE_DROP.sub(" ", text.replace("#", " "))).strip().lower()


# Words that carry no content of a statement; left out when comparing a post with an approval.
_FUNCTION_WORDS = frozenset(
    "de het een en of van over op in aan met voor bij tot uit om te is zijn was zal zullen wil wordt worden "
    "haar hun ons onze wij we zij ze hij het dat die dit deze er ook al nog niet geen wel dan als maar "
    "the a an and or of on in at to for with by from is are was will would be its it our we they this that "
    "these those has have also not no".split()
)


_SUFFIXES = ("ingen", "ing", "en", "es", "ed", "er", "e", "s", "t", "d")


def _stem(word: str) -> str:
    """A crude stem for Dutch and English inflection: steunt/steunen -> steun, welcomes/welcomed -> welcom."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=512)
def _content(text: str) -> tuple[tuple[str, ...], frozenset[str], str]:
    """A text's content words (normalised), their stems, and the words joined without spaces (for compounds)."""
    # Hashtags are left out: they are what publishing adds ("#weektegenpesten", "#onderwijs").
    words = tuple(w for w in normalise(_HASHTAG.sub(" ", text)).split() if w not in _FUNCTION_WORDS)
    return words, frozenset(words) | frozenset(_stem(w) for w in words), "".join(words)


def _covered(word: str, words: frozenset[str], joined: str) -> bool:
    if word in words or _stem(word) in words or (len(word) >= 4 and word in joined):
        return True  # the same word or stem, or part of a compound / hashtag ("kabinet" in "kabinetsbesluit")
    for other in words:
        if len(other) >= 5 and other in word:
            return True  # a compound or prefixed form of an approved word ("ondersteunt" for "steunt")
        if abs(len(other) - len(word)) <= 2 and fuzz.ratio(word, other) >= 85:
            return True  # a small spelling or inflection difference
    return False


def similarity(post_text: str, approved_text: str) -> float:
    """How far a post says what an approved text says (0-100).

    The post's content words are looked up in the approval: a shortened post, one with hashtags,
    links or mentions added, or with a word inflected or swapped for a compound, still scores
    high; a post that brings content of its own ("... de staking van leraren" instead of "... de
    campagne tegen pesten") scores by the share of its words the approval covers. An (almost)
    identical text scores by plain edit similarity.
    """
    a, b = normalise(post_text), normalise(approved_text)
    if not a or not b:
        return 0.0
    plain = float(fuzz.ratio(a, b))
    score = plain if plain >= 90 else 0.0  # plain edit similarity only counts for near-identical texts
    post_words, post_set, post_joined = _content(post_text)
    approved_words, approved_set, approved_joined = _content(approved_text)
    if not post_words or not approved_words:
        return plain
    hits = sum(_covered(w, approved_set, approved_joined) for w in post_words)
    carried = sum(_covered(w, post_set, post_joined) for w in approved_words) / len(approved_words)
    # The post must carry enough of the approved statement to be that statement, not just its subject.
    if hits >= min(3, len(post_words)) and carried >= 0.3:
        score = max(score, 100.0 * hits / len(post_words))
    return score


def _modifier(word: str) -> bool:
    """Whether ``word`` looks like an inserted adjective ("hogere", "betere", "higher"): a small rewording."""
    return (word.endswith("e") and len(word) <= 8) or (word.endswith("er") and len(word) <= 6)


def core_covered(text: str, start: int, end: int, approved_text: str, *, following: int = 3) -> bool:
    """Whether the approval says the standpoint itself: every content word of the evidence (speaker, verb,
    object) and of the few words after it occurs in the approved text, apart from an adjective inserted
    before a covered word. A post that swaps the object of an approved standpoint ("steunt de actiedag
    voor klimaatbeleid" instead of "... voor lerarensalarissen") is not covered, however alike the rest."""
    core = _content(text[max(0, start - 1) : end])[0]  # one character back: a mention's "@" is seen
    after = _content(text[end : end + 120])[0]
    sequence = core + after[: following + 1]
    _, approved_set, approved_joined = _content(approved_text)
    flags = [_covered(w, approved_set, approved_joined) for w in sequence]
    for i in range(len(core) + min(following, len(after))):
        if flags[i]:
            continue
        next_covered = i + 1 < len(flags) and flags[i + 1]
        if not (next_covered and _modifier(sequence[i])):
            return False
    return True


def _account_key(handle: str | None) -> str | None:
    if handle is None:
        return None
    key = handle.strip().lstrip("@").lower()
    return None if key in ("", "*") else key


def applies(approval: Approval, *, account: str, at: datetime, require_prior: bool = False) -> bool:
    """Whether ``approval`` covers a post by ``account`` published at ``at``."""
    key = _account_key(approval.account)
    if key is not None and key != _account_key(account):
        return False
    if approval.valid_until is not None and at > approval.valid_until:
        return False
    return not (require_prior and approval.approved_at is not None and at < approval.approved_at)


def _standpoint(
    text: str, words: frozenset[str], account: str, org_names: tuple[str, ...]
) -> tuple[int, int, float] | None:
    official = _OFFICIAL.finditer(text, words)
    if official:
        return official[0].start(), official[0].end(), 0.9
    speaker_re = None
    for m in _VERBS.finditer(text, words):
        before = text[max(0, m.start() - 80) : m.start()]
        if speaker_re is None:
            speaker_re = _speaker_re(org_names, account)
        speaker = speaker_re.search(before)
        we = _WE_RE.search(before) or re.search(
            r"(?<!\w)(?:wij|we)\s+(?:[\w'’-]+\s+){0,2}$", before, re.IGNORECASE
        )
        if not speaker and not we:
            continue
        weak = bool(_WEAK_VERB.match(m.group(0)))
        if speaker:
            return max(0, m.start() - len(before) + speaker.start()), m.end(), 0.85
        if not weak or _TOPIC_RE.search(text):
            start = m.start() - len(before) + (we.start() if we else 0)
            return max(0, start), m.end(), 0.8
    return None


@rule(
    id="unapproved_statement",
    version=versioned("1.0", "standpoint"),
    serves=("approval",),
    settings=UnapprovedStatementSettings,
    reads=("text", "account", "created_at"),
)
def unapproved_statement(post: Post, ctx: RuleContext) -> list[Hit]:
    """A post stating the organisation's official standpoint (condemns, supports, opposes, calls on,
    distances itself, "ons standpunt", "namens het College van Bestuur") that no approval in the
    register matches, for this account (or all accounts) and within the approval's validity."""
    text = post.text
    words = features(text)[1]
    if not any_word(words, _ANCHORS):
        return []
    found = _standpoint(text, words, post.account, tuple(ctx.settings.get("organisation_names", ())))
    if found is None:
        return []
    start, end, score = found
    threshold = ctx.settings.get("match_threshold", 80.0)
    require_prior = ctx.settings.get("require_prior_approval", False)
    best_id, best = None, 0.0
    for approval in ctx.approvals:
        if not applies(approval, account=post.account, at=post.created_at, require_prior=require_prior):
            continue
        value = similarity(text, approval.text)
        if best_id is None or value > best:
            best_id, best = approval.id, value
        if value >= threshold and core_covered(text, start, end, approval.text):
            return []
    evidence = text[start:end].strip()
    start = text.index(evidence, start)
    near = (
        f" Het meest gelijkende goedgekeurde bericht ({best_id}) lijkt er maar voor {best:.0f}% op."
        if best_id
        else ""
    )
    near_en = f" The closest approved text ({best_id}) is only {best:.0f}% alike." if best_id else ""
    return [
        Hit(
            evidence=evidence,
            start=start,
            end=start + len(evidence),
            score=score,
            severity="medium",
            explanation_nl=(
                "Het bericht verkondigt een standpunt van de organisatie ('" + evidence + "'), maar er "
                "staat geen passende goedkeuring in het register voor dit account." + near
            ),
            explanation_en=(
                "The post states the organisation's position ('" + evidence + "'), but the approvals "
                "register holds no matching approval for this account." + near_en
            ),
            details={"closest_approval": best_id, "similarity": round(best, 1)} if best_id else {},
        )
    ]
