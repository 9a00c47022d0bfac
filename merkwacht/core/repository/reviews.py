"""Reviews of findings: a person confirms, dismisses (with a reason), resolves or escalates (PRIVACY.md R7).

The history is kept: every decision adds a :class:`~merkwacht.core.models.Review` row and the
finding's ``status`` mirrors the newest one. Only the comms role reviews (reviewing is part of
keeping the accounts, not of checking them); the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import MerkwachtError, NotFound
from ..models import DISPOSITIONS, Finding, Review, utcnow
from ..queries.roles import Viewer, require_role

#: Reasons offered when dismissing; free text is accepted too (up to 200 characters).
DISMISS_REASONS = (
    "not_a_breach",  # the rule fired but the post does not break the clause
    "source_elsewhere",  # the source is given elsewhere (thread, image, linked page)
    "approved_elsewhere",  # the standpoint was approved outside the register
    "quote",  # the words quote someone else or a headline
    "context",  # acceptable in the context of the conversation
    "other",
)
#: The status a finding gets from each disposition.
_STATUS = {
    "confirmed": "confirmed",
    "dismissed": "dismissed",
    "resolved": "resolved",
    "escalated": "escalated",
    "reopened": "open",
}


def review_finding(
    *,
    session: Session,
    viewer: Viewer,
    finding_id: int,
    disposition: str,
    reason: str | None = None,
    note: str | None = None,
    at: datetime | None = None,
) -> Review:
    """Record ``viewer``'s decision on a finding and set the finding's status. Dismissals need a reason."""
    require_role(viewer, "comms")
    if disposition not in DISPOSITIONS:
        raise MerkwachtError(code="reviews.unknown_disposition", value=disposition, choices=", ".join(DISPOSITIONS))
    reason = (reason or "").strip() or None
    note = (note or "").strip() or None
    if disposition == "dismissed" and not reason:
        raise MerkwachtError(code="reviews.dismissal_needs_reason")
    if reason is not None and len(reason) > 200:
        raise MerkwachtError(code="reviews.reason_too_long")
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFound(code="findings.not_found", id=finding_id)
    review = Review(
        finding_id=finding.id,
        disposition=disposition,
        reason=reason,
        note=note,
        reviewer=viewer.username,
        created_at=at or utcnow(),
    )
    session.add(review)
    finding.status = _STATUS[disposition]
    session.flush()
    return review


def review_findings(
    *,
    session: Session,
    viewer: Viewer,
    finding_ids: Iterable[int],
    disposition: str,
    reason: str | None = None,
    note: str | None = None,
) -> int:
    """The same decision for several findings (bulk dismissal); returns how many were reviewed."""
    ids = sorted(set(finding_ids))
    found = set(session.scalars(select(Finding.id).where(Finding.id.in_(ids)))) if ids else set()
    missing = [i for i in ids if i not in found]
    if missing:
        raise NotFound(code="findings.not_found", id=missing[0])
    for finding_id in ids:
        review_finding(
            session=session,
            viewer=viewer,
            finding_id=finding_id,
            disposition=disposition,
            reason=reason,
            note=note,
        )
    return len(ids)
