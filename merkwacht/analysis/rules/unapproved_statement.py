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
from ..terms import AnchoredPatterns, alternation, load_terms
from ..textfeatures import any_word, features


class UnapprovedStatementSettings(BaseModel):
    """Settings of the unapproved_statement rule in a policy pack."""

    model_config = ConfigDict(extra="forbid")

    organisation_names: list[str] = Field(
        default_factory=list, description="Names the organisation speaks under (Universiteit Leiden, Unicoz)."
    )
    match_threshold: float = Field(
        default=78.0, ge=0, le=100, description="rapidfuzz similarity (0-100) from which an approval matches."
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


def similarity(post_text: str, approved_text: str) -> float:
    """How alike a post and an approved text are (0-100), tolerating shortening and added hashtags/links."""
    a, b = normalise(post_text), normalise(approved_text)
    if not a or not b:
        return 0.0
    score = fuzz.ratio(a, b)
    ta, tb = set(a.split()), set(b.split())
    common = ta & tb
    if len(common) >= 5 and len(common) >= 0.5 * min(len(ta), len(tb)):
        score = max(score, fuzz.token_set_ratio(a, b), fuzz.token_sort_ratio(a, b))
        shorter, longer = sorted((a, b), key=len)
        if len(shorter) >= 0.4 * len(longer):
            score = max(score, fuzz.partial_ratio(shorter, longer))
    return float(score)


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


def _standpoint(text: str, words: frozenset[str], account: str, org_names: tuple[str, ...]
                ) -> tuple[int, int, float] | None:
    official = _OFFICIAL.finditer(text, words)
    if official:
        return official[0].start(), official[0].end(), 0.9
    speaker_re = None
    for m in _VERBS.finditer(text, words):
        before = text[max(0, m.start() - 80):m.start()]
        if speaker_re is None:
            speaker_re = _speaker_re(org_names, account)
        speaker = speaker_re.search(before)
        we = _WE_RE.search(before) or re.search(r"(?<!\w)(?:wij|we)\s+(?:[\w'’-]+\s+){0,2}$", before, re.IGNORECASE)
        if not speaker and not we:
            continue
        weak = bool(_WEAK_VERB.match(m.group(0)))
        if speaker:
            return max(0, m.start() - len(before) + speaker.start()), m.end(), 0.85
        if not weak or _TOPIC_RE.search(text):
            start = m.start() - len(before) + (we.start() if we else 0)
            return max(0, start), m.end(), 0.8
    return None


@rule(id="unapproved_statement", version="1.0", serves=("approval",), settings=UnapprovedStatementSettings)
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
    threshold = ctx.settings.get("match_threshold", 78.0)
    require_prior = ctx.settings.get("require_prior_approval", False)
    best_id, best = None, 0.0
    for approval in ctx.approvals:
        if not applies(approval, account=post.account, at=post.created_at, require_prior=require_prior):
            continue
        value = similarity(text, approval.text)
        if value > best:
            best_id, best = approval.id, value
        if value >= threshold:
            return []
    evidence = text[start:end].strip()
    start = text.index(evidence, start)
    near = (f" Het meest gelijkende goedgekeurde bericht ({best_id}) lijkt er maar voor {best:.0f}% op."
            if best_id else "")
    near_en = (f" The closest approved text ({best_id}) is only {best:.0f}% alike." if best_id else "")
    return [Hit(
        evidence=evidence,
        start=start,
        end=start + len(evidence),
        score=score,
        severity="medium",
        explanation_nl=("Het bericht verkondigt een standpunt van de organisatie ('" + evidence + "'), maar er "
                        "staat geen passende goedkeuring in het register voor dit account." + near),
        explanation_en=("The post states the organisation's position ('" + evidence + "'), but the approvals "
                        "register holds no matching approval for this account." + near_en),
        details={"closest_approval": best_id, "similarity": round(best, 1)} if best_id else {},
    )]
