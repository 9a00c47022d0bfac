"""`merkwacht init`: create or upgrade the database."""

from __future__ import annotations

import click

from merkwacht.core import db
from merkwacht.core.settings import get_settings

from .context import console, handle_errors
from .helptext import Command
from .messages import msg


@click.command("init", cls=Command)
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
        console.print(msg("database.up_to_date", url=shown, schema=after))
    else:
        console.print(msg("database.upgraded", url=shown, before=before or msg("database.empty"), schema=after))


def register(cli: click.Group) -> None:
    cli.add_command(init)
