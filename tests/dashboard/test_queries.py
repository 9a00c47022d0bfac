"""The query layer behind the dashboard: the council role is refused every post-level query (R10),
and the comms role gets the right figures. Runs on SQLite and PostgreSQL (``session`` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from merkwacht.core.errors import MerkwachtError, Refused
from merkwacht.core.models import Account, Approval, Finding, Post, Review
from merkwacht.core.queries import accounts, admin, approvals, findings, overview
from merkwacht.core.queries.roles import Viewer
from merkwacht.core.repository.reviews import review_finding, review_findings

from .seed import CLAIMS, REPLY_PARENT, seed

COMMS = Viewer("carla", "comms")
COUNCIL = Viewer("oscar", "council")
ADMIN = Viewer("ada", "admin")


@pytest.fixture
def seeded(session):  # type: ignore[no-untyped-def]
    return seed(session, "in-transaction")


def _post_level_calls(session, seeded):  # type: ignore[no-untyped-def]
    account_id = session.scalar(select(Account.id).limit(1))
    return {
        "account_health": lambda v: overview.account_health(session=session, viewer=v),
        "weekly_trend": lambda v: overview.weekly_trend(session=session, viewer=v),
        "review_queue": lambda v: findings.review_queue(session=session, viewer=v),
        "finding_detail": lambda v: findings.finding_detail(
            session=session, viewer=v, finding_id=seeded.finding_ids[0]
        ),
        "filter_options": lambda v: findings.filter_options(session=session, viewer=v),
        "account_list": lambda v: accounts.account_list(session=session, viewer=v),
        "account_detail": lambda v: accounts.account_detail(session=session, viewer=v, account_id=account_id),
        "approval_register": lambda v: approvals.approval_register(session=session, viewer=v),
        "unapproved_standpoints": lambda v: approvals.unapproved_standpoints(session=session, viewer=v),
    }


def test_council_is_refused_every_post_level_query(session, seeded) -> None:  # type: ignore[no-untyped-def]
    for name, call in _post_level_calls(session, seeded).items():
        with pytest.raises(Refused):
            call(COUNCIL)
        with pytest.raises(Refused):
            call(None)
        assert call(COMMS) is not None, name


def test_only_admin_reads_the_access_log(session, seeded) -> None:  # type: ignore[no-untyped-def]
    for viewer in (COUNCIL, COMMS):
        with pytest.raises(Refused):
            admin.access_log(session=session, viewer=viewer)
        with pytest.raises(Refused):
            admin.check_chain(session=session, viewer=viewer)
    total, rows = admin.access_log(session=session, viewer=ADMIN)
    assert total == len(rows)
    assert admin.check_chain(session=session, viewer=ADMIN).ok


def test_only_comms_reviews(session, seeded) -> None:  # type: ignore[no-untyped-def]
    for viewer in (COUNCIL, ADMIN):
        with pytest.raises(Refused):
            review_finding(
                session=session, viewer=viewer, finding_id=seeded.finding_ids[0], disposition="confirmed"
            )


def test_review_queue_filters_and_counts(session, seeded) -> None:  # type: ignore[no-untyped-def]
    page = findings.review_queue(session=session, viewer=COMMS)
    # every finding but the confirmed personal-data one is open
    assert page.total == len(seeded.finding_ids) - 1
    assert [i.post_created_at for i in page.items] == sorted(
        (i.post_created_at for i in page.items), reverse=True
    )
    only = findings.review_queue(
        session=session, viewer=COMMS, flt=findings.FindingFilter(rules=("missing_source",))
    )
    assert only.total == len(CLAIMS) and {i.rule for i in only.items} == {"missing_source"}
    high = findings.review_queue(
        session=session, viewer=COMMS, flt=findings.FindingFilter(severities=("high",))
    )
    assert {i.rule for i in high.items} == {"off_tone", "confidential"}
    recent = findings.review_queue(
        session=session,
        viewer=COMMS,
        flt=findings.FindingFilter(statuses=(), since=datetime.now(UTC) - timedelta(days=2, hours=12)),
    )
    assert recent.total == 3  # the claims of day 1 and 2, and the reply of day 2
    second = findings.review_queue(session=session, viewer=COMMS, limit=4, offset=4)
    assert len(second.items) == 4 and second.total == page.total
    with pytest.raises(ValueError, match="unknown finding status"):
        findings.FindingFilter(statuses=("gone",))


def test_finding_detail_has_context_evidence_and_clause(session, seeded) -> None:  # type: ignore[no-untyped-def]
    detail = findings.finding_detail(
        session=session, viewer=COMMS, finding_id=seeded.finding_ids[len(CLAIMS)]
    )
    assert detail.reply_to_text == REPLY_PARENT
    assert detail.reply_to_author == seeded.author_pseudonym
    before, evidence, _after = detail.segments
    assert evidence == "Misschien eerst zelf even lezen" and before == ""
    assert (
        detail.clause is not None and detail.clause.text == "Reageer zakelijk en vriendelijk, ook op kritiek."
    )
    assert detail.reviews == []
    confirmed = findings.finding_detail(
        session=session, viewer=COMMS, finding_id=seeded.finding_ids[len(CLAIMS) + 1]
    )
    assert [r.disposition for r in confirmed.reviews] == ["confirmed"]


def test_split_evidence_falls_back_to_searching_the_text() -> None:
    assert findings.split_evidence("Het is 40% meer.", "40%", None, None) == ("Het is ", "40%", " meer.")
    assert findings.split_evidence("Het is 40% meer.", "40%", 50, 60) == ("Het is ", "40%", " meer.")
    assert findings.split_evidence("Niets hier.", "40%", None, None) == ("Niets hier.", "", "")


def test_dismissal_needs_a_reason_and_is_kept_in_history(session, seeded) -> None:  # type: ignore[no-untyped-def]
    target = seeded.finding_ids[0]
    with pytest.raises(MerkwachtError, match="reason"):
        review_finding(session=session, viewer=COMMS, finding_id=target, disposition="dismissed")
    review_finding(
        session=session,
        viewer=COMMS,
        finding_id=target,
        disposition="dismissed",
        reason="quote",
        note="Kop van een krant",
    )
    review_finding(session=session, viewer=COMMS, finding_id=target, disposition="reopened")
    assert session.get(Finding, target).status == "open"
    history = session.scalars(
        select(Review.disposition).where(Review.finding_id == target).order_by(Review.id)
    ).all()
    assert history == ["dismissed", "reopened"]
    count = review_findings(
        session=session,
        viewer=COMMS,
        finding_ids=seeded.finding_ids[1:3],
        disposition="dismissed",
        reason="not_a_breach",
    )
    assert count == 2
    assert findings.review_queue(session=session, viewer=COMMS).total == len(seeded.finding_ids) - 3
    with pytest.raises(MerkwachtError, match="no finding"):
        review_findings(session=session, viewer=COMMS, finding_ids=[1], disposition="confirmed")


def test_account_health(session, seeded) -> None:  # type: ignore[no-untyped-def]
    rows = {h.handle: h for h in overview.account_health(session=session, viewer=COMMS)}
    assert set(rows) == set(seeded.handles)
    campus = rows["CampusDemo"]
    assert campus.rate_limited_until is not None and campus.credentials_overdue
    assert campus.last_run_status == "rate_limited" and "429" in (campus.last_run_error or "")
    assert campus.last_success_at is not None
    uni = rows["UniDemo"]
    assert uni.open_by_rule["off_tone"] == {"high": 1}
    assert uni.replies_recent == 1 and uni.replies_off_tone == 1 and uni.off_tone_share == 1.0
    assert sum(h.open_findings for h in rows.values()) == len(seeded.finding_ids) - 1
    assert not uni.dormant and not uni.credentials_overdue
    later = overview.account_health(
        session=session, viewer=COMMS, now=datetime.now(UTC) + timedelta(days=120)
    )
    assert all(h.dormant for h in later)


def test_weekly_trend_counts_every_post_and_finding(session, seeded) -> None:  # type: ignore[no-untyped-def]
    points = overview.weekly_trend(session=session, viewer=COMMS, weeks=4)
    assert sum(p.posts for p in points) == len(seeded.texts)
    assert sum(p.findings for p in points) == len(seeded.finding_ids)
    assert all(p.week.weekday() == 0 for p in points)


def test_account_detail(session, seeded) -> None:  # type: ignore[no-untyped-def]
    campus = session.scalar(select(Account).where(Account.handle == "CampusDemo"))
    detail = accounts.account_detail(session=session, viewer=COMMS, account_id=campus.id)
    assert [r.status for r in detail.runs] == ["rate_limited", "ok"]
    assert detail.opt_ins[0].granted_by == "Hoofd Communicatie"
    assert detail.posts_total == len(detail.posts) == 1


def test_approval_matching_tolerates_publishing_edits(session, seeded) -> None:  # type: ignore[no-untyped-def]
    uni = session.scalar(select(Account).where(Account.handle == "UniDemo"))
    now = datetime.now(UTC)
    texts = {
        "published": "Wij steunen de landelijke actie voor veilige campussen. #veiligestudie https://example.org/actie",
        "shortened": "Wij steunen de landelijke actie voor veilige campussen",
        "unrelated": "Vanavond is er een lezing over sterrenkunde in de aula.",
    }
    for i, text in enumerate(texts.values()):
        session.add(
            Post(
                account_id=uni.id,
                platform_post_id=f"ap-{i}",
                created_at=now - timedelta(hours=i + 1),
                kind="post",
                text=text,
                urls=[],
                content_hash=f"ap{i}",
            )
        )
    session.flush()
    register = {a.external_id: a for a in approvals.approval_register(session=session, viewer=COMMS)}
    matched = {m.text for m in register["a-demo-1"].matches}
    assert texts["published"] in matched and texts["shortened"] in matched
    assert texts["unrelated"] not in matched
    # an approval for another account does not count for this one
    session.add(
        Approval(
            external_id="a-other",
            account_handle="@nieuws",
            text="Wij steunen de landelijke actie voor veilige campussen.",
            approved_by="X",
            approved_at=now - timedelta(days=3),
        )
    )
    session.flush()
    register = {a.external_id: a for a in approvals.approval_register(session=session, viewer=COMMS)}
    assert register["a-other"].matches == []
    standpoints = approvals.unapproved_standpoints(session=session, viewer=COMMS)
    assert [s.account for s in standpoints] == ["@demo.example.nl"]


def test_account_level_findings_lead_the_first_page(session, seeded) -> None:  # type: ignore[no-untyped-def]
    account = session.scalar(select(Account).where(Account.handle == "CampusDemo"))
    session.add(
        Finding(
            post_id=None,
            account_id=account.id,
            subject_key="dormant",
            rule="dormant_account",
            rule_version="1",
            pack="generic",
            pack_version="2026.1",
            pack_hash="a" * 64,
            clause="generic/bronnen",
            severity="low",
            score=1.0,
            explanation_nl="Slapend.",
            explanation_en="Dormant.",
        )
    )
    session.flush()
    first = findings.review_queue(session=session, viewer=COMMS, limit=4)
    assert first.items[0].rule == "dormant_account" and first.items[0].post_id is None
    assert first.total == len(seeded.finding_ids) and first.post_total == len(seeded.finding_ids) - 1
    assert len([i for i in first.items if i.post_id is not None]) == 4
    second = findings.review_queue(session=session, viewer=COMMS, limit=4, offset=4)
    assert all(i.post_id is not None for i in second.items)
    only = findings.review_queue(
        session=session, viewer=COMMS, flt=findings.FindingFilter(rules=("dormant_account",))
    )
    assert [i.rule for i in only.items] == ["dormant_account"] and only.total == 1
