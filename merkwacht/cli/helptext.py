"""``--help`` in the command's language: click commands whose help texts come from ``help.toml``.

A text is looked up when the help is formatted, not when the command is defined, so the
language chosen for the run (``merkwacht --lang``, else the ``language`` setting, else Dutch; see
:mod:`merkwacht.cli.messages`) is known by then. Keys follow the command line: the table of a
command is its path below ``merkwacht`` (``[nl."accounts add"]``; ``[nl.merkwacht]`` for the top
level), ``about`` is its description and an option's text is under its long name without dashes
(``credentials-env``). Options that every command has (``--help``) are under ``[nl."*"]``.

Use :class:`Group` and :class:`Command` as ``cls=`` for top-level commands; the subcommands of a
:class:`Group` are of these classes by themselves. A command's docstring stays its description
for developers; a test keeps every command and option of ``merkwacht`` in the catalogue.
"""

from __future__ import annotations

import copy
from pathlib import Path

import click

from merkwacht.core.i18n import Catalogue
from merkwacht.core.platforms import PLATFORMS

from .clicktext import click_text
from .messages import language

CATALOGUE = Catalogue(Path(__file__).with_name("help.toml"))
#: The name of the top-level command, and the table of its own help.
ROOT = "merkwacht"
#: The table of options that every command has.
EVERY_COMMAND = "*"
#: Values that help texts may name (the list of platforms is kept in one place, core.platforms).
_FACTS = {"platforms": ", ".join(PLATFORMS)}


def command_key(ctx: click.Context) -> str:
    """The catalogue table of the command of ``ctx``: its path below ``merkwacht``, or ``merkwacht``."""
    names: list[str] = []
    current: click.Context | None = ctx
    while current is not None:
        names.append(current.command.name or "")
        current = current.parent
    names.reverse()
    if len(names) > 1 and names[0] == ROOT:
        names = names[1:]
    return " ".join(names)


def option_name(param: click.Parameter) -> str:
    """An option's key in its command's table: its longest name without the dashes."""
    return max(param.opts, key=len).lstrip("-")


def text(key: str) -> str | None:
    """The help text ``key`` in the command's language, or ``None`` when the catalogue lacks it."""
    if key not in CATALOGUE.texts["nl"]:
        return None
    return CATALOGUE.translate(language(), key, **_FACTS)


def option_help(ctx: click.Context, param: click.Parameter) -> str | None:
    """The help of one option of the command of ``ctx``: its own text, else the text every command shares."""
    name = option_name(param)
    return text(f"{command_key(ctx)}.{name}") or text(f"{EVERY_COMMAND}.{name}")


class _CatalogueHelp(click.Command):
    """The help texts of a command, its options and (for a group) its subcommands, from the catalogue."""

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        about = text(f"{command_key(ctx)}.about")
        if about is None:
            super().format_help_text(ctx, formatter)
            return
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(about)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        records = []
        for param in self.get_params(ctx):
            if not isinstance(param, click.Option):
                continue
            help_text = option_help(ctx, param)
            if help_text is not None:
                param = copy.copy(param)
                param.help = help_text
            record = param.get_help_record(ctx)
            if record is not None:
                records.append(record)
        if records:
            with formatter.section(click_text("Options")):
                formatter.write_dl(records)


class Command(_CatalogueHelp):
    """A command whose ``--help`` speaks the command's language."""


class Group(_CatalogueHelp, click.Group):
    """A group whose ``--help`` and list of commands speak the command's language; so do its subcommands."""

    command_class = Command
    group_class = type  # a subgroup is of the class of its parent

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        shown = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                shown.append((name, command))
        if not shown:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        prefix = "" if command_key(ctx) == ROOT else command_key(ctx) + " "
        rows = []
        for name, command in shown:
            about = text(f"{prefix}{name}.about")
            described = click.Command(name, help=about) if about else command  # click shortens it to a line
            rows.append((name, described.get_short_help_str(limit)))
        with formatter.section(click_text("Commands")):
            formatter.write_dl(rows)
