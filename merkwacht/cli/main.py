"""Entry point of the `merkwacht` command.

Each group of subcommands lives in a module of its own in this package and is listed in
:data:`COMMAND_MODULES`; a module exposes ``register(cli)`` which adds its commands.
"""

from __future__ import annotations

import importlib
import sys

import click

from merkwacht import __version__

#: Modules that add commands, in the order they appear in ``merkwacht --help``.
COMMAND_MODULES = (
    "merkwacht.cli.database",
    "merkwacht.cli.accounts",
    "merkwacht.cli.approvals",
    "merkwacht.cli.collect",
    "merkwacht.cli.analyse",
    "merkwacht.cli.export",
    "merkwacht.cli.users",
    "merkwacht.cli.privacy",
    "merkwacht.cli.schedule",
    "merkwacht.cli.dashboard",
    "merkwacht.cli.demo",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="merkwacht")
def cli() -> None:
    """Merkwacht: audit your organisation's own social-media brand accounts against its guideline."""


def _load() -> None:
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # not written yet
                continue
            raise
        module.register(cli)


_load()


def main() -> None:
    try:
        cli.main(prog_name="merkwacht")
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
