"""Shared fixtures.

``engine`` is parametrised over SQLite and PostgreSQL. PostgreSQL tests read
``MERKWACHT_TEST_DATABASE_URL`` and skip, saying so, only where it is unset. Each pytest
run creates a private PostgreSQL database of its own (and drops it at the end), so that
parallel runs never meet. ``session`` wraps each test in a transaction with a savepoint
that is rolled back, so tests see an empty, migrated database.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

os.environ.setdefault("MERKWACHT_PSEUDONYM_KEY", "test-pseudonym-key-0123456789")
os.environ.setdefault("PRAW_CHECK_FOR_UPDATES", "False")

from merkwacht.core import db  # noqa: E402
from merkwacht.core.settings import set_settings  # noqa: E402

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
PG_ENV = "MERKWACHT_TEST_DATABASE_URL"


def shared_path(*parts: str) -> Path:
    """A path in ../shared, or skip the test with a clear reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: the shared labelled data sets are not beside this checkout")
    return path


@pytest.fixture(autouse=True)
def _fresh_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No merkwacht.toml from the working directory leaks into a test; settings are re-read per test."""
    monkeypatch.setenv("MERKWACHT_CONFIG", str(tmp_path / "no-such-merkwacht.toml"))
    set_settings(None)
    yield
    set_settings(None)


def _private_pg_database(base_url: str) -> Iterator[str]:
    url = make_url(base_url)
    name = f"merkwacht_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin = db.make_engine(url.set(database="postgres").render_as_string(hide_password=False),
                           isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception:  # no right to create databases: use the given one as it is
        admin.dispose()
        yield base_url
        return
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        db.dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a private, empty PostgreSQL database for this test run."""
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL tests need a server (CI sets it)")
    yield from _private_pg_database(base)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'merkwacht-test.db'}"


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest) -> str:
    """A migrated database URL, once per backend per run."""
    url = request.getfixturevalue("sqlite_url" if request.param == "sqlite" else "pg_url")
    db.upgrade(url)
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = db.make_engine(database_url)
    yield eng
    eng.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test (SQLAlchemy's savepoint recipe).

    Code under test may call ``session.commit()``: with ``join_transaction_mode="create_savepoint"``
    that releases a savepoint, and the outer transaction still rolls everything back.
    """
    connection = engine.connect()
    outer = connection.begin()
    sess = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield sess
    finally:
        sess.close()
        outer.rollback()
        connection.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A brand-new, empty database (not migrated) for one test: for migrations and command-line tests
    that commit for real."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    base = make_url(request.getfixturevalue("pg_url"))
    name = f"{base.database}_{uuid.uuid4().hex[:6]}"
    admin = db.make_engine(base.set(database="postgres").render_as_string(hide_password=False),
                           isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        db.dispose_engines()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
