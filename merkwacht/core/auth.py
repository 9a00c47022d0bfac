"""Dashboard users: local accounts with Argon2 password hashes, roles, and single sign-on mapping.

A user has one role (``comms``, ``council`` or ``admin``; see DESIGN.md). Passwords are
hashed with argon2-cffi's ``PasswordHasher`` (Argon2id, its recommended parameters) and
are never stored, logged or returned in clear. A user signed in through OIDC single
sign-on (``st.login``, e.g. SURFconext) is mapped to a local user by the OIDC subject
(``sub``), or on first sign-in by e-mail address equal to the username; the role always
comes from the local user, never from the identity provider.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .errors import Duplicate, MerkwachtError, NotFound
from .models import ROLES, User, utcnow
from .queries.roles import Viewer

#: The shortest password accepted.
MIN_PASSWORD_LENGTH = 10
_USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+\-]{1,199}$")
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash() -> str:
    """Verified against when the username is unknown, so both cases take about as long (made on first use)."""
    return _hasher.hash("merkwacht-no-such-user")


@dataclass(frozen=True)
class UserInfo:
    """A user as shown by ``merkwacht users list``: never the hash."""

    username: str
    display_name: str | None
    role: str
    has_password: bool
    sso: bool
    disabled: bool
    created_at: datetime
    last_login_at: datetime | None


def hash_password(password: str) -> str:
    """The Argon2id hash of ``password``, refusing passwords shorter than :data:`MIN_PASSWORD_LENGTH`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise MerkwachtError(code="users.password_too_short", length=MIN_PASSWORD_LENGTH)
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash`` (False for an empty or malformed hash)."""
    if not password_hash:
        _safe_verify(_dummy_hash(), password)
        return False
    return _safe_verify(password_hash, password)


def _safe_verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise MerkwachtError(code="users.unknown_role", role=role, choices=", ".join(ROLES))
    return role


def _check_username(username: str) -> str:
    name = username.strip()
    if not _USERNAME_RE.fullmatch(name):
        raise MerkwachtError(code="users.bad_username", username=username)
    return name


def _get(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None:
        raise NotFound(code="users.not_found", username=username)
    return user


def add_user(
    *,
    session: Session,
    username: str,
    role: str,
    password: str | None,
    display_name: str | None = None,
    oidc_subject: str | None = None,
) -> User:
    """Add a dashboard user. ``password=None`` makes a single-sign-on-only user (needs ``oidc_subject`` or
    an e-mail address as username)."""
    name = _check_username(username)
    _check_role(role)
    if session.scalar(select(User.id).where(func.lower(User.username) == name.lower())) is not None:
        raise Duplicate(code="users.exists", username=name)
    if oidc_subject and session.scalar(select(User.id).where(User.oidc_subject == oidc_subject)) is not None:
        raise Duplicate(code="users.oidc_subject_taken", subject=oidc_subject)
    if password is None and not oidc_subject and "@" not in name:
        raise MerkwachtError(code="users.sso_needs_subject")
    user = User(
        username=name,
        display_name=(display_name or "").strip() or None,
        role=role,
        password_hash=hash_password(password) if password is not None else None,
        password_changed_at=utcnow() if password is not None else None,
        oidc_subject=oidc_subject or None,
    )
    session.add(user)
    session.flush()
    return user


def set_password(*, session: Session, username: str, password: str) -> User:
    """Replace a user's password."""
    user = _get(session, username)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    session.flush()
    return user


def set_role(*, session: Session, username: str, role: str) -> User:
    user = _get(session, username)
    user.role = _check_role(role)
    session.flush()
    return user


def set_disabled(*, session: Session, username: str, disabled: bool) -> User:
    user = _get(session, username)
    user.disabled = disabled
    session.flush()
    return user


def authenticate(*, session: Session, username: str, password: str) -> Viewer | None:
    """The :class:`Viewer` for a correct username and password of an enabled user, else ``None``.

    Records the time of the sign-in and upgrades the hash when argon2's parameters changed.
    """
    user = session.scalar(select(User).where(func.lower(User.username) == username.strip().lower()))
    if user is None or user.disabled:
        _safe_verify(_dummy_hash(), password)
        return None
    if not verify_password(user.password_hash, password):
        return None
    assert user.password_hash is not None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    session.flush()
    return Viewer(username=user.username, role=user.role)


def viewer_for_oidc(*, session: Session, subject: str | None, email: str | None) -> Viewer | None:
    """The local user an OIDC sign-in maps to, or ``None`` (then the person has no access).

    Looks up the subject first; an unmapped subject whose e-mail address equals a username is bound
    to that user, so the next sign-in matches on the subject even if the address changes.
    """
    user = None
    if subject:
        user = session.scalar(select(User).where(User.oidc_subject == subject))
    if user is None and email:
        user = session.scalar(select(User).where(func.lower(User.username) == email.strip().lower()))
        if user is not None and user.oidc_subject not in (None, subject):
            return None  # the address belongs to a user bound to another subject
        if user is not None and subject:
            user.oidc_subject = subject
    if user is None or user.disabled:
        return None
    user.last_login_at = utcnow()
    session.flush()
    return Viewer(username=user.username, role=user.role)


def list_users(*, session: Session) -> list[UserInfo]:
    return [
        UserInfo(
            username=u.username,
            display_name=u.display_name,
            role=u.role,
            has_password=bool(u.password_hash),
            sso=bool(u.oidc_subject),
            disabled=u.disabled,
            created_at=u.created_at,
            last_login_at=u.last_login_at,
        )
        for u in session.scalars(select(User).order_by(User.username))
    ]
