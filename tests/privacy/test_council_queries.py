"""The council's aggregate queries: totals only, suppressed below k, never grouped by a person (R3, R10, R12)."""

from __future__ import annotations

import ast
import inspect
import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from merkwacht.core.errors import Refused
from merkwacht.core.models import CollectionRun, PolicyVersion
from merkwacht.core.queries import council
from merkwacht.core.queries.roles import Viewer, require_role

from . import seed

COUNCIL = Viewer("or-lid", "council")
T = datetime(2026, 7, 10, 12, tzinfo=UTC)

#: Columns that identify a person (staff, reviewer, third party) or a single account.
PERSON_COLUMNS = {
    "signature", "scope_signature", "in_reply_to_author", "reviewer", "actor", "requested_by", "approved_by",
    "closed_by", "granted_by", "revoked_by", "triggered_by", "username", "display_name", "handle", "handle_key",
    "platform_account_id", "account_id", "post_id", "finding_id", "target", "note", "text", "in_reply_to_text",
    "evidence", "oidc_subject",
}


def _seed(session):
    big = seed.account(session, "grootaccount", unit="Communicatie", at=T)
    small = seed.account(session, "kleinaccount", unit="Bibliotheek", at=T)
    for i in range(12):
        p = seed.post(session, big, at=datetime(2026, 7, 1 + i, tzinfo=UTC), signature="^AB" if i % 2 else "Sanne")
        f = seed.finding(session, p, at=datetime(2026, 7, 1 + i, tzinfo=UTC),
                         rule="missing_source" if i < 9 else "off_tone")
        if i < 6:
            seed.review(session, f, at=T, disposition="confirmed", reviewer=f"rev{i}")
        elif i < 8:
            seed.review(session, f, at=T, disposition="dismissed", reviewer="rev9", reason="bron staat in draad")
    p = seed.post(session, small, at=datetime(2026, 8, 3, tzinfo=UTC))
    seed.finding(session, p, at=datetime(2026, 8, 3, tzinfo=UTC), rule="personal_data")
    session.add(CollectionRun(account_id=big.id, platform="mastodon", started_at=T, status="ok"))
    session.add(CollectionRun(account_id=big.id, platform="mastodon", started_at=T, status="rate_limited"))
    session.flush()


def test_findings_per_rule_per_month_is_suppressed(session):
    _seed(session)
    table = council.findings_per_rule_per_month(session=session, viewer=COUNCIL, period="2026Q3", k=5)
    assert table.columns == ["2026-07", "2026-08", "2026-09"]
    assert table.rows == ["missing_source", "off_tone", "personal_data"]
    ms = table.rows.index("missing_source")
    # July: missing_source 9 and off_tone 3 (hidden): the July total would give the 3 away, so it goes too
    assert table.cells[ms][0].value == 9
    assert table.column_totals[0].suppressed and table.column_totals[0].reason == "complementary"
    assert table.total.value == 13
    for row in table.cells:
        for c in row:
            assert c.suppressed or c.value == 0 or c.value >= 5
    assert table.cells[table.rows.index("off_tone")][0].suppressed  # 3 < 5
    assert table.cells[table.rows.index("personal_data")][1].suppressed  # 1 < 5


def test_review_outcomes_and_precision(session):
    _seed(session)
    out = council.review_outcomes_per_rule(session=session, viewer=COUNCIL, period="2026Q3", k=2)
    ms = out.table.rows.index("missing_source")
    assert out.table.cells[ms][0].value == 6 and out.table.cells[ms][1].value == 2
    assert out.precision["missing_source"] == 0.75
    strict = council.review_outcomes_per_rule(session=session, viewer=COUNCIL, period="2026Q3", k=5)
    assert strict.precision["missing_source"] is None  # dismissed 2 < 5: no precision that reveals it


def test_findings_per_unit_and_coverage(session):
    _seed(session)
    table = council.findings_per_unit(session=session, viewer=COUNCIL, period="2026Q3", k=5)
    assert table.rows == ["Bibliotheek", "Communicatie"]
    assert table.cells[0][table.columns.index("personal_data")].suppressed
    coverage = council.collection_coverage(session=session, viewer=COUNCIL, period="2026Q3")
    assert coverage == [{
        "platform": "mastodon", "accounts_registered": 2, "accounts_active": 2, "accounts_revoked": 0,
        "accounts_collected": 1, "coverage": 0.5, "runs_total": 2, "runs_ok": 1, "runs_rate_limited": 1,
        "runs_failed": 0, "runs_refused": 0,
    }]


def test_dismissal_reasons_pool_small_counts(session):
    _seed(session)
    rows = council.dismissal_reasons(session=session, viewer=COUNCIL, period="2026Q3", k=5)
    assert rows == [{"rule": "missing_source", "reason": "overige redenen (elk < 5)", "count": None, "suppressed": True}]
    rows = council.dismissal_reasons(session=session, viewer=COUNCIL, period="2026Q3", k=2)
    assert rows == [{"rule": "missing_source", "reason": "bron staat in draad", "count": 2, "suppressed": False}]


def test_policy_in_force_reports_not_agreed(session):
    session.add(PolicyVersion(pack="generic", version="1", pack_hash="a" * 64, agreed_at=T, agreed_hash="a" * 64,
                              first_used_at=T, last_used_at=T, document={"k": 7}))
    session.flush()
    row = council.policy_in_force(session=session, viewer=COUNCIL)
    assert row["status"] == "agreed" and council.council_k(session=session) == 7
    later = datetime(2026, 8, 1, tzinfo=UTC)
    session.add(PolicyVersion(pack="generic", version="1.1", pack_hash="b" * 64, agreed_at=T, agreed_hash="a" * 64,
                              first_used_at=later, last_used_at=later, document={}))
    session.flush()
    row = council.policy_in_force(session=session, viewer=COUNCIL)
    assert row["hash"] == "b" * 64 and row["status"] == "not agreed" and row["status_nl"] == "nog niet ingestemd"
    assert [r["version"] for r in council.pack_changes(session=session, viewer=COUNCIL, period="2026Q3")] == ["1", "1.1"]


def test_roles_are_checked():
    with pytest.raises(Refused):
        require_role(COUNCIL, "comms", "admin")
    with pytest.raises(Refused):
        require_role(None, "council")
    with pytest.raises(Refused):
        Viewer("x", "superuser")
    assert require_role(COUNCIL, "council") is COUNCIL


def _group_by_columns(sql: str) -> set[str]:
    found = set()
    for clause in re.findall(r"GROUP BY (.*?)(?: ORDER BY| HAVING| LIMIT|\)\s*AS|$)", sql, re.DOTALL | re.IGNORECASE):
        found |= {w.lower() for w in re.findall(r"[A-Za-z_]+", clause)}
    return found


def test_no_council_query_groups_by_a_person(session):
    """Run every public query of the module and inspect the SQL it sends: no person-level column is grouped on."""
    _seed(session)
    statements: list[str] = []
    bind = session.connection()

    def capture(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(bind, "before_cursor_execute", capture)
    try:
        functions = [f for name, f in inspect.getmembers(council, inspect.isfunction)
                     if f.__module__ == council.__name__ and not name.startswith("_")
                     and "viewer" in inspect.signature(f).parameters]
        assert len(functions) >= 9
        for f in functions:
            params = inspect.signature(f).parameters
            kwargs = {"session": session, "viewer": COUNCIL}
            if "period" in params:
                kwargs["period"] = "2026Q3"
            f(**kwargs)
    finally:
        event.remove(bind, "before_cursor_execute", capture)
    grouped = [s for s in statements if "GROUP BY" in s.upper()]
    assert len(grouped) >= 7
    for sql in grouped:
        assert not (_group_by_columns(sql) & PERSON_COLUMNS), sql


def test_council_module_never_touches_person_columns():
    """A static check over the module's source: no attribute access to a person-level column at all."""
    tree = ast.parse(inspect.getsource(council))
    touched = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    allowed_on_purpose = {"account_id", "post_id", "finding_id"}  # join keys (finding -> unit), never grouped on
    assert not (touched & (PERSON_COLUMNS - allowed_on_purpose)), touched & PERSON_COLUMNS
    imported = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert "User" not in imported and "OptIn" not in imported
