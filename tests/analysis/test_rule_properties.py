"""Every registered post-level rule survives arbitrary Unicode: no exception, no hang, spans inside the text."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from merkwacht.analysis.packs import load_pack
from merkwacht.analysis.registry import RuleContext, all_rules
from merkwacht.core.post import InReplyTo, Post

from .helpers import WHEN

POST_RULES = sorted(rule_id for rule_id, spec in all_rules().items() if spec.level == "post")
PACK = load_pack("generic")

ZWJ = "\u200d"
EMOJI = st.sampled_from(["😀", "👩\u200d💻", "🏳️\u200d🌈", "🇳🇱", "👍🏽", "🔥", "💩"])
CONTROL = st.characters(min_codepoint=0, max_codepoint=31)
MIXED = st.sampled_from(
    [
        "kut",
        "h4at",
        "k l o o t z a k",
        "ИДИОТ",
        "白痴",
        "حمار",
        "60%",
        "http://x.nl",
        "\u202e",
        "\ufeff",
        "İ",
        "ß",
        "ﬁ",
        "\u0301",
        "“",
        "„",
        "'",
        '"',
        "zoals jij",
        "…",
    ]
)
PIECES = st.one_of(st.text(max_size=40), EMOJI, CONTROL.map(str), MIXED, st.just(ZWJ), st.just(" "))
TEXTS = st.lists(PIECES, max_size=60).map("".join)


def _check(rule_id: str, text: str, reply: str | None, lang: str | None) -> None:
    post = Post(
        id="1",
        platform="x",
        account="@Org",
        created_at=WHEN,
        kind="reply" if reply is not None else "post",
        text=text,
        lang=lang,
        in_reply_to=InReplyTo(id="0", text=reply) if reply is not None else None,
    )
    spec = all_rules()[rule_id]
    ctx = RuleContext(settings=PACK.rule_settings(rule_id), approvals=(), now=WHEN, lang=lang)
    hits = spec.func(post, ctx)
    assert isinstance(hits, list)
    for hit in hits:
        if hit.start is None:
            assert hit.end is None
            continue
        assert 0 <= hit.start <= hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.evidence
        assert 0.0 <= hit.score <= 1.0


LONG = ("Je bent een sukkel! 40% van de studenten 👩\u200d💻 " * 2500)[:100_000]


@settings(max_examples=60, deadline=timedelta(seconds=5), suppress_health_check=[HealthCheck.too_slow])
@given(
    rule_id=st.sampled_from(POST_RULES),
    text=TEXTS,
    reply=st.none() | TEXTS,
    lang=st.sampled_from([None, "nl", "en", "de"]),
)
@example(rule_id="off_tone", text="", reply=None, lang=None)
@example(rule_id="missing_source", text="", reply=None, lang=None)
@example(rule_id="off_tone", text="\x00\x01\x1f\x7f", reply="\x00", lang="nl")
@example(rule_id="off_tone", text=ZWJ * 500, reply=None, lang=None)
@example(rule_id="off_tone", text="😀" * 5000, reply=None, lang="en")
@example(rule_id="off_tone", text="h a a t " * 3000, reply=None, lang="nl")
@example(rule_id="missing_source", text="1 " * 20000, reply=None, lang="en")
def test_rules_never_fail_on_arbitrary_text(rule_id, text, reply, lang):
    _check(rule_id, text, reply, lang)


@settings(max_examples=len(POST_RULES), deadline=timedelta(seconds=30))
@given(rule_id=st.sampled_from(POST_RULES))
def test_rules_handle_100000_characters(rule_id):
    _check(rule_id, LONG, "Waarom?", None)


def test_every_post_level_rule_is_covered():
    assert {"off_tone", "missing_source", "personal_data", "confidential", "unapproved_statement"} <= set(
        POST_RULES
    )
