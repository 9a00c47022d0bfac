"""`merkwacht init`: create or upgrade the database."""

from __future__ import annotations

import click

from merkwacht.core import db
from merkwacht.core.settings import get_settings

from .context import console, handle_errors


@click.command("init")
@handle_errors
def init() -> None:
    """Create the database or upgrade it to the newest schema (safe to repeat)."""
    url = get_settings().database_url
    engine = db.get_engine(url)
    before = db.current_revision(engine)
    db.upgrade(url)
    after = db.current_revision(engine)
    shown = engine.url.render_as_string(hide_password=True)
    if before == after:
        console.print(f"Database {shown} is up to date (schema {after}).")
    else:
        console.print(f"Database {shown} upgraded from {before or 'empty'} to schema {after}.")


def register(cli: click.Group) -> None:
    cli.add_command(init)
