"""Approvals, findings, reviews and the policy versions analysis ran under."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .posts import Post

FINDING_STATUSES = ("open", "confirmed", "dismissed", "resolved", "escalated")
DISPOSITIONS = ("confirmed", "dismissed", "resolved", "escalated", "reopened")
SEVERITIES = ("low", "medium", "high")


class Approval(Base):
    """An approved text for a standpoint: who approved it, when, for which account, until when.

    ``account_handle`` is a handle as in the interchange format (``@UniLeiden``), or ``None``
    for every account.
    """

    __tablename__ = "approvals"

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    account_handle: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    approved_by: Mapped[str] = mapped_column(String(200))
    approved_at: Mapped[datetime] = mapped_column(default=utcnow)
    valid_until: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PolicyVersion(Base):
    """A policy pack version that analysis has run under (R1): its hash and the council's agreement."""

    __tablename__ = "policy_versions"
    __table_args__ = (UniqueConstraint("pack", "pack_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pack: Mapped[str] = mapped_column(String(100))
    version: Mapped[str] = mapped_column(String(50))
    pack_hash: Mapped[str] = mapped_column(String(64))
    agreed_at: Mapped[datetime | None]
    agreed_hash: Mapped[str | None] = mapped_column(String(64))
    first_used_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The pack as loaded (clauses with their wording, rules, k, retention), so that the dashboard
    #: and reports can show it without importing the analysis package.
    document: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Finding(Base):
    """A suggestion that a post (or an account, or a thread) breaks a clause of the guideline.

    Findings are suggestions (R7): a person confirms or dismisses them through reviews.
    ``post_id`` is empty for account-level findings. ``status`` mirrors the last review.
    """

    __tablename__ = "findings"
    __table_args__ = (
        UniqueConstraint(
            "post_id", "account_id", "rule", "rule_version", "pack_hash", "subject_key", "post_content_hash",
            name="uq_findings_identity",
        ),
        Index("ix_findings_post_active", "post_id", "superseded_at"),
        Index("ix_findings_status_rule", "status", "rule"),
        Index("ix_findings_account_created", "account_id", "created_at"),
        Index("ix_findings_created", "created_at"),
        # Covers the dashboard overview's open findings per account, rule and severity (an index-only count).
        Index("ix_findings_status_account_severity", "status", "account_id", "rule", "severity", "superseded_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    #: What an account- or thread-level finding is about (thread id, 'dormant', ...); '' for post rules.
    subject_key: Mapped[str] = mapped_column(String(200), default="")
    #: The post's ``content_hash`` this finding was made on ('' for account-level findings); an edited
    #: post gets new findings and the old ones are marked superseded.
    post_content_hash: Mapped[str] = mapped_column(String(64), default="")
    rule: Mapped[str] = mapped_column(String(64))
    rule_version: Mapped[str] = mapped_column(String(20))
    pack: Mapped[str] = mapped_column(String(100))
    pack_version: Mapped[str] = mapped_column(String(50))
    pack_hash: Mapped[str] = mapped_column(String(64))
    clause: Mapped[str] = mapped_column(String(200))
    severity: Mapped[str] = mapped_column(String(10))
    score: Mapped[float] = mapped_column(Float)
    evidence: Mapped[str | None] = mapped_column(Text)
    evidence_start: Mapped[int | None]
    evidence_end: Mapped[int | None]
    explanation_nl: Mapped[str] = mapped_column(Text)
    explanation_en: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(20), default="open")
    #: Set when a newer analysis no longer finds this (post edited, rule version changed).
    superseded_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post | None] = relationship()
    reviews: Mapped[list[Review]] = relationship(
        back_populates="finding", order_by="Review.created_at", passive_deletes=True
    )


class Review(Base):
    """A reviewer's disposition of a finding, with reason and note. The history is kept: rows are only added."""

    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("findings.id", ondelete="CASCADE"), index=True)
    disposition: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    finding: Mapped[Finding] = relationship(back_populates="reviews")
