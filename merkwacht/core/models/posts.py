"""Collected posts, their earlier versions, and collection runs."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, utcnow

if TYPE_CHECKING:
    from .accounts import Account


class Post(Base):
    """A post or reply of a brand account, upserted on (account, platform post id).

    ``deleted_at`` is a tombstone: when the post was noticed gone. The collector never
    deletes a row; only the retention purge does. ``content_hash`` changes when the text,
    URLs or context change, so the analyser knows what to look at again.
    """

    __tablename__ = "posts"
    __table_args__ = (
        UniqueConstraint("account_id", "platform_post_id"),
        Index("ix_posts_account_created", "account_id", "created_at"),
        Index("ix_posts_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    platform_post_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    kind: Mapped[str] = mapped_column(String(10))
    lang: Mapped[str | None] = mapped_column(String(12))
    text: Mapped[str] = mapped_column(Text)
    urls: Mapped[list[Any]] = mapped_column(default=list)
    in_reply_to_id: Mapped[str | None] = mapped_column(String(200))
    #: Text of the third-party post answered; purged after its retention period (R5).
    in_reply_to_text: Mapped[str | None] = mapped_column(Text)
    #: Keyed pseudonym of the author answered (R4); never the handle in clear.
    in_reply_to_author: Mapped[str | None] = mapped_column(String(64))
    #: A staff signature found in the post ("^AB", "Groet, Sanne"), kept only as a pseudonym.
    signature: Mapped[str | None] = mapped_column(String(64), index=True)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)
    content_hash: Mapped[str] = mapped_column(String(64))
    provenance: Mapped[dict[str, Any] | None]
    first_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: When the third-party context (reply text) was removed by the retention purge.
    context_purged_at: Mapped[datetime | None]
    #: The analysis key (content hash + rule versions + pack hash) of the last analysis.
    analysed_key: Mapped[str | None] = mapped_column(String(64), index=True)
    #: What the last analysis ran with (pack hash + rule versions, hashed): a change re-analyses every post.
    analysis_signature: Mapped[str | None] = mapped_column(String(64))
    #: ``content_hash`` as it was when last analysed: an edit re-analyses the post.
    analysed_content_hash: Mapped[str | None] = mapped_column(String(64))

    account: Mapped[Account] = relationship(back_populates="posts")
    versions: Mapped[list[PostVersion]] = relationship(
        back_populates="post", order_by="PostVersion.version", passive_deletes=True
    )


class PostVersion(Base):
    """An earlier version of an edited post, kept when the collector sees an edit."""

    __tablename__ = "post_versions"
    __table_args__ = (UniqueConstraint("post_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"))
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    urls: Mapped[list[Any]] = mapped_column(default=list)
    edited_at: Mapped[datetime | None]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship(back_populates="versions")


class CollectionRun(Base):
    """One collection pass for one account: what happened, with counts, codes and the settings in force.

    ``status``: running | ok | nothing_new | rate_limited | failed | refused.
    ``warnings`` is a list of ``{"code": ..., "message": ...}``. Never holds a credential.
    """

    __tablename__ = "collection_runs"
    __table_args__ = (Index("ix_collection_runs_account_started", "account_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))
    platform: Mapped[str] = mapped_column(String(32))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="running")
    backfill: Mapped[bool] = mapped_column(default=False)
    requests: Mapped[int] = mapped_column(default=0)
    posts_new: Mapped[int] = mapped_column(default=0)
    posts_updated: Mapped[int] = mapped_column(default=0)
    posts_deleted: Mapped[int] = mapped_column(default=0)
    error_code: Mapped[str | None] = mapped_column(String(64))
    error_message: Mapped[str | None] = mapped_column(Text)
    retry_after: Mapped[datetime | None]
    warnings: Mapped[list[Any]] = mapped_column(default=list)
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
