"""Investigation cases: the only door to findings per signature (PRIVACY.md R6).

A staff signature (``^AB``, ``Groet, Sanne``) says who of the team wrote a reply. Listing
findings per signature is looking at one employee, so Merkwacht allows it only inside a
case that

* states a reason (the documented suspicion) and a scope (a signature, an account, or both),
* was requested by one person and approved by a *different* person,
* is open (not closed) and unexpired (expiry at most :data:`MAX_DAYS` after opening).

Opening, approving, every use and closing are written to the access log. A case whose
expiry has passed is closed (status ``expired``) by :func:`expire_cases`, which every function
here runs first, so an expired case never gives access even if nobody closed it. Only the
requester and the approver may use a case.

Signatures are kept as keyed pseudonyms (``s:...``); a signature given in clear is
pseudonymised with the settings key before it is stored or compared.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from .accesslog import log_access
from .errors import MerkwachtError, NotFound, Refused
from .models import Account, Finding, InvestigationCase, Post, utcnow
from .pseudonyms import is_pseudonym, signature_pseudonym

#: Longest a case may run (CBP: targeted checks for a short period).
MAX_DAYS = 30
DEFAULT_DAYS = 14
MIN_REASON_CHARS = 15


def _now(now: datetime | None) -> datetime:
    return (now or utcnow()).astimezone(UTC)


def _same_person(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and a.strip().casefold() == b.strip().casefold()


def signature_key(signature: str, *, key: bytes) -> str:
    """The stored form of ``signature``: a pseudonym given as ``s:...`` as it is, a clear signature pseudonymised."""
    value = signature.strip()
    if not value:
        raise MerkwachtError(code="cases.empty_signature")
    if is_pseudonym(value):
        if not value.startswith("s:"):
            raise MerkwachtError(code="cases.not_a_signature", value=value)
        return value
    return signature_pseudonym(value, key=key)


def open_case(
    *,
    session: Session,
    reason: str,
    requested_by: str,
    key: bytes,
    scope_account_id: int | None = None,
    scope_signature: str | None = None,
    days: int = DEFAULT_DAYS,
    role: str = "admin",
    channel: str = "cli",
    now: datetime | None = None,
) -> InvestigationCase:
    """Request a case. It gives no access until a second person approves it."""
    at = _now(now)
    if not reason or len(reason.strip()) < MIN_REASON_CHARS:
        raise MerkwachtError(code="cases.reason_too_short", length=MIN_REASON_CHARS, reason=reason)
    if not requested_by.strip():
        raise MerkwachtError(code="cases.no_requester")
    if not 1 <= days <= MAX_DAYS:
        raise MerkwachtError(code="cases.bad_days", max=MAX_DAYS, days=days)
    if scope_account_id is None and not scope_signature:
        raise MerkwachtError(code="cases.no_scope")
    if scope_account_id is not None and session.get(Account, scope_account_id) is None:
        raise NotFound(code="accounts.no_such_id", id=scope_account_id)
    case = InvestigationCase(
        reason=reason.strip(),
        requested_by=requested_by.strip(),
        opened_at=at,
        expires_at=at + timedelta(days=days),
        scope_account_id=scope_account_id,
        scope_signature=signature_key(scope_signature, key=key) if scope_signature else None,
        status="requested",
    )
    session.add(case)
    session.flush()
    log_access(session=session, actor=case.requested_by, role=role, action="case_open", target=f"case:{case.id}",
               channel=channel, details={"expires_at": case.expires_at.isoformat(), "days": days}, at=at)
    return case


def get_case(*, session: Session, case_id: int) -> InvestigationCase:
    case = session.get(InvestigationCase, case_id)
    if case is None:
        raise NotFound(code="cases.not_found", id=case_id)
    return case


def expire_cases(*, session: Session, now: datetime | None = None, channel: str = "cli") -> list[int]:
    """Close every case whose expiry has passed (status ``expired``); returns their ids."""
    at = _now(now)
    due = list(session.scalars(
        select(InvestigationCase).where(InvestigationCase.closed_at.is_(None), InvestigationCase.expires_at <= at)
    ))
    for case in due:
        case.status = "expired"
        case.closed_at = at
        case.closed_by = "system"
        case.close_reason = "verlopen"
        log_access(session=session, actor="system", role="system", action="case_expire", target=f"case:{case.id}",
                   channel=channel, at=at)
    session.flush()
    return [c.id for c in due]


def approve_case(
    *, session: Session, case_id: int, approver: str, role: str = "admin", channel: str = "cli",
    now: datetime | None = None,
) -> InvestigationCase:
    """Approve a requested case. The approver must be someone other than the requester."""
    at = _now(now)
    expire_cases(session=session, now=at, channel=channel)
    case = get_case(session=session, case_id=case_id)
    if not approver.strip():
        raise MerkwachtError(code="cases.no_approver")
    if _same_person(approver, case.requested_by):
        raise Refused(code="cases.own_approval", id=case.id)
    if case.status != "requested":
        raise Refused(code="cases.cannot_approve", id=case.id, status=case.status)
    case.approved_by = approver.strip()
    case.approved_at = at
    case.status = "approved"
    session.flush()
    log_access(session=session, actor=case.approved_by, role=role, action="case_approve", target=f"case:{case.id}",
               channel=channel, at=at)
    return case


def close_case(
    *, session: Session, case_id: int, by: str, reason: str = "", role: str = "admin", channel: str = "cli",
    now: datetime | None = None,
) -> InvestigationCase:
    """Close a case before its expiry (the investigation is done)."""
    at = _now(now)
    expire_cases(session=session, now=at, channel=channel)
    case = get_case(session=session, case_id=case_id)
    if case.closed_at is not None:
        raise Refused(code="cases.already", id=case.id, status=case.status)
    case.status = "closed"
    case.closed_at = at
    case.closed_by = by.strip()
    case.close_reason = reason.strip() or None
    session.flush()
    log_access(session=session, actor=by, role=role, action="case_close", target=f"case:{case.id}",
               channel=channel, at=at)
    return case


def require_open_case(*, session: Session, case_id: int, actor: str, now: datetime | None = None) -> InvestigationCase:
    """The case, if it is approved by a second person, open, unexpired, and ``actor`` is named in it."""
    at = _now(now)
    expire_cases(session=session, now=at)
    case = get_case(session=session, case_id=case_id)
    if case.status in ("closed", "expired") or case.closed_at is not None:
        raise Refused(code="cases.no_access_any_more", id=case.id, status=case.status)
    if case.status != "approved" or case.approved_by is None or case.approved_at is None:
        raise Refused(code="cases.not_approved_yet", id=case.id)
    if _same_person(case.approved_by, case.requested_by):
        raise Refused(code="cases.self_approved", id=case.id)
    if case.expires_at <= at:
        raise Refused(code="cases.expired", id=case.id, at=case.expires_at)
    if not (_same_person(actor, case.requested_by) or _same_person(actor, case.approved_by)):
        raise Refused(code="cases.not_yours", id=case.id)
    return case


def findings_for_signature(
    *, session: Session, case_id: int, actor: str, role: str = "admin", channel: str = "cli",
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """The findings on posts signed with the case's signature (within the case's account, if it names one);
    for an account-only case, that account's findings of signed posts, each with its signature pseudonym.
    Allowed only inside an open, approved, unexpired case; every use is logged."""
    at = _now(now)
    case = require_open_case(session=session, case_id=case_id, actor=actor, now=at)
    query = (
        select(Finding, Post, Account)
        .join(Post, Post.id == Finding.post_id)
        .join(Account, Account.id == Post.account_id)
        .where(Post.signature.is_not(None))
        .order_by(Post.created_at, Finding.id)
    )
    if case.scope_signature is not None:
        query = query.where(Post.signature == case.scope_signature)
    if case.scope_account_id is not None:
        query = query.where(Post.account_id == case.scope_account_id)
    rows = [
        {
            "finding_id": f.id,
            "rule": f.rule,
            "clause": f.clause,
            "severity": f.severity,
            "score": f.score,
            "status": f.status,
            "evidence": f.evidence,
            "explanation_nl": f.explanation_nl,
            "explanation_en": f.explanation_en,
            "created_at": f.created_at,
            "post_id": p.id,
            "post_created_at": p.created_at,
            "post_text": p.text,
            "platform": a.platform,
            "account": a.display_handle,
            "signature": p.signature,
        }
        for f, p, a in session.execute(query)
    ]
    log_access(session=session, actor=actor, role=role, action="case_use", target=f"case:{case.id}",
               channel=channel, details={"findings": len(rows)}, at=at)
    return rows


def list_cases(*, session: Session, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every case (after closing the expired ones), newest first, as plain data."""
    expire_cases(session=session, now=now)
    return [
        {
            "id": c.id,
            "status": c.status,
            "reason": c.reason,
            "requested_by": c.requested_by,
            "approved_by": c.approved_by,
            "opened_at": c.opened_at,
            "approved_at": c.approved_at,
            "expires_at": c.expires_at,
            "closed_at": c.closed_at,
            "closed_by": c.closed_by,
            "scope_account_id": c.scope_account_id,
            "scope_signature": c.scope_signature,
        }
        for c in session.scalars(select(InvestigationCase).order_by(InvestigationCase.id.desc()))
    ]
