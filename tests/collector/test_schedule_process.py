"""`merkwacht schedule` as a process: it registers jobs, and SIGTERM stops it cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from merkwacht.core import db
from merkwacht.core.repository.accounts import add_account, opt_in


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM")
def test_schedule_registers_jobs_and_stops_on_sigterm(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sched.db'}"
    db.upgrade(url)
    engine = db.make_engine(url)
    with db.session_scope(engine) as session:
        account = add_account(session=session, platform="bluesky", handle="sched.bsky.social", unit="Comms",
                              purpose="Toetsing")
        opt_in(session=session, account=account, by="Hoofd communicatie", role="owner")
        account_id = account.id
    env = {**os.environ, "MERKWACHT_DATABASE_URL": url, "MERKWACHT_PSEUDONYM_KEY": "test-pseudonym-key-0123456789",
           "MERKWACHT_COLLECT_INTERVAL_MINUTES": "600", "MERKWACHT_BLUESKY_API_URL": "http://127.0.0.1:9"}
    command = [sys.executable, "-c", "from merkwacht.cli.main import main; main()", "schedule"]
    process = subprocess.Popen(command, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        expected = sorted([f"collect:{account_id}", "purge:daily", "report:quarterly"])
        found = []
        while time.monotonic() < deadline and sorted(found) != expected:
            time.sleep(0.3)
            with engine.connect() as conn:
                try:
                    found = conn.execute(text("SELECT id FROM apscheduler_jobs")).scalars().all()
                except Exception:  # noqa: BLE001 - table not created yet
                    found = []
        assert sorted(found) == expected  # one collection job per opted-in account, plus purge and report
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    engine.dispose()
    assert process.returncode == 0, output
    assert "planner gestopt" in output  # "scheduler stopped" (Dutch by default)
