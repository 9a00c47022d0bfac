"""The demo's dashboard in a real browser: `merkwacht demo --no-serve`, then `merkwacht dashboard` as a
subprocess; headless Chromium (over the DevTools protocol) signs in as comms, opens the findings page,
takes a screenshot and checks that the DOM shows the open findings of the demo database.

Skipped only when Debian's ``chromium`` is not installed (CI installs it). Screenshots are kept in
``$MERKWACHT_SCREENSHOT_DIR`` when that is set.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .cdp import Browser, chromium_path, free_port

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLI = [sys.executable, "-c", "from merkwacht.cli.main import main; main()"]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MERKWACHT_")}
    env.update(extra)
    env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
    return env


@pytest.fixture(scope="module")
def demo_dashboard(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if chromium_path() is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium); CI installs it")
    workdir = tmp_path_factory.mktemp("demo")
    database = workdir / "merkwacht-demo.db"
    built = subprocess.run(
        [*CLI, "demo", "--no-serve", "--db", str(database)],
        cwd=workdir,
        env=_env(),
        check=False,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-3000:]
    users = dict(re.findall(r"^demo-user \w+ (\S+) (\S+)$", built.stdout, re.MULTILINE))
    assert set(users) == {"demo-comms", "demo-council", "demo-admin"}, built.stdout
    port = free_port()
    log = (workdir / "dashboard.log").open("w")
    server = subprocess.Popen(
        [*CLI, "dashboard", "--address", "127.0.0.1", "--port", str(port)],
        cwd=workdir,
        env=_env(MERKWACHT_DATABASE_URL=f"sqlite:///{database}"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as answer:
                    if answer.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(
                    "the dashboard did not start:\n" + (workdir / "dashboard.log").read_text()[-3000:]
                )
            time.sleep(0.5)
        yield {"url": f"http://127.0.0.1:{port}/", "database": database, "users": users, "workdir": workdir}
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _shots(workdir: Path) -> Path:
    target = os.environ.get("MERKWACHT_SCREENSHOT_DIR")
    path = Path(target) if target else workdir
    path.mkdir(parents=True, exist_ok=True)
    return path


def _sign_in(browser: Browser, url: str, username: str, password: str) -> None:
    browser.navigate(url)
    browser.wait_for("document.querySelector('input[type=password]')")
    browser.type_into("input[aria-label='Gebruikersnaam']", username)
    browser.type_into("input[type=password]", password)
    browser.click_text("button", "Aanmelden")
    browser.wait_for("document.querySelector('[data-testid=\"stSidebarNav\"]')")


def test_comms_signs_in_and_sees_the_findings(demo_dashboard) -> None:  # type: ignore[no-untyped-def]
    with sqlite3.connect(demo_dashboard["database"]) as conn:
        open_count = conn.execute(
            "SELECT count(*) FROM findings WHERE status = 'open' AND superseded_at IS NULL"
        ).fetchone()[0]
        newest = conn.execute(
            "SELECT p.text FROM findings f JOIN posts p ON p.id = f.post_id WHERE f.status = 'open' "
            "AND f.superseded_at IS NULL ORDER BY p.created_at DESC, f.id DESC LIMIT 1"
        ).fetchone()[0]
    assert open_count > 0
    shots = _shots(demo_dashboard["workdir"])
    with Browser() as browser:
        _sign_in(browser, demo_dashboard["url"], "demo-comms", demo_dashboard["users"]["demo-comms"])
        browser.wait_for("document.body.innerText.includes('Open bevindingen')")
        browser.screenshot(shots / "overview-comms.png")
        browser.click_text("[data-testid='stSidebarNav'] a", "Bevindingen")
        browser.wait_for("document.body.innerText.includes('Bekijken')")
        browser.screenshot(shots / "findings-comms.png")
        text = browser.text()
        match = re.search(r"(\d+) bevindingen", text)
        assert match and int(match.group(1)) == open_count, text[:500]
        assert newest[:60] in text
        assert "Bron ontbreekt" in text or "Toon" in text
        browser.click_text("button", "Bekijken")
        browser.wait_for("document.querySelector('mark') || document.body.innerText.includes('Uitleg')")
        browser.screenshot(shots / "finding-detail-comms.png")
        assert "Opslaan" in browser.text()
    assert (shots / "findings-comms.png").stat().st_size > 10_000


def test_council_sees_only_aggregates(demo_dashboard) -> None:  # type: ignore[no-untyped-def]
    with sqlite3.connect(demo_dashboard["database"]) as conn:
        texts = [row[0] for row in conn.execute("SELECT text FROM posts")]
    shots = _shots(demo_dashboard["workdir"])
    with Browser() as browser:
        _sign_in(browser, demo_dashboard["url"], "demo-council", demo_dashboard["users"]["demo-council"])
        browser.wait_for("document.body.innerText.includes('Bevindingen per regel per maand')")
        browser.screenshot(shots / "council.png")
        links = browser.evaluate(
            "[...document.querySelectorAll('[data-testid=\"stSidebarNav\"] a')].map(a => a.innerText)"
        )
        assert not any("Bevindingen" == link.strip() for link in links), links
        text = browser.text()
        assert not any(post[:40] in text for post in texts)
        # a URL of a comms page does not open it for the council (a new session shows the login)
        browser.navigate(demo_dashboard["url"] + "findings")
        browser.wait_for("document.querySelector('input[type=password]')")
        assert not any(post[:40] in browser.text() for post in texts)
