"""confidential: internal or embargoed information in a brand post (Leiden "Behoud vertrouwelijkheid", Unicoz 1).

Looks for phrases that say the information is not public yet ("nog niet officieel", "embargo
tot", "not yet announced", "alvast verklappen"), quotes from internal sources (minutes,
internal memos, a closed meeting) and the confidential project names the pack lists. The same
words used for a promise of discretion ("we gaan vertrouwelijk om met je gegevens"), for a
confidential counsellor ("vertrouwenspersoon") or for a trade embargo are not leaks.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from merkwacht.core.post import Post

from ..registry import Hit, RuleContext, rule
from ..terms import AnchoredPatterns, alternation, load_terms, versioned
from ..textfeatures import any_word, features


class ConfidentialSettings(BaseModel):
    """Settings of the confidential rule in a policy pack."""

    model_config = ConfigDict(extra="forbid")

    threshold: float = Field(default=0.6, ge=0.0, le=1.0, description="Report a hit from this score on.")
    confidential_terms: list[str] = Field(
        default_factory=list,
        description="Names of confidential projects, mergers, tenders: their mention in a post is a leak.",
    )


_T = load_terms("confidential")
#: A cheap first look: a post without any of these words cannot hit a built-in group.
_ANCHORS = frozenset(w.lower() for w in _T["anchors"])
_GROUPS = tuple(
    (
        name,
        float(_T[name]["weight"]),
        AnchoredPatterns(_T[name]["terms"], _ANCHORS, re.IGNORECASE | re.MULTILINE),
    )
    for name in ("strong", "internal_source")
)
_NOT_A_LEAK = re.compile(r"(?:" + alternation(_T["not_a_leak"]) + r")", re.IGNORECASE)


@lru_cache(maxsize=64)
def _terms_re(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    cleaned = [re.escape(t.strip()) for t in terms if t.strip()]
    if not cleaned:
        return None
    return re.compile(
        r"(?<!\w)(?:" + "|".join(sorted(cleaned, key=len, reverse=True)) + r")(?!\w)", re.IGNORECASE
    )


def _inside_safe_use(text: str, start: int, end: int) -> bool:
    lo, hi = max(0, start - 60), min(len(text), end + 40)
    for m in _NOT_A_LEAK.finditer(text, lo, hi):
        if m.start() < end and m.end() > start:
            return True
    return False


@rule(
    id="confidential",
    version=versioned("1.0", "confidential"),
    serves=("confidentiality",),
    settings=ConfidentialSettings,
    reads=("text",),
)
def confidential(post: Post, ctx: RuleContext) -> list[Hit]:
    """Internal or embargoed information: "nog niet officieel", embargo dates, quotes from minutes or
    internal memos, leaks announced as such, and the pack's confidential project names; not the
    word "vertrouwelijk" in "vertrouwenspersoon" or in a promise to treat data confidentially."""
    text = post.text
    threshold = ctx.settings.get("threshold", 0.6)
    candidates: list[tuple[float, int, int, str]] = []
    project_re = _terms_re(tuple(ctx.settings.get("confidential_terms", ())))
    if project_re is not None:
        for m in project_re.finditer(text):
            candidates.append((0.85, m.start(), m.end(), "project"))
    words = features(text)[1]
    if any_word(words, _ANCHORS):
        for name, weight, patterns in _GROUPS:
            for m in patterns.finditer(text, words):
                if not _inside_safe_use(text, m.start(), m.end()):
                    candidates.append((weight, m.start(), m.end(), name))
    if not candidates:
        return []
    hits = []
    best = max(candidates, key=lambda c: (c[0], -c[1]))
    score = min(1.0, best[0] + 0.05 * (len(candidates) - 1))
    if score < threshold:
        return []
    _weight, start, end, kind = best
    evidence = text[start:end].strip()
    start = text.index(evidence, start)
    if kind == "project":
        why_nl = f"noemt het vertrouwelijke project '{evidence}' uit de lijst van het beleidspakket"
        why_en = f"names the confidential project '{evidence}' from the policy pack's list"
    elif kind == "internal_source":
        why_nl = f"citeert een interne bron ('{evidence}')"
        why_en = f"quotes an internal source ('{evidence}')"
    else:
        why_nl = f"zegt zelf dat de informatie nog niet openbaar of vertrouwelijk is ('{evidence}')"
        why_en = f"itself says the information is not public yet or confidential ('{evidence}')"
    hits.append(
        Hit(
            evidence=evidence,
            start=start,
            end=start + len(evidence),
            score=round(score, 3),
            severity="high",
            explanation_nl=f"Het bericht {why_nl}. Vertrouwelijke of interne informatie hoort niet op een merkaccount.",
            explanation_en=f"The post {why_en}. Confidential or internal information does not belong on a brand account.",
            details={"kind": kind, "markers": len(candidates)},
        )
    )
    return hits
