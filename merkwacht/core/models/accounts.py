"""The account register: brand accounts and their opt-ins."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .posts import Post


class Account(Base):
    """A brand account of the organisation on one platform.

    ``handle_key`` (the handle without ``@``, lower case) and the instance make an account
    unique; ``platform_account_id`` is the platform's permanent id, filled in at the first
    collection, and stays the account's identity when the handle changes.
    """

    __tablename__ = "accounts"
    __table_args__ = (
        UniqueConstraint("platform", "instance", "handle_key"),
        Index("ix_accounts_platform_account", "platform", "platform_account_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform: Mapped[str] = mapped_column(String(32))
    handle: Mapped[str] = mapped_column(String(200))
    handle_key: Mapped[str] = mapped_column(String(200))
    #: The Mastodon instance URL; '' for platforms without instances (so uniqueness holds).
    instance: Mapped[str] = mapped_column(String(300), default="")
    platform_account_id: Mapped[str | None] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    #: registered | active | revoked (derived from opt-ins, kept here for fast filtering)
    status: Mapped[str] = mapped_column(String(20), default="registered")
    #: Prefix of the environment variables that hold this account's credentials. Never the secret.
    credentials_env: Mapped[str | None] = mapped_column(String(100))
    credentials_rotated_at: Mapped[datetime | None]
    #: The collector's platform-specific cursor (since_id, min_id, last known ids, ...).
    cursor: Mapped[dict[str, Any] | None]
    #: After a rate-limit answer: not to be asked again before this time.
    next_allowed_at: Mapped[datetime | None]
    collect_interval_minutes: Mapped[int | None]
    #: When a collection of this account last finished without error (set by the collector).
    last_successful_collection_at: Mapped[datetime | None]
    #: When the collector last re-read recent posts to notice edits and deletions.
    last_recheck_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    opt_ins: Mapped[list[OptIn]] = relationship(
        back_populates="account", order_by="OptIn.granted_at", cascade="all, delete-orphan"
    )
    posts: Mapped[list[Post]] = relationship(back_populates="account", passive_deletes=True)

    @property
    def display_handle(self) -> str:
        return "@" + self.handle

    def active_opt_in(self) -> OptIn | None:
        for opt_in in reversed(self.opt_ins):
            if opt_in.revoked_at is None:
                return opt_in
        return None

    def __repr__(self) -> str:
        return f"<Account {self.platform}:{self.display_handle} {self.status}>"


class OptIn(Base):
    """Consent to monitor an account: who gave it, in which role, when, for what purpose; and its revocation."""

    __tablename__ = "opt_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    granted_by: Mapped[str] = mapped_column(String(200))
    granted_role: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
    purpose: Mapped[str] = mapped_column(Text)
    revoked_at: Mapped[datetime | None]
    revoked_by: Mapped[str | None] = mapped_column(String(200))
    revoked_role: Mapped[str | None] = mapped_column(String(200))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    account: Mapped[Account] = relationship(back_populates="opt_ins")
