"""The command line speaks Dutch by default, English with ``--lang en`` or the language setting.

The catalogue (``merkwacht/cli/messages.toml``) is checked against the code: every key the code
uses exists, every key is used, and both languages have the same keys and placeholders.
"""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from merkwacht.cli import messages
from merkwacht.cli.main import cli
from merkwacht.core.i18n import LANGUAGES

CLI_DIR = Path(messages.__file__).parent
#: A command that fails before it needs a database, with a message of the command line's own.
MISUSE = ["analyse", "--approvals", "approvals.jsonl"]
DUTCH = "hoort bij de bestandsmodus"
ENGLISH = "belongs to file mode"


def _run(*args: str) -> object:
    return CliRunner().invoke(cli, [*args, *MISUSE])


def test_dutch_is_the_default():
    result = _run()
    assert result.exit_code == 2
    assert DUTCH in result.stderr and ENGLISH not in result.stderr


def test_lang_en_gives_english():
    result = _run("--lang", "en")
    assert result.exit_code == 2
    assert ENGLISH in result.stderr and DUTCH not in result.stderr


def test_the_environment_variable_chooses_and_the_option_wins(monkeypatch):
    monkeypatch.setenv("MERKWACHT_LANGUAGE", "en")
    assert ENGLISH in _run().stderr
    assert DUTCH in _run("--lang", "nl").stderr


def test_merkwacht_toml_chooses(monkeypatch, tmp_path):
    toml = tmp_path / "merkwacht.toml"
    toml.write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.setenv("MERKWACHT_CONFIG", str(toml))
    assert ENGLISH in _run().stderr


def test_the_choice_does_not_outlive_the_command():
    assert ENGLISH in _run("--lang", "en").stderr
    assert DUTCH in _run().stderr


def test_a_bad_setting_names_the_value_and_the_choices(monkeypatch):
    monkeypatch.setenv("MERKWACHT_LANGUAGE", "de")
    result = _run()
    assert result.exit_code == 2
    assert "'de'" in result.stderr and "nl, en" in result.stderr and "MERKWACHT_LANGUAGE" in result.stderr
    assert "Traceback" not in result.output
    assert ENGLISH in _run("--lang", "en").stderr  # the option still works; the setting is not needed


def test_a_bad_option_names_the_value_and_the_choices():
    result = _run("--lang", "de")
    assert result.exit_code == 2
    assert "'de'" in result.output and "'nl'" in result.output and "'en'" in result.output


def test_the_dashboard_is_started_in_the_chosen_language(monkeypatch):
    from merkwacht.cli import dashboard

    seen: dict[str, str] = {}

    class Process:
        def __init__(self, command, env):  # noqa: ANN001
            seen.update(env)

        def wait(self, timeout=None):  # noqa: ANN001
            return 0

    monkeypatch.setattr(dashboard.subprocess, "Popen", Process)
    result = CliRunner().invoke(cli, ["--lang", "en", "dashboard", "--port", "9"])
    assert result.exit_code == 0, result.output
    assert seen["MERKWACHT_LANGUAGE"] == "en"
    assert "stop with Ctrl+C" in result.stderr


def test_choosing_a_language_loads_neither_the_dashboard_nor_streamlit(tmp_path):
    posts = tmp_path / "posts.jsonl"
    posts.write_text("{broken\n", encoding="utf-8")
    code = (
        "import sys\n"
        "from merkwacht.cli.main import cli\n"
        f"try:\n    cli.main(['--lang', 'en', 'analyse', '--posts', {str(posts)!r}], prog_name='merkwacht')\n"
        "except SystemExit:\n    pass\n"
        "print('LOADED', ' '.join(m for m in sys.modules if m.startswith(('streamlit', 'merkwacht.dashboard'))))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "line 1: not valid JSON" in done.stderr
    assert done.stdout.split("LOADED", 1)[1].split() == []


# --- the catalogue -------------------------------------------------------------------------------

def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _keys_in_code() -> tuple[set[str], list[str]]:
    """Keys the command modules use: the first argument of ``msg(...)`` and any string that has the form
    of a key of a known group (keys kept in tables, such as ``_REVIEWED``); and keys built at run time."""
    groups = {key.split(".")[0] for key in messages.CATALOGUE.texts["nl"]}
    pattern = re.compile(r"[a-z_]+(\.[a-z0-9_]+)+")
    used: set[str] = set()
    built: list[str] = []
    for path in sorted(CLI_DIR.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "msg" and node.args:
                if isinstance(node.args[0], ast.JoinedStr):
                    built.append(f"{path.name}:{node.lineno}")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and pattern.fullmatch(node.value):
                if node.value.split(".")[0] in groups:
                    used.add(node.value)
    return used, built


def test_both_languages_have_the_same_keys_and_placeholders():
    texts = messages.CATALOGUE.texts
    assert set(texts) == set(LANGUAGES)
    assert sorted(set(texts["nl"]) ^ set(texts["en"])) == []
    differ = [key for key in texts["nl"] if _placeholders(texts["nl"][key]) != _placeholders(texts["en"][key])]
    assert differ == []


def test_every_key_the_code_uses_is_in_the_catalogue_and_every_key_is_used():
    used, built = _keys_in_code()
    assert built == [], "keys built at run time cannot be checked; keep them in a table of constants"
    dutch = set(messages.CATALOGUE.texts["nl"])
    assert sorted(used - dutch) == [], "used in the code, missing in messages.toml"
    assert sorted(dutch - used) == [], "in messages.toml, used nowhere"


def test_an_unknown_key_is_visible_not_a_crash():
    assert messages.msg("accounts.no_such_message") == "⟨accounts.no_such_message⟩"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_can_be_filled_in(lang):
    """Placeholders with formats (dates) accept the values the commands give them."""
    from datetime import UTC, datetime

    class Anything(str):
        def __format__(self, spec: str) -> str:
            return datetime(2026, 5, 1, tzinfo=UTC).__format__(spec) if "%" in spec else str(self)

    for key, text in messages.CATALOGUE.texts[lang].items():
        if key == "collect.posts_done":  # rich fills it in ({task.completed})
            continue
        filled = messages.CATALOGUE.translate(lang, key, **{name: Anything("x") for name in _placeholders(text)})
        assert "{" not in filled, (key, filled)
