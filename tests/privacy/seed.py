"""Small builders for a seeded database: accounts, posts, findings, reviews (our own invented sentences)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from itertools import count

from sqlalchemy.orm import Session

from merkwacht.core.models import Account, Finding, OptIn, Post, Review
from merkwacht.core.pseudonyms import pseudonym, signature_pseudonym

KEY = b"test-pseudonym-key-0123456789"
_ids = count(1)


def account(session: Session, handle: str, *, unit: str = "Communicatie", platform: str = "mastodon",
            at: datetime, active: bool = True) -> Account:
    acc = Account(platform=platform, handle=handle, handle_key=handle.lower(), instance="https://social.example",
                  unit=unit, purpose="merkbewaking", status="active" if active else "registered")
    session.add(acc)
    session.flush()
    if active:
        session.add(OptIn(account_id=acc.id, granted_by="Hoofd Communicatie", granted_role="eigenaar",
                          granted_at=at, purpose="merkbewaking"))
        session.flush()
    return acc


def post(session: Session, acc: Account, *, at: datetime, text: str = "Wij openen maandag de nieuwe bibliotheek.",
         reply_text: str | None = None, reply_author: str | None = None, signature: str | None = None,
         kind: str = "post") -> Post:
    n = next(_ids)
    p = Post(account_id=acc.id, platform_post_id=f"pp{n}", created_at=at, kind="reply" if reply_text else kind,
             lang="nl", text=text, urls=[], in_reply_to_id=f"ext{n}" if reply_text else None,
             in_reply_to_text=reply_text,
             in_reply_to_author=pseudonym(reply_author, key=KEY, platform=acc.platform) if reply_author else None,
             signature=signature_pseudonym(signature, key=KEY) if signature else None,
             content_hash=hashlib.sha256(f"{n}{text}".encode()).hexdigest(),
             first_seen_at=at, last_seen_at=at)
    session.add(p)
    session.flush()
    return p


def finding(session: Session, p: Post | None, *, at: datetime, rule: str = "missing_source",
            status: str = "open", account_id: int | None = None) -> Finding:
    f = Finding(post_id=p.id if p else None, account_id=account_id if account_id is not None else (p.account_id if p else None),
                subject_key="" if p else f"acct{next(_ids)}",
                rule=rule, rule_version="1", pack="generic", pack_version="1", pack_hash="h" * 64,
                clause="generic/wees-nauwkeurig", severity="medium", score=0.8, evidence="veertig procent",
                evidence_start=0, evidence_end=5, explanation_nl="Bron ontbreekt.", explanation_en="Source missing.",
                details={}, status=status, created_at=at)
    session.add(f)
    session.flush()
    return f


def review(session: Session, f: Finding, *, at: datetime, disposition: str = "confirmed",
           reviewer: str = "reviewer1", reason: str | None = None) -> Review:
    r = Review(finding_id=f.id, disposition=disposition, reason=reason, note="gezien", reviewer=reviewer,
               created_at=at)
    session.add(r)
    f.status = disposition if disposition != "reopened" else "open"
    session.flush()
    return r
