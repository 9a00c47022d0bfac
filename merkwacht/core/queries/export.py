"""Streams of stored posts and findings in the interchange format, for `merkwacht export`.

These are post-level data: only the ``comms`` and ``admin`` roles may export them (R10).
Rows are read in batches with ``yield_per`` so that an export of millions of posts runs in
constant memory.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Account, Finding, Post

BATCH = 2000


def _iso(value: Any) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def iter_posts(*, session: Session, account_id: int | None = None) -> Iterator[dict[str, Any]]:
    """Every stored post (tombstones included, with ``deleted_at``) as an interchange dict."""
    query = (
        select(Post, Account.platform, Account.handle)
        .join(Account, Post.account_id == Account.id)
        .order_by(Post.account_id, Post.created_at, Post.id)
        .execution_options(yield_per=BATCH)
    )
    if account_id is not None:
        query = query.where(Post.account_id == account_id)
    for post, platform, handle in session.execute(query):
        record: dict[str, Any] = {
            "id": post.platform_post_id,
            "platform": platform,
            "account": "@" + handle,
            "created_at": _iso(post.created_at),
            "kind": post.kind,
            "lang": post.lang,
            "text": post.text,
        }
        if post.urls:
            record["urls"] = list(post.urls)
        if post.in_reply_to_id:
            reply = {"id": post.in_reply_to_id, "text": post.in_reply_to_text, "author": post.in_reply_to_author}
            record["in_reply_to"] = {k: v for k, v in reply.items() if v is not None}
        if post.edited_at:
            record["edited_at"] = _iso(post.edited_at)
        if post.deleted_at:
            record["deleted_at"] = _iso(post.deleted_at)
        yield {k: v for k, v in record.items() if v is not None}


def iter_findings(
    *, session: Session, account_id: int | None = None, language: str = "nl", include_superseded: bool = False
) -> Iterator[dict[str, Any]]:
    """Every finding as an interchange dict (DESIGN.md), with its review status."""
    query = (
        select(Finding, Post.platform_post_id, Account.platform, Account.handle)
        .outerjoin(Post, Finding.post_id == Post.id)
        .outerjoin(Account, Finding.account_id == Account.id)
        .order_by(Finding.created_at, Finding.id)
        .execution_options(yield_per=BATCH)
    )
    if account_id is not None:
        query = query.where(Finding.account_id == account_id)
    if not include_superseded:
        query = query.where(Finding.superseded_at.is_(None))
    for finding, post_id, platform, handle in session.execute(query):
        yield {
            "post_id": post_id,
            "platform": platform,
            "account": "@" + handle if handle else None,
            "rule": finding.rule,
            "rule_version": finding.rule_version,
            "severity": finding.severity,
            "score": round(finding.score, 3),
            "clause": finding.clause,
            "evidence": finding.evidence,
            "explanation": finding.explanation_en if language == "en" else finding.explanation_nl,
            "status": finding.status,
            "policy": finding.pack,
            "policy_version": finding.pack_version,
            "created_at": _iso(finding.created_at),
        }
