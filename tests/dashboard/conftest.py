"""Fixtures for the dashboard tests: a seeded, committed database per backend and AppTest factories.

AppTest runs the Streamlit script in this process with its own sessions, so the data must be
committed: each backend gets a database of its own (never the shared, rolled-back test database).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from merkwacht.core import db
from merkwacht.core.queries.roles import Viewer
from tests.conftest import PG_ENV, _private_pg_database

from .seed import ROLES, Seeded, seed

APP = Path(__file__).resolve().parents[2] / "merkwacht" / "dashboard" / "app.py"
PAGES = APP.parent / "pages"
TIMEOUT = 30


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def dashboard_db(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Seeded]:
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path_factory.mktemp('dash') / 'dashboard.db'}"])
    else:
        base = os.environ.get(PG_ENV)
        if not base:
            pytest.skip(f"{PG_ENV} is not set: PostgreSQL tests need a server (CI sets it)")
        urls = _private_pg_database(base)
    url = next(urls)
    db.upgrade(url)
    engine = db.make_engine(url)
    with db.session_scope(engine) as session:
        seeded = seed(session, url)
    engine.dispose()
    yield seeded
    db.dispose_engines()
    for _ in urls:  # finish the generator: drops the private PostgreSQL database
        pass


@pytest.fixture
def use_db(dashboard_db: Seeded, monkeypatch: pytest.MonkeyPatch) -> Iterator[Seeded]:
    """Point the dashboard at the seeded database, with empty caches."""
    from merkwacht.core.settings import set_settings

    monkeypatch.setenv("MERKWACHT_DATABASE_URL", dashboard_db.url)
    set_settings(None)
    st.cache_data.clear()
    yield dashboard_db
    st.cache_data.clear()


AppFactory = Callable[..., AppTest]


@pytest.fixture
def app(use_db: Seeded) -> AppFactory:
    """``app(user)`` -> an AppTest of the entry script with ``user`` signed in (``None``: nobody)."""

    def make(username: str | None = None, *, lang: str | None = None, page: str | None = None) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        if username is not None:
            at.session_state["viewer"] = Viewer(username=username, role=ROLES[username])
        if lang:
            at.session_state["lang"] = lang
        at.run()
        if page is not None:
            at.switch_page(f"pages/{page}.py").run()
        return at

    return make
