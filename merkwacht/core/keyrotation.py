"""Rotating the pseudonymisation key ``MERKWACHT_PSEUDONYM_KEY`` (PRIVACY.md R4).

A pseudonym is an HMAC of a name under the key. Merkwacht never stores the names in clear,
so pseudonyms made under an old key cannot be recomputed under a new one: rotation does not
rewrite them. What rotation does, and what it means, is in ``docs/privacy.md`` ("Key
rotation"); in short:

* from the rotation on, new posts carry pseudonyms under the new key; the same third party
  or signature gets a different pseudonym than before (linkability across the rotation ends,
  which is the point of rotating);
* third-party pseudonyms under the old key disappear with the third-party text at its
  retention (default 183 days); signature pseudonyms under the old key stay with the own
  posts until theirs (default 730 days);
* while the old key is still kept (sealed), ``merkwacht inzage --previous-key-env NAME``
  also finds data pseudonymised under it; after that the old pseudonyms are, in effect,
  anonymous.

Keys are recorded only by fingerprint (:class:`~merkwacht.core.models.PseudonymKey`), so the
database can tell a deliberate rotation from a key that was changed by mistake.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .accesslog import log_access
from .errors import MerkwachtError, Refused
from .models import InvestigationCase, Post, PseudonymKey, utcnow
from .retention import resolve_periods


def key_fingerprint(key: bytes) -> str:
    """A fingerprint that tells keys apart without revealing them (HMAC of a fixed text, 24 hex)."""
    return hmac.new(key, b"merkwacht pseudonym key fingerprint", hashlib.sha256).hexdigest()[:24]


def active_key(*, session: Session) -> PseudonymKey | None:
    return session.scalar(select(PseudonymKey).where(PseudonymKey.retired_at.is_(None))
                          .order_by(PseudonymKey.id.desc()).limit(1))


#: Why a configured key that is not the current one is refused, per :func:`key_status`.
_CONFIGURED_KEY_REFUSED = {"retired": "keys.configured_retired", "unknown": "keys.configured_unknown"}


def key_status(*, session: Session, key: bytes) -> str:
    """``unrecorded`` (no key recorded yet), ``current``, ``retired`` (an old key is configured again) or
    ``unknown`` (the key changed without ``merkwacht pseudonyms rotate``: new pseudonyms will not match old ones)."""
    fp = key_fingerprint(key)
    row = session.scalar(select(PseudonymKey).where(PseudonymKey.fingerprint == fp))
    if row is not None:
        return "current" if row.retired_at is None else "retired"
    return "unrecorded" if active_key(session=session) is None else "unknown"


def record_key(*, session: Session, key: bytes, by: str, now: datetime | None = None) -> PseudonymKey:
    """Record ``key`` as the key in use when none is recorded yet (first use); otherwise it must be current."""
    status = key_status(session=session, key=key)
    if status == "current":
        row = active_key(session=session)
        assert row is not None
        return row
    if status != "unrecorded":
        raise Refused(code=_CONFIGURED_KEY_REFUSED[status])
    row = PseudonymKey(fingerprint=key_fingerprint(key), activated_at=(now or utcnow()), activated_by=by)
    session.add(row)
    session.flush()
    return row


@dataclass(frozen=True)
class RotationReport:
    """What a rotation changed and what stays under the old key."""

    old_fingerprint: str
    new_fingerprint: str
    at: datetime
    third_party_pseudonyms: int
    signature_pseudonyms: int
    open_cases: int
    third_party_gone_by: datetime | None
    signatures_gone_by: datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.__dict__.items()}


def rotate(
    *, session: Session, old_key: bytes, new_key: bytes, by: str, periods: dict[str, int] | None = None,
    role: str = "operator", channel: str = "cli", now: datetime | None = None,
) -> RotationReport:
    """Record the switch from ``old_key`` to ``new_key`` and report what stays pseudonymised under the old key.

    Refused when the keys are the same, or when ``old_key`` is not the key recorded as in use.
    """
    at = (now or utcnow()).astimezone(UTC)
    if len(new_key) < 16:
        raise MerkwachtError(code="keys.new_key_too_short")
    if hmac.compare_digest(old_key, new_key):
        raise MerkwachtError(code="keys.new_equals_old")
    old_fp, new_fp = key_fingerprint(old_key), key_fingerprint(new_key)
    current = active_key(session=session)
    if current is not None and current.fingerprint != old_fp:
        raise Refused(code="keys.old_key_not_in_use")
    if session.scalar(select(PseudonymKey).where(PseudonymKey.fingerprint == new_fp)) is not None:
        raise Refused(code="keys.new_key_used_before")
    if current is None:
        current = PseudonymKey(fingerprint=old_fp, activated_at=at, activated_by=by)
        session.add(current)
    current.retired_at = at
    session.add(PseudonymKey(fingerprint=new_fp, activated_at=at, activated_by=by))
    session.flush()

    resolved = resolve_periods(periods)
    third = int(session.scalar(select(func.count()).select_from(Post).where(Post.in_reply_to_author.is_not(None))) or 0)
    sigs = int(session.scalar(select(func.count()).select_from(Post).where(Post.signature.is_not(None))) or 0)
    newest_third = session.scalar(select(func.max(Post.created_at)).where(Post.in_reply_to_author.is_not(None)))
    newest_sig = session.scalar(select(func.max(Post.created_at)).where(Post.signature.is_not(None)))
    open_cases = int(session.scalar(
        select(func.count()).select_from(InvestigationCase).where(InvestigationCase.closed_at.is_(None))
    ) or 0)
    report = RotationReport(
        old_fingerprint=old_fp, new_fingerprint=new_fp, at=at, third_party_pseudonyms=third,
        signature_pseudonyms=sigs, open_cases=open_cases,
        third_party_gone_by=newest_third + timedelta(days=resolved["third_party_text"]) if newest_third else None,
        signatures_gone_by=newest_sig + timedelta(days=resolved["own_posts"]) if newest_sig else None,
    )
    log_access(session=session, actor=by, role=role, action="key_rotation", target="pseudonym_key", channel=channel,
               details={"old": old_fp, "new": new_fp, "third_party_pseudonyms": third, "signature_pseudonyms": sigs},
               at=at)
    return report
