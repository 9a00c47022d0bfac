"""off_tone: insults, sarcasm and condescension, discrimination and stereotypes, obscenity, threats and brush-offs.

A brand account answers people on behalf of the organisation; the guidelines ask it to stay
polite, respectful and factual (Leiden "wees respectvol", Unicoz "toon en omgangsvormen",
Policy BV "gedrag"). The rule looks for insults aimed at the person answered ("sukkel",
"genius"), slurs and hateful generalisations about groups, obscenity, threats, condescension
("leer eerst eens lezen", "sounds like a you problem") and replies that only brush the person off
("Boeien.", "Whatever."). It is aware of the post being answered (a brush-off only counts as a
whole reply; a rude question does not make the answer rude; an obscenity the reply only echoes
from the question weighs less) and of context: quoted words,
counter-speech ("stop calling people ..."), reporting ("hij zei dat ..."; obscenity stays obscene),
negation, hashtags ("#idioten"), self-mockery ("we zijn ook maar sukkels"; not with obscene words) and
words that only look bad ("kankeronderzoek", "Damn, thanks!", "eikels en noten", names) do not count. Obfuscated spellings (h44t, h a a t,
kuuut, verchtelijk) are undone first. Lexicons: ``merkwacht/analysis/data/off_tone/``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from merkwacht.core.post import Post

from ..detect.settings import parsed
from ..detect.tone import ToneHit, detect
from ..registry import Hit, RuleContext, rule
from ..terms import versioned

#: 1.1: reported speech after a colon turns off only what follows it (2026-12-04). The digest of the
#: lexicons (``data/off_tone/``) follows the version: a lexicon edit is a new version too.
#: 1.2: words as often said of things as of people, and weak violence, need a person named close by in
#: the same clause ("irritant als je trein vertraagd is" is about the train) (2026-12-04).
#: 1.5: stereotypes pinned on a whole group without an insult word ("vrouwen en meterkasten, het blijft een
#: lastige combinatie", "die Polen ... altijd") are their own category, reported as high severity (2026-12-05).
VERSION = versioned("1.5", data=("off_tone",))


class OffToneSettings(BaseModel):
    """Pack settings of ``off_tone``."""

    model_config = ConfigDict(extra="forbid")

    #: A passage is reported from this score on (0..1; insults 0.85, slurs and threats 0.9).
    threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    #: Extra words the organisation counts as insults (matched as whole words, case-insensitive).
    extra_terms: list[str] = Field(default_factory=list)


_WHAT = {
    "slur": ("een scheldwoord voor een groep mensen", "a slur against a group of people"),
    "insult": ("een belediging van de persoon", "an insult aimed at the person"),
    "profanity": ("grof of obsceen taalgebruik", "obscene or profane language"),
    "vulgar": ("een grove belediging", "a vulgar insult"),
    "threat": ("geweld of een bedreiging", "violence or a threat"),
    "hate_verb": ("haat of minachting", "hatred or contempt"),
    "neg_attr": ("een kleinerende uitspraak over een persoon", "a belittling remark about a person"),
    "group_attr": ("een discriminerende uitspraak over een groep", "a discriminatory remark about a group"),
    "violence_weak": ("geweld tegen personen", "violence against people"),
    "condescend": ("neerbuigende of sarcastische toon", "a condescending or sarcastic tone"),
    "stereotype": ("een stereotype over een groep mensen", "a stereotype about a group of people"),
    "dismissive": ("een afwimpelend antwoord zonder inhoud", "a dismissive non-answer"),
}
_SEVERITY = {"slur": "high", "threat": "high", "violence_weak": "high", "group_attr": "high", "stereotype": "high"}


def _hit(text: str, found: ToneHit, others: list[ToneHit]) -> Hit:
    nl, en = _WHAT.get(found.category, ("ongepaste toon", "an inappropriate tone"))
    evidence = text[found.start : found.end]
    return Hit(
        evidence=evidence,
        start=found.start,
        end=found.end,
        score=round(min(found.score, 1.0), 3),
        explanation_nl=f"Dit bericht bevat {nl} (\u201c{evidence}\u201d). Blijf beleefd en respectvol, ook bij kritiek.",
        explanation_en=f"This post contains {en} (\u201c{evidence}\u201d). Stay polite and respectful, also when criticised.",
        severity=_SEVERITY.get(found.category, "medium"),
        details={"category": found.category, "also": sorted({h.category for h in others})},
    )


@rule(id="off_tone", version=VERSION, serves=("tone",), settings=OffToneSettings,
      reads=("text", "kind", "lang", "in_reply_to.text"))
def off_tone(post: Post, ctx: RuleContext) -> list[Hit]:
    """Insults, slurs, obscenity, threats, condescension and brush-offs in a brand post or reply."""
    settings = parsed(OffToneSettings, ctx.settings)
    lang = ctx.lang or post.lang
    found = detect(
        post.text,
        lang=lang,
        is_reply=post.kind == "reply" or post.in_reply_to is not None,
        extra_terms=tuple(settings.extra_terms),
        answered=post.in_reply_to.text if post.in_reply_to is not None else None,
    )
    found = [h for h in found if h.score >= settings.threshold]
    if not found:
        return []
    return [_hit(post.text, found[0], found[1:])]
