"""Account- and thread-level checks as pure functions over plain facts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from merkwacht.analysis.registry import RuleContext, get_rule
from merkwacht.analysis.rules.account_checks import AccountFacts, DeletedPostFacts, LaterPost
from merkwacht.analysis.rules.thread_hostility import ReplyFact, ThreadFacts

NOW = datetime(2026, 6, 1, tzinfo=UTC)


def _facts(**kw):
    base = dict(
        handle="@Hogeschool",
        platform="x",
        status="active",
        created_at=NOW - timedelta(days=500),
        last_post_at=NOW - timedelta(days=10),
        credentials_rotated_at=NOW - timedelta(days=30),
    )
    return AccountFacts(**{**base, **kw})


def _run(rule_id, facts, now=NOW, **settings):
    return get_rule(rule_id).func(facts, RuleContext(settings=settings, now=now))


def test_dormant_account():
    assert _run("dormant_account", _facts(), dormant_after_days=90) == []
    [hit] = _run("dormant_account", _facts(last_post_at=NOW - timedelta(days=120)), dormant_after_days=90)
    assert (
        hit.details["idle_days"] == 120
        and "120 dagen" in hit.explanation_nl
        and "120 days" in hit.explanation_en
    )
    assert _run(
        "dormant_account",
        _facts(last_post_at=None, created_at=NOW - timedelta(days=100)),
        dormant_after_days=90,
    )
    assert _run("dormant_account", _facts(status="revoked", last_post_at=NOW - timedelta(days=400))) == []
    assert _run("dormant_account", _facts(last_post_at=NOW - timedelta(days=400)), now=None) == []


def test_credentials_not_rotated():
    assert _run("credentials_not_rotated", _facts(), credentials_rotation_days=180) == []
    [hit] = _run(
        "credentials_not_rotated",
        _facts(credentials_rotated_at=NOW - timedelta(days=200)),
        credentials_rotation_days=180,
    )
    assert hit.severity == "medium" and hit.details["age_days"] == 200
    [never] = _run(
        "credentials_not_rotated", _facts(credentials_rotated_at=None), credentials_rotation_days=180
    )
    assert never.details["rotated_at"] is None and never.severity == "low"
    assert (
        _run(
            "credentials_not_rotated",
            _facts(credentials_rotated_at=None, created_at=NOW - timedelta(days=5)),
            credentials_rotation_days=180,
        )
        == []
    )


def _deleted(later=(), deleted_hours_ago=72):
    created = NOW - timedelta(days=5)
    return DeletedPostFacts(
        post_id="9",
        created_at=created,
        deleted_at=NOW - timedelta(hours=deleted_hours_ago),
        text="De open dag is op zaterdag.",
        later_posts=tuple(later),
    )


def test_deleted_without_notice():
    [hit] = _run("deleted_without_notice", _deleted(), grace_hours=48)
    assert hit.start is None and hit.evidence.startswith("De open dag")
    notice_nl = LaterPost(
        NOW - timedelta(hours=70), "Correctie: de open dag is op vrijdag, ons vorige bericht klopte niet."
    )
    notice_en = LaterPost(
        NOW - timedelta(hours=70), "We removed our earlier post because the date was wrong."
    )
    assert _run("deleted_without_notice", _deleted([notice_nl]), grace_hours=48) == []
    assert _run("deleted_without_notice", _deleted([notice_en]), grace_hours=48) == []
    unrelated = LaterPost(NOW - timedelta(hours=70), "Fijn weekend allemaal!")
    assert _run("deleted_without_notice", _deleted([unrelated]), grace_hours=48)
    # Within the grace period a notice may still come: nothing yet.
    assert _run("deleted_without_notice", _deleted(deleted_hours_ago=10), grace_hours=48) == []


def _replies(flags, step_hours=1):
    return tuple(
        ReplyFact(
            f"r{i}",
            NOW - timedelta(hours=len(flags) * step_hours - i * step_hours),
            hostile,
            "idioten" if hostile else None,
        )
        for i, hostile in enumerate(flags)
    )


def test_thread_hostility():
    rule = "thread_hostility"
    assert _run(rule, ThreadFacts("@Org", "x", _replies([True, False, True, False])), min_hostile=3) == []
    [hit] = _run(
        rule, ThreadFacts("@Org", "x", _replies([True, True, False, True])), min_hostile=3, window_hours=24
    )
    assert hit.details["first_post"] == "r0" and hit.details["posts"] == ["r0", "r1", "r3"]
    assert hit.severity == "high"
    spread = ThreadFacts("@Org", "x", _replies([True, True, True], step_hours=30))
    assert _run(rule, spread, min_hostile=3, window_hours=24) == []
    one = ThreadFacts("@Org", "x", _replies([True] * 6))
    assert len(_run(rule, one, min_hostile=3, window_hours=24)) == 1
    later = tuple(
        ReplyFact(f"s{i}", r.created_at + timedelta(days=3), True, "sukkels")
        for i, r in enumerate(one.replies)
    )
    two = ThreadFacts("@Org", "x", one.replies + later)
    assert [h.details["first_post"] for h in _run(rule, two, min_hostile=3, window_hours=24)] == ["r0", "s0"]
