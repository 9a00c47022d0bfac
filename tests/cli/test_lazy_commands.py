"""The command modules load lazily: a command imports only its own module, the help lists them all."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from merkwacht.cli.main import COMMAND_HINTS, COMMAND_MODULES, cli


def test_help_lists_every_command():
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0, result.output
    listed = {line.split()[0] for line in result.output.split("Opdrachten:")[1].splitlines() if line.strip()}
    assert set(COMMAND_HINTS) <= listed
    assert set(COMMAND_HINTS.values()) <= set(COMMAND_MODULES)


def test_file_mode_imports_neither_other_commands_nor_the_database_layer(tmp_path):
    posts = tmp_path / "posts.jsonl"
    posts.write_text(
        '{"id": "1", "platform": "x", "account": "@Org", "created_at": "2026-01-01T00:00:00Z", '
        '"kind": "post", "text": "Welkom op de open dag!"}\n',
        encoding="utf-8",
    )
    code = (
        "import sys\n"
        "from merkwacht.cli.main import cli\n"
        f"try:\n    cli.main(['analyse', '--posts', {str(posts)!r}], prog_name='merkwacht')\n"
        "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('sqlalchemy', 'merkwacht.cli.')))\n"
        "print('LOADED', ' '.join(loaded), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stderr.split("LOADED", 1)[1].split()
    assert "merkwacht.cli.analyse" in loaded
    assert not [m for m in loaded if m.startswith("sqlalchemy")]
    assert "merkwacht.cli.dashboard" not in loaded and "merkwacht.cli.privacy" not in loaded


def test_an_unknown_name_still_loads_everything():
    result = CliRunner().invoke(cli, ["no-such-command"])
    assert result.exit_code != 0
    assert "Onbekende opdracht 'no-such-command'" in result.output


def test_python_dash_m_runs_the_command():
    import subprocess
    import sys

    for module in ("merkwacht", "merkwacht.cli.main"):
        done = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, text=True,
                              timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("merkwacht"), (module, done.stdout)
