"""Dashboard users: Argon2 hashes, sign-in, single-sign-on mapping, and `merkwacht users`."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from merkwacht.core import auth, db
from merkwacht.core.errors import Duplicate, MerkwachtError, NotFound
from merkwacht.core.models import User
from merkwacht.core.queries.roles import Viewer


def test_password_is_stored_as_argon2_hash(session) -> None:  # type: ignore[no-untyped-def]
    user = auth.add_user(session=session, username="carla", role="comms", password="een-lang-wachtwoord")
    assert user.password_hash and user.password_hash.startswith("$argon2id$")
    assert "een-lang-wachtwoord" not in user.password_hash


def test_authenticate(session) -> None:  # type: ignore[no-untyped-def]
    auth.add_user(session=session, username="Carla", role="comms", password="een-lang-wachtwoord")
    assert auth.authenticate(session=session, username="carla", password="een-lang-wachtwoord") == Viewer(
        "Carla", "comms"
    )
    assert auth.authenticate(session=session, username="carla", password="fout-wachtwoord!") is None
    assert auth.authenticate(session=session, username="niemand", password="een-lang-wachtwoord") is None
    assert session.scalar(select(User.last_login_at).where(User.username == "Carla")) is not None
    auth.set_disabled(session=session, username="carla", disabled=True)
    assert auth.authenticate(session=session, username="carla", password="een-lang-wachtwoord") is None


def test_refusals(session) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(MerkwachtError, match="at least 10"):
        auth.add_user(session=session, username="kort", role="comms", password="kort")
    with pytest.raises(MerkwachtError, match="unknown role"):
        auth.add_user(session=session, username="rol", role="boss", password="een-lang-wachtwoord")
    with pytest.raises(MerkwachtError, match="username"):
        auth.add_user(session=session, username=" x y ", role="comms", password="een-lang-wachtwoord")
    auth.add_user(session=session, username="dubbel", role="comms", password="een-lang-wachtwoord")
    with pytest.raises(Duplicate):
        auth.add_user(session=session, username="DUBBEL", role="admin", password="een-lang-wachtwoord")
    with pytest.raises(NotFound):
        auth.set_password(session=session, username="onbekend", password="een-lang-wachtwoord")
    with pytest.raises(MerkwachtError, match="single sign-on"):
        auth.add_user(session=session, username="sso", role="comms", password=None)


def test_password_change(session) -> None:  # type: ignore[no-untyped-def]
    auth.add_user(session=session, username="ada", role="admin", password="eerste-wachtwoord")
    auth.set_password(session=session, username="ada", password="tweede-wachtwoord")
    assert auth.authenticate(session=session, username="ada", password="eerste-wachtwoord") is None
    assert auth.authenticate(session=session, username="ada", password="tweede-wachtwoord") == Viewer(
        "ada", "admin"
    )


def test_oidc_maps_subject_or_email_to_a_local_user(session) -> None:  # type: ignore[no-untyped-def]
    auth.add_user(session=session, username="oscar@example.nl", role="council", password=None)
    auth.add_user(session=session, username="carla", role="comms", password=None, oidc_subject="surf-123")
    assert auth.viewer_for_oidc(session=session, subject="surf-123", email="iets@anders.nl") == Viewer(
        "carla", "comms"
    )
    # first sign-in by e-mail binds the subject; afterwards the subject alone is enough
    assert auth.viewer_for_oidc(session=session, subject="surf-456", email="Oscar@example.nl") == Viewer(
        "oscar@example.nl", "council"
    )
    assert auth.viewer_for_oidc(session=session, subject="surf-456", email=None) == Viewer(
        "oscar@example.nl", "council"
    )
    # another subject presenting the same address does not take the account over
    assert auth.viewer_for_oidc(session=session, subject="surf-789", email="oscar@example.nl") is None
    assert auth.viewer_for_oidc(session=session, subject="onbekend", email="vreemde@example.nl") is None
    # a local password never works for an SSO-only user
    assert auth.authenticate(session=session, username="carla", password="") is None


def test_users_cli(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from merkwacht.cli.main import cli
    from merkwacht.core.settings import set_settings

    url = f"sqlite:///{tmp_path / 'users.db'}"
    monkeypatch.setenv("MERKWACHT_DATABASE_URL", url)
    set_settings(None)
    db.upgrade(url)
    runner = CliRunner()
    result = runner.invoke(
        cli, ["users", "add", "carla", "--role", "comms", "--password-stdin"], input="geheim-wachtwoord-1\n"
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        cli, ["users", "add", "oscar", "--role", "council"], input="raad-wachtwoord-12\nraad-wachtwoord-12\n"
    )
    assert result.exit_code == 0, result.output
    assert "raad-wachtwoord-12" not in result.output
    result = runner.invoke(
        cli, ["users", "add", "kort", "--role", "comms", "--password-stdin"], input="kort\n"
    )
    assert result.exit_code != 0 and "minstens 10 tekens" in result.output  # Dutch by default
    result = runner.invoke(
        cli, ["users", "passwd", "carla", "--password-stdin"], input="nieuw-wachtwoord-2\n"
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["users", "list"])
    assert result.exit_code == 0 and "carla" in result.output and "council" in result.output
    assert "argon2" not in result.output
    assert not [p for p in ("geheim-wachtwoord-1", "nieuw-wachtwoord-2", "raad-wachtwoord-12") if p in result.output]
    engine = db.make_engine(url)
    with db.session_scope(engine) as session:
        assert auth.authenticate(session=session, username="carla", password="nieuw-wachtwoord-2") is not None
    engine.dispose()
