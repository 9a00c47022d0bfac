"""Reviewing findings of the engine: a named reviewer decides, the history is kept, the status mirrors it (R7)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from merkwacht.analysis.database import analyse_database
from merkwacht.analysis.packs import load_pack
from merkwacht.core.errors import MerkwachtError, Refused
from merkwacht.core.models import Finding, Review
from merkwacht.core.post import Post
from merkwacht.core.queries.roles import Viewer
from merkwacht.core.repository import accounts as register
from merkwacht.core.repository.posts import upsert_posts
from merkwacht.core.repository.reviews import review_finding, review_findings

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
COMMS = Viewer(username="Sanne", role="comms")


@pytest.fixture
def findings(session):
    account = register.add_account(
        session=session, platform="x", handle="Hogeschool", unit="Communicatie", purpose="Toezicht"
    )
    register.opt_in(session=session, account=account, by="Hoofd", role="eigenaar", purpose="Naleving")
    texts = [
        "Nog niet officieel: de fusie gaat door.",
        "Onder embargo tot maandag: het nieuwe rooster.",
        "Vers uit de bestuursvergadering: de kantine gaat dicht.",
    ]
    upsert_posts(
        session=session,
        account=account,
        key=b"k" * 32,
        posts=[
            Post(
                id=str(i),
                platform="x",
                account="@Hogeschool",
                created_at=NOW - timedelta(days=1),
                kind="post",
                text=t,
            )
            for i, t in enumerate(texts)
        ],
    )
    analyse_database(session=session, pack=load_pack("generic"), now=NOW)
    return list(session.scalars(select(Finding).where(Finding.rule == "confidential").order_by(Finding.id)))


def test_history_is_kept_and_status_mirrors_the_last_review(session, findings):
    finding = findings[0]
    review_finding(
        session=session, viewer=COMMS, finding_id=finding.id, disposition="escalated", note="Naar CvB"
    )
    review_finding(session=session, viewer=COMMS, finding_id=finding.id, disposition="reopened")
    review_finding(
        session=session, viewer=COMMS, finding_id=finding.id, disposition="confirmed", note="Terecht"
    )
    session.refresh(finding)
    assert finding.status == "confirmed"
    history = session.scalars(select(Review).where(Review.finding_id == finding.id).order_by(Review.id)).all()
    assert [r.disposition for r in history] == ["escalated", "reopened", "confirmed"]
    assert {r.reviewer for r in history} == {"Sanne"}


def test_dismissal_needs_a_reason_and_bulk_dismiss(session, findings):
    with pytest.raises(MerkwachtError, match="reason"):
        review_finding(session=session, viewer=COMMS, finding_id=findings[0].id, disposition="dismissed")
    count = review_findings(
        session=session,
        viewer=COMMS,
        finding_ids=[f.id for f in findings],
        disposition="dismissed",
        reason="not_a_breach",
        note="Aangekondigd in de nieuwsbrief",
    )
    assert count == 3
    for finding in findings:
        session.refresh(finding)
        assert finding.status == "dismissed"


def test_council_cannot_review(session, findings):
    with pytest.raises(Refused):
        review_finding(
            session=session,
            viewer=Viewer(username="OR-lid", role="council"),
            finding_id=findings[0].id,
            disposition="confirmed",
        )


def test_a_reviewed_finding_survives_a_second_analysis(session, findings):
    review_finding(session=session, viewer=COMMS, finding_id=findings[0].id, disposition="confirmed")
    summary = analyse_database(session=session, pack=load_pack("generic"), now=NOW + timedelta(hours=1))
    assert summary.findings_added == 0
    session.refresh(findings[0])
    assert findings[0].status == "confirmed" and findings[0].superseded_at is None
