"""missing_source: a factual claim with neither a link nor a named, verifiable source.

The guidelines ask brand accounts to be accurate and to say where facts come from (Leiden "wees
nauwkeurig", Policy BV "juistheid van informatie"). The rule finds claims — statistics and
percentages ("60% van de scholieren"), research findings ("uit onderzoek blijkt", "a new study
shows"), comparisons, trends and rankings, words attributed to someone — and reports them when the
post has no link and names no source ("volgens het CBS", "published in Nature", "(bron: ...)").
Announcements, events, greetings, vacancies, questions, service notices that tell the reader what
to do, and the organisation's own practical facts ("De kantine is op maandag gesloten") are not
claims. Signals: ``merkwacht/analysis/data/claims/``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from merkwacht.core.post import Post

from ..detect.claims import code_of, find_claim, named_source
from ..detect.settings import parsed
from ..registry import Hit, RuleContext, rule
from ..terms import versioned

#: With the digest of the signals (``data/claims/``) and the claims model (``data/models/claims.npz``):
#: editing either is a new version.
VERSION = versioned("1.0", data=("claims", "models/claims.npz"))


class MissingSourceSettings(BaseModel):
    """Pack settings of ``missing_source``."""

    model_config = ConfigDict(extra="forbid")

    #: A claim is reported from this score on (0..1; statistics and research findings score 0.8).
    threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    #: Names that count as a verifiable source for this organisation (its own research institutes,
    #: its annual report), matched case-insensitively.
    trusted_sources: list[str] = Field(default_factory=list)
    #: Per language ("nl", "en"): how sure the claims model must be to report a factual statement that
    #: has no statistic, research finding, comparison or quote in it (0..1). Unset languages keep the
    #: built-in value (nl 0.9, en 0.6: see docs/model-card.md). Lower finds more unsourced statements
    #: and more of the organisation's own practical facts ("De bibliotheek heeft nieuwe boeken"); the
    #: policy evaluation (share of dismissed findings per rule) shows which way to move it.
    statement_threshold: dict[Literal["nl", "en"], Annotated[float, Field(ge=0.0, le=1.0)]] = Field(
        default_factory=dict)


_WHAT = {
    "figure": ("een cijfer of statistiek", "a figure or statistic"),
    "research": ("een onderzoeksresultaat", "a research finding"),
    "compare": ("een vergelijking, trend of ranglijst", "a comparison, trend or ranking"),
    "number": ("een aantal of getal", "a number or count"),
    "statement": ("een feitelijke bewering", "a factual statement"),
    "quote": ("een uitspraak die aan iemand wordt toegeschreven", "a statement attributed to someone"),
}


@rule(id="missing_source", version=VERSION, serves=("accuracy",), settings=MissingSourceSettings,
       reads=("text", "urls", "kind", "lang"))
def missing_source(post: Post, ctx: RuleContext) -> list[Hit]:
    """A factual claim (figures, research findings, comparisons, attributed quotes) without a link or named source."""
    settings = parsed(MissingSourceSettings, ctx.settings)
    if post.urls or ("http" in post.text and post.all_urls()):
        return []  # a link: the post points at its source
    lang = ctx.lang or post.lang
    claim = find_claim(post.text, lang=lang, model_alone=post.kind != "reply",
                       alone_threshold=settings.statement_threshold.get(code_of(lang)))
    if claim is None or claim.score < settings.threshold:
        return []
    if named_source(post.text, tuple(settings.trusted_sources)) is not None:
        return []
    nl, en = _WHAT[claim.category]
    if claim.signal:  # the words that make it a claim; a statement the model read has none to quote
        nl, en = f"{nl} (\u201c{claim.signal}\u201d)", f"{en} (\u201c{claim.signal}\u201d)"
    evidence = post.text[claim.start : claim.end]
    return [
        Hit(
            evidence=evidence,
            start=claim.start,
            end=claim.end,
            score=round(min(claim.score, 1.0), 3),
            explanation_nl=(
                f"Dit bericht bevat {nl} zonder link of genoemde bron. "
                "Vermeld waar dit vandaan komt, zodat lezers het kunnen controleren."
            ),
            explanation_en=(
                f"This post contains {en} without a link or a named source. "
                "Say where it comes from so readers can check it."
            ),
            severity="medium" if claim.score >= 0.7 else "low",
            details={"category": claim.category, "signal": claim.signal},
        )
    ]
