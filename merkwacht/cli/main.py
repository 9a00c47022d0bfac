"""Entry point of the `merkwacht` command.

Each group of subcommands lives in a module of its own in this package and is listed in
:data:`COMMAND_MODULES`; a module exposes ``register(cli)`` which adds its commands.

Modules are imported lazily: ``merkwacht analyse`` imports only :mod:`merkwacht.cli.analyse`
(found through :data:`COMMAND_HINTS`), so a short command does not pay for importing the
database, dashboard and collector code of every other command (about a second). Listing the
commands (``merkwacht --help``) or an unknown name loads every module, so a command missing
from the hints is still found.

The help texts speak the run's language (:mod:`merkwacht.cli.helptext`), and so do click's own
words (:mod:`merkwacht.cli.clicktext`). ``--help`` is handled while the options are read, before
``--lang`` would otherwise take effect, so :meth:`LazyGroup.parse_args` looks for ``--lang``
first: ``merkwacht --help --lang en`` is English too.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from merkwacht import __version__
from merkwacht.core.i18n import LANGUAGES
from merkwacht.core.settings_errors import InvalidSettings

from . import clicktext
from .helptext import Group
from .messages import BadLanguageSetting, choose_language, command_scope, language, msg

clicktext.install()

#: Modules that add commands, in the order they appear in ``merkwacht --help``.
COMMAND_MODULES = (
    "merkwacht.cli.database",
    "merkwacht.cli.accounts",
    "merkwacht.cli.approvals",
    "merkwacht.cli.collect",
    "merkwacht.cli.analyse",
    "merkwacht.cli.analyse_review",
    "merkwacht.cli.export",
    "merkwacht.cli.users",
    "merkwacht.cli.privacy",
    "merkwacht.cli.schedule",
    "merkwacht.cli.dashboard",
    "merkwacht.cli.demo",
)

#: Top-level command name -> the module that registers it (a hint only: a wrong or missing
#: entry costs time, not correctness, because an unresolved name loads every module).
COMMAND_HINTS = {
    "init": "merkwacht.cli.database",
    "accounts": "merkwacht.cli.accounts",
    "approvals": "merkwacht.cli.approvals",
    "collect": "merkwacht.cli.collect",
    "analyse": "merkwacht.cli.analyse",
    "findings": "merkwacht.cli.analyse_review",
    "policy": "merkwacht.cli.analyse_review",
    "export": "merkwacht.cli.export",
    "users": "merkwacht.cli.users",
    **{
        name: "merkwacht.cli.privacy"
        for name in ("accesslog", "cases", "inzage", "pseudonyms", "purge", "register", "report")
    },
    "schedule": "merkwacht.cli.schedule",
    "dashboard": "merkwacht.cli.dashboard",
    "demo": "merkwacht.cli.demo",
}


class LazyGroup(Group):
    """A click group that imports a command module only when one of its commands is needed."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._imported: set[str] = set()

    def _load_module(self, name: str) -> None:
        if name in self._imported:
            return
        self._imported.add(name)
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:  # not written yet
                return
            raise
        module.register(self)

    def load_all(self) -> None:
        """Import every command module (for listing, or for a name the hints do not know)."""
        for name in COMMAND_MODULES:
            self._load_module(name)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            hint = COMMAND_HINTS.get(cmd_name)
            if hint is not None:
                self._load_module(hint)
            if cmd_name not in self.commands:
                self.load_all()
        return super().get_command(ctx, cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self.load_all()
        return super().list_commands(ctx)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        """One run of ``merkwacht``: the language chosen in it holds until the run ends."""
        with command_scope():
            return super().main(*args, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; settings that cannot be read are named in the run's language (exit code 2)."""
        try:
            return super().invoke(ctx)
        except InvalidSettings as exc:
            from .context import fail

            fail(exc.text(language()), code=2)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        lang = _lang_option(self, ctx, args)
        if lang is not None:
            choose_language(lang)
        return super().parse_args(ctx, args)


def _lang_option(group: click.Group, ctx: click.Context, args: list[str]) -> str | None:
    """The value of ``--lang`` in ``args`` when it names a language (read ahead of ``--help``)."""
    try:
        opts, _, _ = group.make_parser(ctx).parse_args(args=list(args))
    except click.UsageError:
        return None  # click reports it when it reads the options for real
    lang = opts.get("lang")
    return lang if lang in LANGUAGES else None


@click.group("merkwacht", cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="merkwacht")
@click.option("--lang", type=click.Choice(LANGUAGES), default=None)
def cli(lang: str | None) -> None:
    """Merkwacht: audit your organisation's own social-media brand accounts against its guideline."""
    try:
        choose_language(lang)
    except BadLanguageSetting as exc:
        from .context import fail

        fail(msg("main.bad_language", value=exc.value, allowed=", ".join(LANGUAGES)), code=2)


def main() -> None:
    try:
        cli.main(prog_name="merkwacht")
    except KeyboardInterrupt:
        click.echo(msg("main.interrupted"), err=True)
        sys.exit(130)


if __name__ == "__main__":  # python -m merkwacht.cli.main (same as python -m merkwacht)
    main()
