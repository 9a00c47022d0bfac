"""No request at all for an account without an active opt-in (PRIVACY.md R2); the CLI commands."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from merkwacht.cli.main import cli
from merkwacht.collector.fakeserver import FakePlatformServer
from merkwacht.collector.runner import collect_account
from merkwacht.core import db
from merkwacht.core.errors import NotOptedIn
from merkwacht.core.models import CollectionRun, Post
from merkwacht.core.repository.accounts import revoke
from merkwacht.core.settings import Settings, set_settings

from .conftest import PLATFORMS, register


@pytest.mark.parametrize("platform", PLATFORMS)
def test_no_request_for_an_account_without_opt_in(
    platform: str, session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, platform, opted_in=False)
    brand.posts(3)
    with pytest.raises(NotOptedIn, match="not collected"):
        brand.collect(backfill=True)
    assert server.request_count() == 0
    runs = select(func.count()).select_from(CollectionRun).where(CollectionRun.account_id == brand.account.id)
    assert session.scalar(runs) == 0


@pytest.mark.parametrize("platform", ["x", "bluesky"])
def test_a_revoked_account_is_not_requested_any_more(
    platform: str, session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, platform)
    brand.posts(2)
    assert brand.collect(backfill=True).new == 2
    before = server.request_count()
    revoke(session=session, account=brand.account, by="Hoofd communicatie", reason="account opgeheven")
    brand.posts(2, start=10)
    with pytest.raises(NotOptedIn, match="revoked"):
        collect_account(session=session, account=brand.account, settings=settings)
    assert server.request_count() == before


def test_missing_credentials_fail_with_a_code_naming_the_variable(
    session: Session, server: FakePlatformServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    brand = register(session, server, settings, monkeypatch, "x")
    monkeypatch.delenv("T_X_BEARER_TOKEN")
    result = brand.collect()
    assert (result.status, result.error_code) == ("failed", "E_CREDENTIALS")
    assert "T_X_BEARER_TOKEN" in result.error_message
    assert server.request_count() == 0


@pytest.fixture
def cli_env(tmp_path: Path, server: FakePlatformServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    db.upgrade(url)
    env = {"MERKWACHT_DATABASE_URL": url, "MERKWACHT_HTTP_BACKOFF": "0", "MERKWACHT_HTTP_TIMEOUT": "2",
           "MERKWACHT_PSEUDONYM_KEY": "test-pseudonym-key-0123456789", "CLI_X_BEARER_TOKEN": "secret-bearer"}
    env.update({f"MERKWACHT_{k.upper()}": v for k, v in server.settings_overrides().items()})
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    set_settings(None)
    yield env
    db.dispose_engines()


def _invoke(*args: str) -> object:
    set_settings(None)
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_cli_collect_refuses_an_account_without_opt_in(cli_env: dict[str, str], server: FakePlatformServer) -> None:
    server.add_post(platform="x", handle="CliBrand", text="Hallo")
    result = _invoke("accounts", "add", "--platform", "x", "--handle", "CliBrand", "--unit", "Comms",
                     "--purpose", "Toetsing", "--credentials-env", "CLI_X")
    assert result.exit_code == 0, result.output
    result = _invoke("collect", "--account", "CliBrand")
    assert result.exit_code != 0
    assert "wordt niet verzameld" in result.output and "opt-in" in result.output  # Dutch by default
    assert server.request_count() == 0


def test_cli_collect_backfill_then_incremental(cli_env: dict[str, str], server: FakePlatformServer) -> None:
    for i in range(120):
        server.add_post(platform="x", handle="CliBrand", text=f"Bericht {i}")
    _invoke("accounts", "add", "--platform", "x", "--handle", "CliBrand", "--unit", "Comms", "--purpose", "Toetsing",
            "--credentials-env", "CLI_X")
    _invoke("accounts", "opt-in", "CliBrand", "--by", "Hoofd communicatie")
    result = _invoke("collect", "--account", "CliBrand", "--backfill")
    assert result.exit_code == 0, result.output
    assert "120" in result.output and "ok" in result.output
    assert "secret-bearer" not in result.output
    result = _invoke("collect")
    assert result.exit_code == 0, result.output
    assert "nothing_new" in result.output
    engine = db.make_engine(os.environ["MERKWACHT_DATABASE_URL"])
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Post)) == 120
    engine.dispose()


def test_cli_collect_exits_non_zero_when_a_run_fails(cli_env: dict[str, str], server: FakePlatformServer) -> None:
    server.add_post(platform="x", handle="CliBrand", text="Hallo")
    _invoke("accounts", "add", "--platform", "x", "--handle", "CliBrand", "--unit", "Comms", "--purpose", "Toetsing",
            "--credentials-env", "CLI_X")
    _invoke("accounts", "opt-in", "CliBrand", "--by", "Hoofd communicatie")
    server.inject_fault(platform="x", kind="truncated", endpoint="users_tweets")
    result = _invoke("collect")
    assert result.exit_code == 1
    assert "E_MALFORMED" in result.output


@pytest.mark.parametrize(("lang", "expected", "hint"), [
    (None, "omgevingsvariabele(n) niet ingesteld: CLI_X_BEARER_TOKEN",
     "E_CREDENTIALS: een omgevingsvariabele met inloggegevens ontbreekt"),
    ("en", "environment variable(s) not set: CLI_X_BEARER_TOKEN",
     "E_CREDENTIALS: a credential environment variable is missing"),
])
def test_cli_collect_shows_a_collector_error_in_its_language(
    cli_env: dict[str, str], server: FakePlatformServer, monkeypatch: pytest.MonkeyPatch, lang: str | None,
    expected: str, hint: str,
) -> None:
    _invoke("accounts", "add", "--platform", "x", "--handle", "CliBrand", "--unit", "Comms", "--purpose", "Toetsing",
            "--credentials-env", "CLI_X")
    _invoke("accounts", "opt-in", "CliBrand", "--by", "Hoofd communicatie")
    monkeypatch.delenv("CLI_X_BEARER_TOKEN")
    result = _invoke(*(["--lang", lang] if lang else []), "collect")
    assert result.exit_code == 1
    output = " ".join(result.output.split())  # table cells may wrap
    assert expected in output and hint in output
    assert server.request_count() == 0
    engine = db.make_engine(os.environ["MERKWACHT_DATABASE_URL"])
    with engine.connect() as conn:  # the run record keeps the English message, whatever the screen showed
        stored = conn.execute(select(CollectionRun.error_code, CollectionRun.error_message)).one()
    engine.dispose()
    assert tuple(stored) == ("E_CREDENTIALS", "environment variable(s) not set: CLI_X_BEARER_TOKEN")
