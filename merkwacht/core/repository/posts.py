"""Storing collected posts: upsert on (account, platform post id), versions on edits, tombstones.

The collector never deletes a row. A post seen again with another text or other URLs becomes
a new version (the old one is kept as a :class:`~merkwacht.core.models.PostVersion`); a post
that was collected and is gone on a later check gets ``deleted_at``, the time that was noticed.
Third-party authors are stored only as keyed pseudonyms, staff signatures only as signature
pseudonyms (PRIVACY.md R4).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..models import Account, PostVersion, utcnow
from ..models import Post as PostRow
from ..post import InReplyTo, Post
from ..pseudonyms import is_pseudonym, pseudonym, signature_pseudonym
from ..settings import get_settings
from ..signatures import find_signature

#: How many ids go into one ``IN (...)`` query.
_CHUNK = 500


@dataclass(slots=True)
class StoreCounts:
    """What storing one batch did."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    def add(self, other: StoreCounts) -> None:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.deleted += other.deleted


def content_hash(post: Post) -> str:
    """SHA-256 over what the analyser looks at: kind, text, URLs and the context answered."""
    reply = post.in_reply_to
    material = [post.kind, post.text, list(post.urls), reply.id if reply else None, reply.text if reply else None]
    return hashlib.sha256(json.dumps(material, ensure_ascii=False).encode("utf-8")).hexdigest()


def _author_pseudonym(author: str | None, *, key: bytes, platform: str) -> str | None:
    if not author:
        return None
    return author if is_pseudonym(author) else pseudonym(author, key=key, platform=platform)


def _signature(text: str, *, key: bytes) -> str | None:
    found = find_signature(text)
    return signature_pseudonym(found.raw, key=key) if found else None


def _fill(row: PostRow, post: Post, *, key: bytes, digest: str) -> None:
    reply = post.in_reply_to
    row.kind = post.kind
    row.lang = post.lang
    row.text = post.text
    row.urls = list(post.urls)
    row.in_reply_to_id = reply.id if reply else None
    row.in_reply_to_text = reply.text if reply else None
    row.in_reply_to_author = _author_pseudonym(reply.author if reply else None, key=key, platform=post.platform)
    row.signature = _signature(post.text, key=key)
    row.content_hash = digest
    row.provenance = post.provenance.model_dump(mode="json", exclude_none=True) if post.provenance else None


def _keep_known_context(post: Post, row: PostRow) -> Post:
    """A collector that did not fetch the context again (``text``/``author`` ``None``) keeps what is stored;
    context removed by the retention purge is not brought back."""
    reply = post.in_reply_to
    if reply is None or reply.id != row.in_reply_to_id:
        return post
    if row.context_purged_at is not None:
        text = None
    else:
        text = reply.text if reply.text is not None else row.in_reply_to_text
    author = reply.author if reply.author is not None else row.in_reply_to_author
    if text == reply.text and author == reply.author:
        return post
    return post.model_copy(update={"in_reply_to": InReplyTo(id=reply.id, text=text, author=author)})


def existing_posts(*, session: Session, account: Account, ids: Iterable[str]) -> dict[str, PostRow]:
    """The stored rows of ``account`` with these platform ids."""
    wanted = list(dict.fromkeys(ids))
    found: dict[str, PostRow] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start:start + _CHUNK]
        query = select(PostRow).where(PostRow.account_id == account.id, PostRow.platform_post_id.in_(chunk))
        found.update({row.platform_post_id: row for row in session.scalars(query)})
    return found


def _new_row_values(post: Post, *, account: Account, key: bytes, seen_at: datetime) -> dict:
    reply = post.in_reply_to
    return {
        "account_id": account.id, "platform_post_id": post.id, "created_at": post.created_at, "kind": post.kind,
        "lang": post.lang, "text": post.text, "urls": list(post.urls),
        "in_reply_to_id": reply.id if reply else None, "in_reply_to_text": reply.text if reply else None,
        "in_reply_to_author": _author_pseudonym(reply.author if reply else None, key=key, platform=post.platform),
        "signature": _signature(post.text, key=key), "edited_at": post.edited_at, "deleted_at": None,
        "version": 1, "content_hash": content_hash(post),
        "provenance": post.provenance.model_dump(mode="json", exclude_none=True) if post.provenance else None,
        "first_seen_at": seen_at, "last_seen_at": seen_at,
    }


def _insert_new(*, session: Session, account: Account, posts: list[Post], key: bytes, seen_at: datetime
                ) -> set[str] | None:
    """Insert the posts not stored yet in one statement (``ON CONFLICT DO NOTHING``); the ids inserted.

    ``None`` on a database without that statement: the caller then looks every id up first.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:
        return None
    if not posts:
        return set()
    table = PostRow.__table__
    statement = (insert(table).on_conflict_do_nothing(index_elements=["account_id", "platform_post_id"])
                 .returning(table.c.platform_post_id))
    values = [_new_row_values(post, account=account, key=key, seen_at=seen_at) for post in posts]
    return set(session.execute(statement, values).scalars())


def upsert_posts(
    *, session: Session, account: Account, posts: Sequence[Post], seen_at: datetime | None = None,
    key: bytes | None = None,
) -> StoreCounts:
    """Insert new posts, version edited ones, refresh the rest; never commits.

    New posts go in with one ``INSERT ... ON CONFLICT DO NOTHING``, so a backfill never has to
    look anything up; only posts already stored are read back and compared. A post seen twice
    in ``posts`` is stored once (the last one wins). A tombstoned post that shows up again is
    alive after all: its ``deleted_at`` is cleared.
    """
    key = key if key is not None else get_settings().require_pseudonym_key()
    seen_at = seen_at or utcnow()
    counts = StoreCounts()
    unique = list({post.id: post for post in posts}.values())
    session.flush()
    inserted = _insert_new(session=session, account=account, posts=unique, key=key, seen_at=seen_at)
    if inserted is not None:
        counts.new = len(inserted)
        unique = [post for post in unique if post.id not in inserted]
    rows = existing_posts(session=session, account=account, ids=[p.id for p in unique]) if unique else {}
    for post in unique:
        row = rows.get(post.id)
        if row is None:
            row = PostRow(**_new_row_values(post, account=account, key=key, seen_at=seen_at))
            session.add(row)
            counts.new += 1
            continue
        post = _keep_known_context(post, row)
        digest = content_hash(post)
        row.last_seen_at = seen_at
        changed = row.text != post.text or list(row.urls or []) != list(post.urls)
        revived = row.deleted_at is not None
        if changed:
            session.add(PostVersion(post_id=row.id, version=row.version, text=row.text, urls=list(row.urls or []),
                                    edited_at=row.edited_at, recorded_at=seen_at))
            row.version += 1
            row.edited_at = post.edited_at or seen_at
        elif post.edited_at is not None and row.edited_at != post.edited_at:
            row.edited_at = post.edited_at
        if revived:
            row.deleted_at = None
        if changed or revived or row.content_hash != digest:
            _fill(row, post, key=key, digest=digest)
            counts.updated += 1
        else:
            counts.unchanged += 1
    session.flush()
    return counts


def record_history(
    *, session: Session, account: Account, post_id: str, versions: Sequence[tuple[str, Sequence[str], datetime | None]]
) -> int:
    """Keep the earlier versions (oldest first: text, urls, edited at) of a post that was edited before
    it was first collected. Only for a post without recorded versions; returns how many were added."""
    row = existing_posts(session=session, account=account, ids=[post_id]).get(post_id)
    if row is None or row.version != 1 or not versions:
        return 0
    for number, (text, urls, edited_at) in enumerate(versions, start=1):
        session.add(PostVersion(post_id=row.id, version=number, text=text, urls=list(urls), edited_at=edited_at,
                                recorded_at=utcnow()))
    row.version = len(versions) + 1
    session.flush()
    return len(versions)


def mark_gone(
    *, session: Session, account: Account, seen_ids: Iterable[str], newer_than: datetime,
    at: datetime | None = None,
) -> int:
    """Tombstone the account's posts created after ``newer_than`` that a complete newest-first read
    did not return (``seen_ids``). Returns how many were newly tombstoned."""
    seen = set(seen_ids)
    query = select(PostRow.id, PostRow.platform_post_id).where(
        PostRow.account_id == account.id, PostRow.created_at > newer_than, PostRow.deleted_at.is_(None)
    )
    gone = [row_id for row_id, post_id in session.execute(query) if post_id not in seen]
    return _tombstone(session=session, row_ids=gone, at=at or utcnow())


def mark_deleted(*, session: Session, account: Account, ids: Iterable[str], at: datetime | None = None) -> int:
    """Tombstone these posts of the account (the platform said they are gone)."""
    rows = existing_posts(session=session, account=account, ids=ids)
    gone = [row.id for row in rows.values() if row.deleted_at is None]
    return _tombstone(session=session, row_ids=gone, at=at or utcnow())


def _tombstone(*, session: Session, row_ids: list[int], at: datetime) -> int:
    for start in range(0, len(row_ids), _CHUNK):
        chunk = row_ids[start:start + _CHUNK]
        session.execute(update(PostRow).where(PostRow.id.in_(chunk)).values(deleted_at=at))
    if row_ids:
        session.flush()
    return len(row_ids)


def recent_post_ids(*, session: Session, account: Account, limit: int) -> list[str]:
    """The platform ids of the account's newest posts that are not tombstoned (for a recheck)."""
    query = (select(PostRow.platform_post_id).where(PostRow.account_id == account.id, PostRow.deleted_at.is_(None))
             .order_by(PostRow.created_at.desc()).limit(limit))
    return list(session.scalars(query))
