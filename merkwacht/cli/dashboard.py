"""`merkwacht dashboard [--address A] [--port P]`: start the Streamlit dashboard headless.

Runs ``streamlit run merkwacht/dashboard/app.py`` with the flags a server needs: headless (no
browser is opened), usage statistics off, no file watcher, no "run on save", the toolbar minimal.
The dashboard reads the same settings as every command (``MERKWACHT_DATABASE_URL`` ...), passed
on through the environment. It never runs the scheduler (`merkwacht schedule` does).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import click

from merkwacht.core.settings import get_settings

from .context import console
from .helptext import Command
from .messages import language, msg

APP = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"


def streamlit_command(*, address: str, port: int) -> list[str]:
    """The command line that starts the dashboard."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
        "--server.runOnSave",
        "false",
        "--client.toolbarMode",
        "minimal",
        "--global.developmentMode",
        "false",
        "--theme.base",
        "light",
    ]


def serve(*, address: str, port: int, env: dict[str, str] | None = None) -> int:
    """Run the dashboard in the foreground until it stops (Ctrl+C); returns its exit status."""
    environment = dict(os.environ)
    environment["MERKWACHT_LANGUAGE"] = language()  # `merkwacht --lang en dashboard`: the dashboard too
    environment.update(env or {})
    environment.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    host = "localhost" if address in ("127.0.0.1", "0.0.0.0", "::") else address
    console.print(msg("dashboard.serving", url=f"http://{host}:{port}"))
    process = subprocess.Popen(streamlit_command(address=address, port=port), env=environment)
    previous = signal.signal(signal.SIGTERM, _interrupt)  # stopping Merkwacht stops the dashboard too
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


@click.command("dashboard", cls=Command)
@click.option("--address", default=None)
@click.option("--port", type=int, default=None)
def dashboard(address: str | None, port: int | None) -> None:
    """Start the dashboard (Streamlit, headless) on the configured database."""
    settings = get_settings()
    status = serve(address=address or settings.dashboard_address, port=port or settings.dashboard_port)
    sys.exit(status)


def register(cli: click.Group) -> None:
    cli.add_command(dashboard)
