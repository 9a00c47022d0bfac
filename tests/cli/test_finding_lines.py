"""File mode's JSON lines against their definition: the whole interchange dict of a finding, encoded."""

from __future__ import annotations

import json

from hypothesis import example, given, settings
from hypothesis import strategies as st

from merkwacht.analysis.engine import FindingRecord
from merkwacht.cli.finding_lines import FindingLines


def _definition(finding: FindingRecord, lang: str) -> str:
    # what file mode wrote before the bodies were remembered
    return json.dumps(finding.to_json(lang=lang), ensure_ascii=False, separators=(", ", ": "))


_STRING = st.text(alphabet=st.sampled_from(list('ab Z"\\/\n\t\x00\x1f\u2028\u00e9\u201c\u201d\U0001f600')), max_size=12)
_NUMBER = st.one_of(st.none(), st.integers(-3, 3), st.floats(allow_nan=True), st.booleans())
_SCORE = st.one_of(st.sampled_from([0.0, -0.0, 0.5, 1.0, 0.85]), st.floats(allow_nan=True), st.integers(0, 2))


def _record(post_id, account, platform, body) -> FindingRecord:
    rule, clause, severity, score, evidence, start, end, nl, en, version = body
    return FindingRecord(
        post_id=post_id, rule=rule, rule_version=version, clause=clause, severity=severity, score=score,
        evidence=evidence, evidence_start=start, evidence_end=end, explanation_nl=nl, explanation_en=en,
        pack="generic", pack_version=version, pack_hash="h", account=account, platform=platform,
    )


_BODY = st.tuples(
    st.sampled_from(["off_tone", "missing_source"]), st.sampled_from(["L1", "tone"]),
    st.sampled_from(["low", "medium", "high"]), _SCORE, st.one_of(st.none(), _STRING), _NUMBER, _NUMBER,
    _STRING, _STRING, st.sampled_from(["1.0", "1.0+abc"]),
)
_WHO = st.tuples(_STRING, _STRING, st.sampled_from(["x", "reddit", "mastodon", "bluesky"]))


@settings(max_examples=400, deadline=None)
@given(st.lists(_BODY, min_size=1, max_size=4), st.lists(st.tuples(_WHO, st.integers(0, 3)), max_size=12),
       st.sampled_from(["nl", "en"]))
@example([("off_tone", "L1", "high", 0.0, "x", 1, 2, "a", "b", "1.0")],
         [(("p1", "@a", "x"), 0)], "nl")
def test_lines_equal_the_encoded_dict_also_for_repeated_bodies(bodies, posts, lang):
    lines = FindingLines(lang=lang)
    # the same bodies about other posts, and bodies that are equal but written differently
    # (1 and 1.0 and True, 0.0 and -0.0), one after the other through one memory
    for (post_id, account, platform), which in posts + [(("p0", "@b", "x"), 0)] * 2:
        finding = _record(post_id, account, platform, bodies[which % len(bodies)])
        assert lines.line(finding) == _definition(finding, lang)


def test_equal_but_differently_written_values_do_not_share_a_body():
    lines = FindingLines()
    for start, score in [(1, 0.5), (1.0, 0.5), (True, 0.5), (1, 0.0), (1, -0.0), (1, 1.0), (1, 1)]:
        body = ("off_tone", "L1", "high", score, "idioot", start, 7, "nl", "en", "1.0")
        finding = _record("p", "@Org", "x", body)
        assert lines.line(finding) == _definition(finding, "nl")


def test_the_memory_starts_again_when_full():
    lines = FindingLines()
    lines.MEMORY = 3
    for n in range(10):
        body = ("off_tone", "L1", "high", 0.9, f"woord {n}", 0, 5, "nl", "en", "1.0")
        finding = _record(f"p{n}", "@Org", "x", body)
        assert lines.line(finding) == _definition(finding, "nl")
        assert len(lines._bodies) <= 3
