"""Building posts and running one rule, for the rule tests."""

from __future__ import annotations

from datetime import UTC, datetime

from merkwacht.analysis.packs import load_pack
from merkwacht.analysis.registry import Hit, RuleContext, get_rule
from merkwacht.core.post import Approval, InReplyTo, Post

WHEN = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)


def post(
    text: str,
    *,
    account: str = "@Hogeschool",
    kind: str = "post",
    reply: str | None = None,
    at: datetime = WHEN,
    lang: str | None = None,
) -> Post:
    return Post(
        id="1",
        platform="x",
        account=account,
        created_at=at,
        kind=kind,
        text=text,
        lang=lang,
        in_reply_to=InReplyTo(id="0", text=reply, author="p-123") if reply is not None else None,
    )


def run(
    rule_id: str,
    text_or_post: str | Post,
    *,
    pack: str = "generic",
    settings: dict | None = None,
    approvals: tuple[Approval, ...] = (),
    **post_kw,
) -> list[Hit]:
    spec = get_rule(rule_id)
    target = text_or_post if isinstance(text_or_post, Post) else post(text_or_post, **post_kw)
    merged = {**load_pack(pack).rule_settings(rule_id), **(settings or {})}
    hits = spec.func(target, RuleContext(settings=merged, approvals=approvals, now=WHEN))
    for hit in hits:  # every post-level hit points at its evidence in the text
        if hit.start is not None:
            assert target.text[hit.start : hit.end] == hit.evidence
        assert hit.explanation_nl and hit.explanation_en and hit.explanation_nl != hit.explanation_en
    return hits
