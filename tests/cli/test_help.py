"""``--help`` speaks Dutch by default and English with ``--lang en`` or the language setting.

The texts come from ``merkwacht/cli/help.toml`` (checked here against the command tree: every
command and option has a text in both languages, every text belongs to one), click's own words
from ``merkwacht/cli/clicktext.toml`` (checked against click's source).
"""

from __future__ import annotations

import importlib
import inspect
import string
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from merkwacht.cli import clicktext, helptext
from merkwacht.cli.main import cli
from merkwacht.core.i18n import LANGUAGES


def _help(*args: str, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_top_level_help_is_dutch_by_default():
    text = _help("--help")
    assert "Gebruik: merkwacht" in text and "Opties:" in text and "Opdrachten:" in text
    assert "Toon deze hulp en stop." in text and "Taal van de meldingen" in text
    assert "Usage:" not in text and "Show this message" not in text and "Language of the messages" not in text


@pytest.mark.parametrize("args", [("--lang", "en", "--help"), ("--help", "--lang", "en"), ("--lang=en", "-h")])
def test_top_level_help_in_english_with_the_option_before_or_after(args):
    text = _help(*args)
    assert "Usage: merkwacht" in text and "Options:" in text and "Commands:" in text
    assert "Show this message and exit." in text and "Language of the messages" in text
    assert "Gebruik" not in text and "Toon deze hulp" not in text


def test_top_level_help_follows_the_environment_and_the_option_wins():
    assert "Usage: merkwacht" in _help("--help", env={"MERKWACHT_LANGUAGE": "en"})
    assert "Gebruik: merkwacht" in _help("--lang", "nl", "--help", env={"MERKWACHT_LANGUAGE": "en"})


def test_the_list_of_commands_is_in_the_language():
    assert "Het register van merkaccounts." in _help("--help")
    assert "The register of brand accounts." in _help("--lang", "en", "--help")


def test_a_subcommand_help_in_both_languages():
    dutch = _help("accounts", "add", "--help")
    assert "Registreer een merkaccount" in dutch and "Een van: x, reddit, mastodon, bluesky." in dutch
    assert "[verplicht]" in dutch and "Gebruik: merkwacht accounts add" in dutch
    english = _help("--lang", "en", "accounts", "add", "--help")
    assert "Register a brand account" in english and "One of: x, reddit, mastodon, bluesky." in english
    assert "[required]" in english and "Usage: merkwacht accounts add" in english


def test_a_default_is_shown_in_the_language():
    assert "[standaard: account owner]" in _help("accounts", "opt-in", "--help")
    assert "[default: account owner]" in _help("--lang", "en", "accounts", "opt-in", "--help")


def test_the_environment_chooses_for_a_subcommand(monkeypatch):
    monkeypatch.setenv("MERKWACHT_LANGUAGE", "en")
    assert "Record a decision on one or more findings" in _help("findings", "review", "--help")


def test_a_usage_error_in_both_languages():
    dutch = CliRunner().invoke(cli, ["accounts", "add", "--bogus"])
    assert dutch.exit_code == 2
    assert "Fout: Onbekende optie '--bogus'." in dutch.output
    assert "Zie 'merkwacht accounts add --help' voor hulp." in dutch.output
    english = CliRunner().invoke(cli, ["--lang", "en", "accounts", "add", "--bogus"])
    assert "Error: No such option '--bogus'." in english.output
    assert "Try 'merkwacht accounts add --help' for help." in english.output


def test_a_missing_option_in_dutch():
    result = CliRunner().invoke(cli, ["accounts", "opt-in", "UniLeiden"])
    assert result.exit_code == 2
    assert "Fout: Ontbrekende optie '--by'." in result.output


def test_click_outside_a_run_of_merkwacht_stays_english():
    @click.command()
    @click.option("--n", type=int)
    def other(n: int) -> None:
        """Another program's command."""

    result = CliRunner().invoke(other, ["--help"])
    assert "Usage:" in result.output and "Show this message and exit." in result.output


def test_version_output_is_unchanged():
    assert _help("--version").startswith("merkwacht, version ")


# --- the catalogues ------------------------------------------------------------------------------

def _tree(command: click.Command, ctx: click.Context):
    yield command, ctx
    if isinstance(command, click.Group):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            yield from _tree(sub, click.Context(sub, info_name=name, parent=ctx))


def _entries() -> tuple[list[tuple[str, str | None]], set[str]]:
    """(key, the command's own English help) per command and option of ``merkwacht``; and every key seen."""
    cli.load_all()
    root = click.Context(cli, info_name="merkwacht")
    entries: list[tuple[str, str | None]] = []
    for command, ctx in _tree(cli, root):
        assert isinstance(command, helptext._CatalogueHelp), f"{ctx.command_path}: use cls=Command or cls=Group"
        key = helptext.command_key(ctx)
        entries.append((f"{key}.about", command.help))
        for param in command.get_params(ctx):
            if isinstance(param, click.Option) and not param.hidden:
                own = f"{key}.{helptext.option_name(param)}"
                shared = f"{helptext.EVERY_COMMAND}.{helptext.option_name(param)}"
                entries.append((shared if shared in helptext.CATALOGUE.texts["nl"] else own, param.help))
    return entries, {key for key, _ in entries}


def test_every_command_and_option_has_help_in_both_languages_and_every_text_is_used():
    _, seen = _entries()
    texts = helptext.CATALOGUE.texts
    missing = {lang: sorted(key for key in seen if key not in texts[lang]) for lang in LANGUAGES}
    assert missing == {lang: [] for lang in LANGUAGES}
    assert sorted(set(texts["nl"]) - seen) == [], "in help.toml, but no such command or option"
    assert sorted(set(texts["nl"]) ^ set(texts["en"])) == []


def test_the_code_keeps_no_option_help_of_its_own():
    """Option texts live in help.toml only (a help= in the code would be shadowed, then drift)."""
    click_own = {"*.help", "merkwacht.version"}  # options click makes, with a text of click's
    entries, _ = _entries()
    stray = [key for key, own in entries if own and not key.endswith(".about") and key not in click_own]
    assert stray == []


def test_a_command_docstring_says_what_the_english_help_says():
    """A command's docstring (its description for developers) and its English help tell the same story."""
    entries, _ = _entries()
    texts = helptext.CATALOGUE.texts["en"]
    differ = [key for key, own in entries if key.endswith(".about") and own is not None
              and " ".join(inspect.cleandoc(own).split()) != " ".join(texts[key].split())]
    assert differ == []


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_placeholders():
    texts = helptext.CATALOGUE.texts
    assert [key for key in texts["nl"] if _placeholders(texts["nl"][key]) != _placeholders(texts["en"][key])] == []


def test_every_click_text_translated_is_still_a_text_of_click():
    source = "".join(
        Path(inspect.getfile(importlib.import_module(f"click.{name}"))).read_text(encoding="utf-8")
        for name in clicktext.CLICK_MODULES
    )
    gone = [message for message in clicktext.translations()["nl"] if repr(message) not in source
            and f'"{message}"' not in source]
    assert gone == []


def test_click_placeholders_are_kept_or_left_out_never_invented():
    for message, dutch in clicktext.translations()["nl"].items():
        assert _placeholders(dutch) <= _placeholders(message), message
