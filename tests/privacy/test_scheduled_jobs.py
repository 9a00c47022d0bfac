"""The scheduler's privacy jobs: the quarterly report is written once per quarter; the jobs are wired."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from merkwacht.cli import privacy, schedule
from merkwacht.core import db


@pytest.mark.parametrize(
    ("today", "period"),
    [(datetime(2026, 1, 5, tzinfo=UTC), "2025Q4"), (datetime(2026, 4, 1, tzinfo=UTC), "2026Q1"),
     (datetime(2026, 11, 21, tzinfo=UTC), "2026Q3"), (datetime(2026, 12, 31, tzinfo=UTC), "2026Q3")],
)
def test_previous_quarter(today, period):
    assert privacy.previous_quarter(today) == period


def test_the_scheduler_holds_the_purge_and_report_jobs():
    ids = {spec.id for spec in schedule.EXTRA_JOB_SPECS}
    assert {"purge:daily", "report:quarterly"} <= ids
    for spec in schedule.EXTRA_JOB_SPECS:
        module, _, name = spec.func.partition(":")
        assert callable(getattr(__import__(module, fromlist=[name]), name))


def test_the_report_job_writes_the_last_quarter_once(empty_database_url, monkeypatch, tmp_path):
    monkeypatch.setenv("MERKWACHT_DATABASE_URL", empty_database_url)
    monkeypatch.setenv("MERKWACHT_REPORT_DIR", str(tmp_path / "reports"))
    db.upgrade(empty_database_url)
    try:
        first = privacy.periodic_report_job()
        assert first["written"] is True
        files = sorted(p.suffix for p in (tmp_path / "reports").iterdir())
        assert files == [".html", ".md", ".pdf"]
        assert (tmp_path / "reports" / f"merkwacht-evaluatie-{first['period']}.pdf").read_bytes()[:4] == b"%PDF"
        assert privacy.periodic_report_job()["written"] is False
    finally:
        db.dispose_engines()
