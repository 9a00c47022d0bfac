"""The approvals register: texts approved as the organisation's standpoint, by whom, for which account, until when."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Duplicate, MerkwachtError
from ..interchange import LineError
from ..models import Approval
from ..post import Approval as ApprovalRecord
from .accounts import handle_key


def _account_handle(account: str | None) -> str | None:
    if account is None or account.strip() in ("", "*"):
        return None
    return "@" + handle_key(account)


def add_approval(
    *,
    session: Session,
    text: str,
    approved_by: str,
    account: str | None = None,
    approved_at: datetime | None = None,
    valid_until: datetime | None = None,
    external_id: str | None = None,
) -> Approval:
    """Add an approved text. ``account`` is a handle, or ``None``/``*`` for every account."""
    if not text.strip():
        raise MerkwachtError(code="approvals.no_text")
    if not approved_by.strip():
        raise MerkwachtError(code="approvals.no_by")
    if approved_at and valid_until and valid_until < approved_at:
        raise MerkwachtError(code="approvals.valid_before_approved")
    ext = external_id or f"a-{uuid.uuid4().hex[:10]}"
    if session.scalar(select(Approval.id).where(Approval.external_id == ext)) is not None:
        raise Duplicate(code="approvals.exists", id=ext)
    approval = Approval(
        external_id=ext,
        account_handle=_account_handle(account),
        text=text.strip(),
        approved_by=approved_by.strip(),
        valid_until=valid_until,
    )
    if approved_at is not None:
        approval.approved_at = approved_at
    session.add(approval)
    session.flush()
    return approval


@dataclass
class ImportResult:
    added: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)


def import_approvals(
    *, session: Session, records: Iterable[tuple[int, ApprovalRecord | LineError]]
) -> ImportResult:
    """Import numbered approvals (from :func:`read_jsonl_numbered`). Re-importing the same file changes nothing.

    An id already in the register with different content is reported as an error for its line,
    never silently overwritten.
    """
    result = ImportResult()
    for number, record in records:
        if isinstance(record, LineError):
            result.errors.append(record)
            continue
        existing = session.scalar(select(Approval).where(Approval.external_id == record.id))
        if existing is not None:
            same = (existing.text == record.text and existing.account_handle == _account_handle(record.account)
                    and existing.approved_by == record.approved_by)
            if same:
                result.unchanged += 1
            else:
                result.errors.append(LineError(number, "id", "an approval with this id and other content is "
                                                             "already in the register", repr(record.id),
                                               code="id_conflict"))
            continue
        add_approval(
            session=session, text=record.text, approved_by=record.approved_by, account=record.account,
            approved_at=record.approved_at, valid_until=record.valid_until, external_id=record.id,
        )
        result.added += 1
    return result


def to_record(approval: Approval) -> ApprovalRecord:
    """The interchange form of a stored approval."""
    return ApprovalRecord(
        id=approval.external_id, account=approval.account_handle, text=approval.text,
        approved_by=approval.approved_by, approved_at=approval.approved_at, valid_until=approval.valid_until,
    )


def list_approvals(*, session: Session, account: str | None = None) -> list[Approval]:
    query = select(Approval).order_by(Approval.approved_at, Approval.id)
    if account:
        query = query.where((Approval.account_handle == _account_handle(account)) | Approval.account_handle.is_(None))
    return list(session.scalars(query))
