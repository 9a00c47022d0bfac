"""The account register: add, opt in, revoke, look up.

An account is a brand account of the organisation. It is collected only while it has an
active opt-in (PRIVACY.md R2); opt-in and revocation record who, which role, when and why.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..errors import Ambiguous, Duplicate, MerkwachtError, NotFound, NotOptedIn
from ..models import Account, OptIn, utcnow
from ..platforms import get_platform

_HANDLE_RE = re.compile(r"^[\w.\-]{1,200}$", re.UNICODE)


def handle_key(handle: str) -> str:
    """The form handles are compared in: without a leading ``@``, lower case."""
    return handle.strip().lstrip("@").lower()


def _clean_instance(instance: str | None) -> str:
    if not instance:
        return ""
    instance = instance.strip().rstrip("/")
    if not re.match(r"^https?://[^\s/]+", instance):
        raise MerkwachtError(code="accounts.bad_instance", instance=instance)
    return instance.lower()


def add_account(
    *,
    session: Session,
    platform: str,
    handle: str,
    unit: str,
    purpose: str,
    instance: str | None = None,
    credentials_env: str | None = None,
    platform_account_id: str | None = None,
) -> Account:
    """Register a brand account. It is not collected until it is opted in."""
    spec = get_platform(platform)
    clean = handle.strip().lstrip("@")
    if spec.name == "bluesky":
        valid = re.fullmatch(r"[A-Za-z0-9.\-]{1,253}", clean) is not None
    else:
        valid = _HANDLE_RE.fullmatch(clean) is not None
    if not valid:
        raise MerkwachtError(code="accounts.bad_handle", handle=handle, platform=spec.label)
    if spec.needs_instance and not instance:
        raise MerkwachtError(code="accounts.needs_instance", platform=spec.label)
    if not spec.needs_instance and instance:
        raise MerkwachtError(code="accounts.instance_not_allowed", platform=spec.label)
    if not unit.strip():
        raise MerkwachtError(code="accounts.no_unit")
    if not purpose.strip():
        raise MerkwachtError(code="accounts.no_purpose")
    if credentials_env is not None and not re.fullmatch(r"[A-Z][A-Z0-9_]*", credentials_env):
        raise MerkwachtError(code="accounts.bad_credentials_env", value=credentials_env)
    inst = _clean_instance(instance)
    key = handle_key(clean)
    existing = session.scalar(
        select(Account).where(Account.platform == spec.name, Account.instance == inst, Account.handle_key == key)
    )
    if existing is not None:
        raise Duplicate(code="accounts.exists_on" if inst else "accounts.exists", platform=spec.label,
                        handle=existing.handle, instance=inst, id=existing.id)
    account = Account(
        platform=spec.name,
        handle=clean,
        handle_key=key,
        instance=inst,
        unit=unit.strip(),
        purpose=purpose.strip(),
        credentials_env=credentials_env,
        platform_account_id=platform_account_id,
        status="registered",
    )
    session.add(account)
    session.flush()
    return account


def find_account(*, session: Session, handle: str, platform: str | None = None) -> Account:
    """The account registered under ``handle`` (``@`` optional); ``platform`` picks one when two share it."""
    query = select(Account).where(Account.handle_key == handle_key(handle)).options(selectinload(Account.opt_ins))
    if platform is not None:
        query = query.where(Account.platform == get_platform(platform).name)
    matches = list(session.scalars(query))
    if not matches:
        raise NotFound(code="accounts.not_registered_on" if platform else "accounts.not_registered",
                       handle=handle_key(handle), platform=platform)
    if len(matches) > 1:
        where = ", ".join(sorted(f"{a.platform}{' ' + a.instance if a.instance else ''}" for a in matches))
        raise Ambiguous(code="accounts.ambiguous", handle=handle_key(handle), platforms=where)
    return matches[0]


def opt_in(
    *, session: Session, account: Account, by: str, role: str, purpose: str | None = None, at: datetime | None = None
) -> OptIn:
    """Record consent to monitor ``account``; the account becomes collectable."""
    if not by.strip():
        raise MerkwachtError(code="accounts.opt_in_needs_by")
    if account.active_opt_in() is not None:
        raise Duplicate(code="accounts.already_opted_in", handle=account.handle, platform=account.platform)
    record = OptIn(
        account=account,
        granted_by=by.strip(),
        granted_role=role.strip() or "account owner",
        granted_at=at or utcnow(),
        purpose=(purpose or account.purpose).strip(),
    )
    session.add(record)
    account.status = "active"
    session.flush()
    return record


def revoke(
    *, session: Session, account: Account, by: str, role: str = "", reason: str | None = None, at: datetime | None = None
) -> OptIn:
    """Revoke the active opt-in: collection stops at once and the monitoring data becomes due for purging."""
    current = account.active_opt_in()
    if current is None:
        raise NotOptedIn(code="accounts.nothing_to_revoke", handle=account.handle, platform=account.platform)
    if not by.strip():
        raise MerkwachtError(code="accounts.revoke_needs_by")
    current.revoked_at = at or utcnow()
    current.revoked_by = by.strip()
    current.revoked_role = role.strip() or None
    current.revoke_reason = reason
    account.status = "revoked"
    session.flush()
    return current


def require_collectable(account: Account) -> OptIn:
    """The active opt-in of ``account``; :class:`NotOptedIn` when there is none (nothing may be requested)."""
    current = account.active_opt_in()
    if current is None:
        raise NotOptedIn(code="accounts.not_collected_revoked" if account.opt_ins else "accounts.not_collected_no_opt_in",
                         handle=account.handle, platform=account.platform)
    return current


def list_accounts(*, session: Session, platform: str | None = None) -> list[Account]:
    query = select(Account).options(selectinload(Account.opt_ins)).order_by(Account.platform, Account.handle_key)
    if platform:
        query = query.where(Account.platform == get_platform(platform).name)
    return list(session.scalars(query))


def collectable_accounts(*, session: Session) -> list[Account]:
    """Every account with an active opt-in."""
    return [a for a in list_accounts(session=session) if a.active_opt_in() is not None]


def record_credentials_rotation(*, session: Session, account: Account, at: datetime | None = None) -> None:
    """Note that the account's credentials were rotated (Leiden 9: the register keeps the date)."""
    account.credentials_rotated_at = at or utcnow()
    session.flush()
