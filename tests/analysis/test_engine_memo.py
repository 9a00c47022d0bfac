"""The engine's memory of rule answers: reused only for posts that agree on every field a rule reads."""

from __future__ import annotations

import dataclasses
import functools
from datetime import UTC, datetime

import pytest

from merkwacht.analysis.engine import AnalysisPlan, PlannedRule, PostAnalyser
from merkwacht.analysis.packs import load_pack
from merkwacht.analysis.registry import Hit, RuleContext, RuleSpec, all_rules
from merkwacht.core.post import Approval, InReplyTo, Post

WHEN = datetime(2026, 5, 1, 10, 0, tzinfo=UTC)
LATER = datetime(2026, 9, 1, 10, 0, tzinfo=UTC)


def _post(id: str, text: str, **fields) -> Post:
    base = {"platform": "x", "account": "@Hogeschool", "created_at": WHEN, "kind": "post"}
    return Post(id=id, text=text, **{**base, **fields})


# Posts written for this test that make every built-in rule look at every field it may read.
POSTS = [
    _post("a", "Uit onderzoek blijkt dat 60% van de studenten nooit leest."),
    _post("b", "Uit onderzoek blijkt dat 60% van de studenten nooit leest.", urls=("https://example.nl/r",)),
    _post("c", "Wat een sukkel ben jij, leer eerst eens lezen.", kind="reply",
          in_reply_to=InReplyTo(id="q1", text="Waarom is het rooster zo laat?")),
    _post("d", "Kut dat het rooster laat is, sorry!", kind="reply",
          in_reply_to=InReplyTo(id="q2", text="Wat een kut rooster")),
    _post("e", "Bel Jan de Vries op 06 48 12 77 90 of mail jan.devries@gmail.com", lang="nl"),
    _post("f", "Hogeschool West veroordeelt het geweld tegen journalisten."),
    _post("g", "Nog niet officieel, maar de nieuwe campus komt er!"),
    _post("h", "You are such an idiot, read the timetable.", kind="reply", lang="en",
          in_reply_to=InReplyTo(id="q3", text=None)),
]


class _Recorder:
    """Stands in for a post and writes down every field a rule reads (dotted for nested fields)."""

    def __init__(self, target, seen: set[str], prefix: str = ""):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_seen", seen)
        object.__setattr__(self, "_prefix", prefix)

    def __getattr__(self, name):
        value = getattr(self._target, name)
        if callable(value):  # a method of Post runs against the recorder, so its reads are seen too
            return functools.partial(getattr(type(self._target), name), self)
        path = self._prefix + name
        self._seen.add(path)
        if isinstance(value, InReplyTo):
            return _Recorder(value, self._seen, path + ".")
        return value


def _post_rules():
    return [spec for spec in all_rules().values() if spec.level == "post"]


def test_every_built_in_post_rule_declares_what_it_reads():
    assert all(spec.reads is not None for spec in _post_rules())


@pytest.mark.parametrize("spec", _post_rules(), ids=lambda s: s.id)
def test_declared_reads_cover_every_field_the_rule_reads(spec: RuleSpec):
    pack = load_pack("generic")
    settings = pack.rule_settings(spec.id) if spec.id in pack.enabled_rules else {}
    seen: set[str] = set()
    for post in POSTS:
        ctx = RuleContext(settings=settings, approvals=(), now=None, lang=post.lang or "nl")
        spec.func(_Recorder(post, seen), ctx)  # type: ignore[arg-type]
    declared = set(spec.reads or ())
    # reading whether a nested object is there is covered by declaring one of its fields
    covered = declared | {path.split(".")[0] for path in declared if "." in path}
    assert seen <= covered, f"{spec.id} reads {sorted(seen - covered)} without declaring it"
    assert seen, f"{spec.id} read nothing: the recorder is not working"


def test_the_recorder_catches_an_undeclared_read():
    seen: set[str] = set()
    post = _Recorder(POSTS[2], seen)
    assert post.in_reply_to.text == "Waarom is het rooster zo laat?"
    assert post.all_urls() == []
    assert seen == {"in_reply_to", "in_reply_to.text", "text", "urls"}


def _counting_plan(reads):
    calls: list[str] = []

    def count(post: Post, ctx: RuleContext) -> list[Hit]:
        calls.append(post.id)
        return [Hit(evidence=post.text[:4], start=0, end=4, score=0.9, explanation_nl="x", explanation_en="x")]

    plan = AnalysisPlan(load_pack("generic"))
    template = plan.rules[0]
    spec = RuleSpec(id="counting", version="1", clauses=template.spec.clauses, func=count, reads=reads)
    plan.rules = (PlannedRule(spec, {}, template.clauses, None, template.kinds),)
    return plan, calls


def test_a_repeated_post_is_answered_from_memory_under_its_own_id():
    plan, calls = _counting_plan(("text",))
    analyser = PostAnalyser(plan)
    first = analyser.analyse(_post("p1", "Dezelfde tekst", lang="nl"))
    again = analyser.analyse(_post("p2", "Dezelfde tekst", lang="nl", account="@Ander"))
    other = analyser.analyse(_post("p3", "Een andere tekst", lang="nl"))
    assert calls == ["p1", "p3"]
    assert [f.post_id for f in first + again + other] == ["p1", "p2", "p3"]
    assert again[0].account == "@Ander"


def test_posts_that_differ_in_a_read_field_are_judged_again():
    plan, calls = _counting_plan(("text", "kind", "in_reply_to.text"))
    analyser = PostAnalyser(plan)
    analyser.analyse(_post("p1", "Tekst", lang="nl"))
    analyser.analyse(_post("p2", "Tekst", lang="nl", kind="reply"))
    analyser.analyse(_post("p3", "Tekst", lang="nl", kind="reply", in_reply_to=InReplyTo(id="q", text=None)))
    analyser.analyse(_post("p4", "Tekst", lang="nl", kind="reply", in_reply_to=InReplyTo(id="r", text=None)))
    analyser.analyse(_post("p5", "Tekst", lang="nl", kind="reply", in_reply_to=InReplyTo(id="s", text="Vraag")))
    analyser.analyse(_post("p6", "Tekst", lang="en"))  # the language is part of the rule's context
    assert calls == ["p1", "p2", "p3", "p5", "p6"]


def test_undeclared_rules_and_long_texts_are_never_remembered():
    plan, calls = _counting_plan(None)
    analyser = PostAnalyser(plan)
    analyser.analyse(_post("p1", "Tekst", lang="nl"))
    analyser.analyse(_post("p2", "Tekst", lang="nl"))
    plan, long_calls = _counting_plan(("text",))
    analyser = PostAnalyser(plan)
    text = "lang " * (PostAnalyser.MEMO_TEXT_LIMIT // 5 + 1)
    analyser.analyse(_post("p3", text, lang="nl"))
    analyser.analyse(_post("p4", text, lang="nl"))
    assert calls == ["p1", "p2"]
    assert long_calls == ["p3", "p4"]


def test_memory_is_bounded():
    plan, calls = _counting_plan(("text",))
    analyser = PostAnalyser(plan)
    analyser.MEMO_SIZE = 3
    for i in range(5):
        analyser.analyse(_post(f"p{i}", f"Tekst {i}", lang="nl"))
    assert len(analyser._memo) == 3  # Tekst 0-2; Tekst 3 and 4 came once while it was full
    analyser.analyse(_post("again", "Tekst 4", lang="nl"))  # seen before: judged again and remembered,
    assert calls[-1] == "again"
    assert len(analyser._memo) == 3  # in place of the least recently used, Tekst 0
    analyser.analyse(_post("zero", "Tekst 0", lang="nl"))  # forgotten: judged again
    analyser.analyse(_post("four", "Tekst 4", lang="nl"))  # remembered: not judged
    assert calls[-2:] == ["again", "zero"]


def test_a_text_that_keeps_coming_back_stays_remembered():
    plan, calls = _counting_plan(("text",))
    analyser = PostAnalyser(plan)
    analyser.MEMO_SIZE = 3
    analyser.analyse(_post("first", "Sjabloon", lang="nl"))
    for i in range(6):  # one-off texts in between, the template answered from memory each time
        analyser.analyse(_post(f"p{i}", f"Tekst {i}", lang="nl"))
        analyser.analyse(_post(f"t{i}", "Sjabloon", lang="nl"))
    assert [c for c in calls if c.startswith(("first", "t"))] == ["first"]


def test_the_built_in_rules_give_the_same_findings_with_and_without_memory():
    approval = Approval(id="A1", account="@Hogeschool", text=POSTS[5].text, approved_by="cvb",
                        valid_until=datetime(2026, 6, 1, tzinfo=UTC))
    posts = []
    for i, post in enumerate(POSTS * 2):
        # the same texts again, some later (after the approval lapsed), some by another account
        fields = post.model_dump()
        fields["id"] = f"{post.id}{i}"
        if i >= len(POSTS):
            fields["created_at"] = LATER if i % 2 else WHEN
            fields["account"] = "@Ander" if i % 3 == 0 else post.account
        posts.append(Post(**fields))
    plan = AnalysisPlan(load_pack("generic"))
    remembered = PostAnalyser(plan, approvals=[approval])
    fresh = PostAnalyser(plan, approvals=[approval])
    fresh.MEMO_TEXT_LIMIT = -1
    with_memory = [f for p in posts for f in remembered.analyse(p)]
    without = [f for p in posts for f in fresh.analyse(p)]
    assert with_memory == without
    assert {f.rule for f in with_memory} >= {"missing_source", "off_tone", "personal_data", "unapproved_statement",
                                            "confidential"}
    assert len(remembered._memo) > 0 and len(fresh._memo) == 0


def test_the_language_of_long_texts_is_not_kept_in_memory():
    from merkwacht.analysis import engine, language

    long_text = "De studenten en de docenten van de universiteit. " * 80  # 4,000 characters
    before = (engine._remembered_language.cache_info().currsize, language._detect_cached.cache_info().currsize)
    assert engine.post_language(_post("long", long_text)) == "nl"
    assert language.detect("This is the English text of a rather long post. " * 60) == "en"
    after = (engine._remembered_language.cache_info().currsize, language._detect_cached.cache_info().currsize)
    assert after == before
    engine.post_language(_post("short", "De studenten en de docenten."))
    assert engine._remembered_language.cache_info().currsize >= 1


def _varied_posts() -> list[Post]:
    posts = []
    for i, post in enumerate(POSTS * 3):
        fields = post.model_dump()
        fields["id"] = f"{post.id}{i}"
        fields["account"] = "@Ander" if i % 4 == 0 else post.account
        if i % 5 == 0:
            fields["lang"] = None
        posts.append(Post(**fields))
    return posts


def test_posts_analysed_together_get_the_findings_they_get_one_by_one():
    plan = AnalysisPlan(load_pack("generic"))
    posts = _varied_posts()
    one_by_one = [PostAnalyser(plan).analyse(p) for p in posts]  # a fresh memory for every post
    together = PostAnalyser(plan).analyse_many(posts)
    assert together == one_by_one
    assert sum(map(len, together)) > len(POSTS)


def test_a_failing_rule_in_a_batch_costs_only_its_own_findings(caplog):
    plan = AnalysisPlan(load_pack("generic"))
    index = next(i for i, planned in enumerate(plan.rules) if planned.spec.id == "personal_data")
    real = plan.rules[index].spec.func

    def broken(post, ctx):
        if post.id.startswith("e"):
            raise RuntimeError("boom")
        return real(post, ctx)

    rules = list(plan.rules)
    rules[index] = dataclasses.replace(rules[index], spec=dataclasses.replace(rules[index].spec, func=broken))
    plan.rules = tuple(rules)
    posts = _varied_posts()
    expected = [[f for f in PostAnalyser(AnalysisPlan(load_pack("generic"))).analyse(p)
                 if not (p.id.startswith("e") and f.rule == "personal_data")] for p in posts]
    analyser = PostAnalyser(plan)
    assert analyser.analyse_many(posts) == expected
    assert analyser.errors == sum(p.id.startswith("e") for p in posts) == 3
    assert caplog.text.count("rule personal_data") == 3

    strict = PostAnalyser(plan, strict=True)
    with pytest.raises(RuntimeError, match="boom"):
        strict.analyse_many(posts)


def test_file_mode_batches_are_bounded_by_posts_and_by_characters(monkeypatch):
    from merkwacht.analysis import engine

    monkeypatch.setattr(engine, "BATCH_POSTS", 4)
    monkeypatch.setattr(engine, "BATCH_CHARS", 100)
    short = [_post(f"s{i}", "Kort.") for i in range(9)]
    assert [len(b) for b in engine._batches(short)] == [4, 4, 1]
    long = [_post(f"l{i}", "x" * 60) for i in range(5)]
    assert [len(b) for b in engine._batches(long)] == [2, 2, 1]
    assert list(engine._batches([])) == []


def test_a_remembered_finding_about_another_post_differs_only_in_its_subject():
    from merkwacht.analysis.engine import FindingRecord

    plan = AnalysisPlan(load_pack("generic"))
    [finding, *_] = PostAnalyser(plan).analyse(POSTS[2])
    moved = finding.about("other", "@Ander", "mastodon")
    assert moved == dataclasses.replace(finding, post_id="other", account="@Ander", platform="mastodon")
    assert [f.name for f in dataclasses.fields(FindingRecord)][-3:] == ["account", "platform", "details"]


def test_notes_of_texts_met_are_bounded_and_cost_a_remembered_text_at_most_one_judgement():
    plan, calls = _counting_plan(("text",))
    analyser = PostAnalyser(plan)
    analyser.MEMO_SIZE, analyser.SEEN_SIZE = 1, 3
    analyser.analyse(_post("first", "Sjabloon", lang="nl"))  # remembered (the memory had room)
    for i in range(7):  # one-off texts fill the notes, which then start again
        analyser.analyse(_post(f"p{i}", f"Tekst {i}", lang="nl"))
        assert len(analyser._seen) <= 3
    analyser.analyse(_post("t1", "Sjabloon", lang="nl"))  # its note is gone: judged again ...
    analyser.analyse(_post("t2", "Sjabloon", lang="nl"))  # ... and from then on answered from memory
    analyser.analyse(_post("t3", "Sjabloon", lang="nl"))
    assert [c for c in calls if not c.startswith("p")] == ["first", "t1"]
    assert list(analyser._memo.values())[0].post_id == "first"  # one-off texts never took its place
