"""The account register: add, opt in, revoke, refuse."""

from __future__ import annotations

import pytest

from merkwacht.core.errors import Ambiguous, Duplicate, MerkwachtError, NotFound, NotOptedIn
from merkwacht.core.platforms import UnknownPlatform
from merkwacht.core.repository import accounts as register


def _add(session, handle="UniLeiden", platform="x", **kw):
    kw.setdefault("unit", "Communicatie")
    kw.setdefault("purpose", "Toezicht op de richtlijn")
    if platform == "mastodon":
        kw.setdefault("instance", "https://social.edu.nl")
    return register.add_account(session=session, platform=platform, handle=handle, **kw)


def test_account_without_opt_in_is_not_collectable(session):
    account = _add(session)
    with pytest.raises(NotOptedIn, match="no opt-in"):
        register.require_collectable(account)
    assert register.collectable_accounts(session=session) == []


def test_opt_in_records_who_role_when_and_purpose(session):
    account = _add(session)
    record = register.opt_in(session=session, account=account, by="Hoofd Communicatie", role="eigenaar",
                             purpose="Naleving richtlijn")
    assert register.require_collectable(account) is record
    assert (record.granted_by, record.granted_role, record.purpose) == ("Hoofd Communicatie", "eigenaar",
                                                                        "Naleving richtlijn")
    assert record.granted_at.tzinfo is not None
    assert account.status == "active"


def test_revocation_is_recorded_and_stops_collection(session):
    account = _add(session)
    register.opt_in(session=session, account=account, by="A", role="eigenaar")
    revoked = register.revoke(session=session, account=account, by="B", role="eigenaar", reason="account opgeheven")
    session.expire_all()
    account = register.find_account(session=session, handle="@UniLeiden")
    assert account.status == "revoked"
    assert account.opt_ins[0].revoked_by == "B" and account.opt_ins[0].revoked_at is not None
    assert revoked.revoke_reason == "account opgeheven"
    with pytest.raises(NotOptedIn, match="revoked"):
        register.require_collectable(account)
    # opting in again after a revocation is a new record; the old one stays
    register.opt_in(session=session, account=account, by="C", role="eigenaar")
    assert len(account.opt_ins) == 2


def test_duplicate_account_is_rejected(session):
    _add(session, "UniLeiden")
    with pytest.raises(Duplicate, match="already registered"):
        _add(session, "@unileiden")
    # the same handle on another platform is another account
    _add(session, "UniLeiden", platform="bluesky")
    with pytest.raises(Ambiguous, match="--platform"):
        register.find_account(session=session, handle="UniLeiden")
    assert register.find_account(session=session, handle="UniLeiden", platform="bluesky").platform == "bluesky"


def test_unknown_platform_is_rejected_with_the_known_ones(session):
    with pytest.raises(UnknownPlatform, match="unknown platform 'myspace'; known platforms: bluesky, mastodon"):
        _add(session, platform="myspace")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (dict(platform="mastodon", instance=""), "needs --instance"),
        (dict(platform="x", instance="https://a.nl"), "only to Mastodon"),
        (dict(handle="bad handle!"), "not a valid X handle"),
        (dict(unit=" "), "--unit"),
        (dict(purpose=""), "--purpose"),
        (dict(credentials_env="lower"), "--credentials-env"),
    ],
)
def test_bad_registrations_say_what_is_wrong(session, kwargs, message):
    with pytest.raises(MerkwachtError, match=message):
        _add(session, **kwargs)


def test_unknown_account(session):
    with pytest.raises(NotFound, match="no account @nobody"):
        register.find_account(session=session, handle="nobody")
