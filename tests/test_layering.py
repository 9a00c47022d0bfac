"""DESIGN.md's dependency arrows, checked by walking every module's imports with ``ast``.

``cli -> dashboard, collector, analysis -> core``; core imports none of ours; each platform
SDK lives in its collector module only; rules touch no database, network or clock.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "merkwacht"

# package -> our packages it may import (besides itself)
ALLOWED = {
    "core": set(),
    "analysis": {"core"},
    "collector": {"core"},
    "dashboard": {"core"},
    "migrations": {"core"},
    "cli": {"core", "analysis", "collector", "dashboard"},
}
SDKS = {
    "tweepy": "collector/x.py",
    "praw": "collector/reddit.py",
    "prawcore": "collector/reddit.py",
    "mastodon": "collector/mastodon.py",
    "atproto": "collector/bluesky.py",
    "atproto_client": "collector/bluesky.py",
}
ONLY_IN_PACKAGE = {"streamlit": "dashboard", "apscheduler": ("collector", "cli")}
RULE_FORBIDDEN = {"sqlalchemy", "requests", "httpx", "socket", "urllib.request", "http.client", "merkwacht.core.db",
                  "merkwacht.core.models", "merkwacht.core.repository", "merkwacht.core.queries", "time"}


def _modules(root: Path):
    for path in sorted(root.rglob("*.py")):
        yield path, path.relative_to(root)


def _imports(path: Path, rel: Path) -> list[tuple[str, int]]:
    """Absolute names of everything ``path`` imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ["merkwacht", *rel.parts[:-1]]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
                if not node.module:
                    found += [(f"{name}.{alias.name}", node.lineno) for alias in node.names]
                    continue
            else:
                name = node.module or ""
            found.append((name, node.lineno))
            found += [(f"{name}.{alias.name}", node.lineno) for alias in node.names]
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.append((node.args[0].value, node.lineno))
    return found


def _violations(root: Path = ROOT) -> list[str]:
    problems = []
    for path, rel in _modules(root):
        top = rel.parts[0] if len(rel.parts) > 1 else None
        for name, line in _imports(path, rel):
            where = f"merkwacht/{rel}:{line} imports {name}"
            parts = name.split(".")
            if parts[0] == "merkwacht" and len(parts) > 1 and top is not None:
                target = parts[1]
                if target in ALLOWED and target != top and target not in ALLOWED.get(top, set()):
                    problems.append(f"{where}: {top} may not import {target}")
            root = parts[0]
            if root in SDKS and rel.as_posix() != SDKS[root] and not rel.as_posix().startswith("collector/fakeserver"):
                problems.append(f"{where}: {root} belongs in {SDKS[root]} only")
            if root in ONLY_IN_PACKAGE:
                allowed = ONLY_IN_PACKAGE[root]
                allowed = (allowed,) if isinstance(allowed, str) else allowed
                if top not in allowed:
                    problems.append(f"{where}: {root} belongs in {' or '.join(allowed)} only")
            if rel.parts[:2] == ("analysis", "rules"):
                if any(name == bad or name.startswith(bad + ".") for bad in RULE_FORBIDDEN):
                    problems.append(f"{where}: rules touch no database, network or clock")
    return problems


def test_dependency_arrows_hold():
    problems = _violations()
    assert not problems, "\n".join(problems)


def test_the_walker_sees_a_broken_arrow(tmp_path):
    """The check can fail: a core module importing the collector is reported."""
    fake = tmp_path / "merkwacht"
    (fake / "core").mkdir(parents=True)
    (fake / "core" / "bad.py").write_text("from merkwacht.collector import registry\nfrom ..analysis import x\n")
    (fake / "collector").mkdir()
    (fake / "collector" / "mastodon.py").write_text("import tweepy\n")
    (fake / "analysis" / "rules").mkdir(parents=True)
    (fake / "analysis" / "rules" / "r.py").write_text("from sqlalchemy import select\nimport time\n")
    problems = _violations(fake)
    text = "\n".join(problems)
    assert "core may not import collector" in text
    assert "core may not import analysis" in text
    assert "tweepy belongs in collector/x.py" in text
    assert "rules touch no database" in text
    assert len(problems) >= 5


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_every_package_exists(package):
    assert (ROOT / package / "__init__.py").exists()
