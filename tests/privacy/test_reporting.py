"""The evaluation report (R11) and the processing register (R14)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from merkwacht.core.accesslog import log_access
from merkwacht.core.cases import open_case
from merkwacht.core.models import CollectionRun, PolicyVersion
from merkwacht.core.reporting import (
    build_evaluation,
    build_register,
    render_html,
    render_markdown,
    render_pdf,
    render_register_html,
    render_register_markdown,
)
from merkwacht.core.retention import purge
from merkwacht.core.settings import Settings

from . import seed

T = datetime(2026, 7, 15, 9, tzinfo=UTC)


def _world(session):
    acc = seed.account(session, "bieb", unit="Bibliotheek", at=T)
    for i in range(14):
        p = seed.post(session, acc, at=T, text=f"Bericht {i}. ^AB", signature="^AB")
        f = seed.finding(session, p, at=T, rule="off_tone" if i < 10 else "missing_source")
        if i < 10:
            seed.review(session, f, at=T, disposition="dismissed" if i < 7 else "confirmed", reason="ironie",
                        reviewer="Reviewer Rita")
    session.add(PolicyVersion(pack="generic", version="1", pack_hash="c" * 64, agreed_at=None, agreed_hash=None,
                              first_used_at=T, last_used_at=T, document={"k": 3}))
    session.add(CollectionRun(account_id=acc.id, platform="mastodon", started_at=T, status="failed",
                              error_code="auth"))
    log_access(session=session, actor="rita", role="comms", action="view_page", at=T)
    open_case(session=session, reason="Klacht over een grof antwoord in juli", requested_by="Petra", key=seed.KEY,
              scope_signature="^AB", now=T)
    purge(session=session, triggered_by="po", now=T, commit=False)
    session.flush()


def test_evaluation_has_every_part_and_recommends_on_low_precision(session):
    _world(session)
    e = build_evaluation(session=session, period="2026Q3")
    assert e.k == 3 and e.period.label == "2026Q3"
    ot = e.review_outcomes.table.rows.index("off_tone")
    assert e.review_outcomes.precision["off_tone"] == 0.3
    assert e.findings_per_rule_month.cells[e.findings_per_rule_month.rows.index("off_tone")][0].value == 10
    assert e.review_outcomes.table.cells[ot][1].value == 7
    assert e.dismissal_reasons[0]["reason"] == "ironie" and e.dismissal_reasons[0]["count"] == 7
    assert e.collection_totals["runs_failed"] == 1
    assert e.cases["opened"] == 1 and len(e.retention_runs) == 1
    assert e.policy["status"] == "not agreed"
    topics = {r.topic for r in e.recommendations}
    assert {"off_tone", "policy", "collection"} <= topics
    assert "retention" not in topics  # a purge ran in the period

    md = render_markdown(e)
    assert "## Beoordelingen en precisie per regel" in md and "30%" in md and "off_tone" in md
    assert "nog niet ingestemd" in md
    en = render_markdown(e, lang="en")
    assert "Reviews and precision per rule" in en
    page = render_html(e)
    assert page.startswith("<!doctype html>") and "<table>" in page
    pdf = render_pdf(e)
    assert pdf.startswith(b"%PDF") and len(pdf) > 2000
    for text in (md, page, en):  # the report names no person and no signature
        for name in ("Rita", "rita", "Petra", "^AB", "s:"):
            assert name not in text, name


def test_empty_period_still_renders(session):
    e = build_evaluation(session=session, period="2025-01")
    assert e.findings_per_rule_month.rows == [] and e.findings_per_rule_month.columns == ["2025-01"]
    assert "Geen aanbevelingen" not in render_markdown(e)  # no purge: a recommendation
    assert render_pdf(e).startswith(b"%PDF")


def test_bad_period_is_named(session):
    from merkwacht.core.errors import MerkwachtError

    with pytest.raises(MerkwachtError, match="2026Q5"):
        build_evaluation(session=session, period="2026Q5")


def test_register_from_configuration_and_pack(session):
    seed.account(session, "bieb", unit="Bibliotheek", at=T)
    document = {
        "pack": "generic", "version": "3", "organisation": "Voorbeeldorganisatie", "k": 6, "hash": "d" * 64,
        "agreed": False, "council": {"agreed_at": None},
        "retention_days": {"findings": 90, "own_posts": 365},
        "clauses": [{"id": "generic/a", "title": "Bronnen", "purpose": "Feiten controleerbaar houden"}],
        "rules": {"missing_source": {"enabled": True, "clauses": ["generic/a"]},
                  "off_tone": {"enabled": False, "clauses": ["generic/a"]}},
    }
    reg = build_register(session=session, settings=Settings(), pack_document=document)
    retention = {c["category"]: c["retention_days"] for c in reg.categories}
    assert retention["findings"] == 90 and retention["own_posts"] == 365 and retention["reviews"] == 183
    md = render_register_markdown(reg)
    for expected in ("Voorbeeldorganisatie", "Feiten controleerbaar houden", "@bieb", "Bibliotheek",
                     "NOG NIET INGESTEMD", "missing_source", "| off_tone | nee |", "api.x.com", "k = 6",
                     "council", "nog nooit uitgevoerd"):
        assert expected in md, expected
    page = render_register_html(reg)
    assert "<table>" in page and "Voorbeeldorganisatie" in page
    fallback = build_register(session=session, settings=Settings(), pack_document={})
    assert fallback.notes and "standaard" in fallback.notes[0]


def test_every_role_may_build_the_report_and_nobody_anonymous(session):
    from merkwacht.core.errors import Refused
    from merkwacht.core.queries.roles import Viewer

    for role in ("council", "comms", "admin"):
        assert build_evaluation(session=session, period="2026Q3", viewer=Viewer("x", role)).period.label == "2026Q3"
    with pytest.raises(Refused):
        from merkwacht.core.queries import council

        council.findings_per_unit(session=session, viewer=None, period="2026Q3")
