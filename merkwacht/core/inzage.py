"""Inzage (GDPR art. 15, PRIVACY.md R8): export everything held about one subject.

A subject is one of

* a brand account: ``@handle`` or a registered handle (``platform`` picks one when two share it);
* a third party: their pseudonym ``p:...``, or ``derde:@handle`` (pseudonymised on every platform);
* a staff signature: the pseudonym ``s:...`` or the signature in clear (``^AB``, ``Sanne``,
  ``Groet, Sanne``), pseudonymised with the settings key before anything is looked up;
* a dashboard or command-line user: ``user:NAME`` (the access-log entries they caused).

The export is a folder with ``inzage.json`` (everything, machine-readable) and ``inzage.html``
(a readable summary in Dutch). It holds the posts, earlier versions, findings, reviews,
investigation cases and access-log entries that concern the subject. Other people's data is
left out (art. 15(4)): reviewers' names, other staff signatures, and the third-party text an
account's posts answered are replaced by a marker; a third party sees their own text. The
export itself is recorded in the access log (action ``inzage``) under the subject's pseudonym,
never a clear signature.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from .accesslog import log_access
from .cases import signature_key
from .errors import MerkwachtError
from .models import (
    AccessLogEntry,
    Account,
    Finding,
    InvestigationCase,
    OptIn,
    Post,
    PostVersion,
    Review,
    utcnow,
)
from .platforms import PLATFORMS
from .pseudonyms import is_pseudonym, pseudonym
from .repository.accounts import find_account
from .signatures import find_signature

KINDS = ("account", "third_party", "signature", "user")
OMITTED = "[weggelaten: gegevens van een ander]"
_TARGET_PREFIXES = ("post:", "finding:", "account:", "case:", "inzage:")


@dataclass(frozen=True)
class Subject:
    """Who the export is about: ``kind``, what was given, and the keys looked up (pseudonyms or account ids)."""

    kind: str
    given: str
    keys: tuple[str, ...]
    label: str
    account_ids: tuple[int, ...] = ()

    @property
    def log_target(self) -> str:
        """How the export is named in the access log: a pseudonym or an account id, never a clear signature."""
        if self.kind == "account":
            return "inzage:" + ",".join(f"account:{i}" for i in self.account_ids)
        if self.kind == "user":
            return "inzage:user:" + self.given.removeprefix("user:")
        return f"inzage:{self.kind}:{self.keys[0]}"


def resolve_subject(
    *, session: Session, subject: str, key: bytes, kind: str | None = None, platform: str | None = None,
    previous_keys: Sequence[bytes] = (),
) -> Subject:
    """Work out what ``subject`` names (or take ``kind``: account, third_party, signature, user).

    A name given in clear is pseudonymised under ``key`` and every one of ``previous_keys`` (keys
    rotated out but still kept, see :mod:`merkwacht.core.keyrotation`), so data from before a
    rotation is found too.
    """
    keys_in_use = (key, *previous_keys)
    given = subject.strip()
    if not given:
        raise MerkwachtError(code="inzage.empty_subject")
    if kind is not None and kind not in KINDS:
        raise MerkwachtError(code="inzage.bad_kind", choices=", ".join(KINDS), kind=kind)
    if kind is None:
        if given.startswith("user:"):
            kind = "user"
        elif given.startswith(("derde:", "p:")):
            kind = "third_party"
        elif given.startswith("s:"):
            kind = "signature"
        elif given.startswith("@") or re.fullmatch(r"[\w.\-]+", given) and session.scalar(
            select(Account.id).where(Account.handle_key == given.lower()).limit(1)
        ) is not None:
            kind = "account"
        else:
            kind = "signature"
    if kind == "account":
        account = find_account(session=session, handle=given, platform=platform)
        return Subject("account", given, (f"account:{account.id}",),
                       f"{account.platform} {account.display_handle}", (account.id,))
    if kind == "user":
        name = given.removeprefix("user:").strip()
        if not name:
            raise MerkwachtError(code="inzage.user_needs_name")
        return Subject("user", given, (name,), f"gebruiker {name}")
    if kind == "third_party":
        clear = given.removeprefix("derde:").strip()
        if is_pseudonym(clear):
            if not clear.startswith("p:"):
                raise MerkwachtError(code="inzage.not_third_party", value=clear)
            return Subject("third_party", given, (clear,), f"derde {clear}")
        keys = tuple(sorted({pseudonym(clear, key=k, platform=p) for k in keys_in_use for p in PLATFORMS}))
        return Subject("third_party", given, keys, "derde (gepseudonimiseerd)")
    # a signature
    text = given
    found = find_signature(text) if not text.startswith("s:") else None
    if found is not None:
        text = found.raw
    stored = signature_key(text, key=key)
    older = tuple(dict.fromkeys(signature_key(text, key=k) for k in previous_keys if k != key) if not
                  text.startswith("s:") else ())
    return Subject("signature", given, (stored, *older), f"ondertekening {stored}")


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value is not None else None


def _post_row(post: Post, subject: Subject) -> dict[str, Any]:
    own_context = subject.kind == "third_party" and post.in_reply_to_author in subject.keys
    return {
        "id": post.id,
        "account_id": post.account_id,
        "platform_post_id": post.platform_post_id,
        "created_at": _iso(post.created_at),
        "kind": post.kind,
        "lang": post.lang,
        "text": post.text,
        "urls": list(post.urls or []),
        "in_reply_to_id": post.in_reply_to_id,
        "in_reply_to_text": post.in_reply_to_text if own_context or post.in_reply_to_text is None else OMITTED,
        "in_reply_to_author": post.in_reply_to_author if own_context or post.in_reply_to_author is None else OMITTED,
        "context_purged_at": _iso(post.context_purged_at),
        "signature": post.signature if subject.kind == "signature" or post.signature is None else OMITTED,
        "edited_at": _iso(post.edited_at),
        "deleted_at": _iso(post.deleted_at),
        "first_seen_at": _iso(post.first_seen_at),
        "provenance": post.provenance,
    }


def _finding_row(f: Finding) -> dict[str, Any]:
    return {
        "id": f.id, "post_id": f.post_id, "account_id": f.account_id, "rule": f.rule, "rule_version": f.rule_version,
        "pack": f.pack, "pack_version": f.pack_version, "clause": f.clause, "severity": f.severity, "score": f.score,
        "evidence": f.evidence, "explanation_nl": f.explanation_nl, "explanation_en": f.explanation_en,
        "status": f.status, "created_at": _iso(f.created_at), "superseded_at": _iso(f.superseded_at),
    }


def _review_row(r: Review) -> dict[str, Any]:
    return {"id": r.id, "finding_id": r.finding_id, "disposition": r.disposition, "reason": r.reason, "note": r.note,
            "reviewer": OMITTED, "created_at": _iso(r.created_at)}


def _log_row(e: AccessLogEntry, subject: Subject) -> dict[str, Any]:
    return {"id": e.id, "at": _iso(e.at), "actor": e.actor if subject.kind == "user" else f"({e.role})",
            "role": e.role, "action": e.action, "target": e.target, "channel": e.channel}


def _chunks(values: list[Any], size: int = 500) -> list[list[Any]]:
    return [values[i:i + size] for i in range(0, len(values), size)] or [[]]


def collect(*, session: Session, subject: Subject) -> dict[str, Any]:
    """Everything held about ``subject`` as plain JSON-able data."""
    posts: list[Post] = []
    findings: list[Finding] = []
    accounts: list[Account] = []
    cases: list[InvestigationCase] = []
    if subject.kind == "account":
        ids = list(subject.account_ids)
        accounts = list(session.scalars(select(Account).where(Account.id.in_(ids))))
        posts = list(session.scalars(select(Post).where(Post.account_id.in_(ids)).order_by(Post.created_at, Post.id)))
        findings = list(session.scalars(
            select(Finding).where(or_(Finding.account_id.in_(ids),
                                      Finding.post_id.in_(select(Post.id).where(Post.account_id.in_(ids)))))
            .order_by(Finding.id)
        ))
        cases = list(session.scalars(select(InvestigationCase).where(InvestigationCase.scope_account_id.in_(ids))))
    elif subject.kind == "third_party":
        posts = list(session.scalars(
            select(Post).where(Post.in_reply_to_author.in_(subject.keys)).order_by(Post.created_at, Post.id)
        ))
    elif subject.kind == "signature":
        posts = list(session.scalars(
            select(Post).where(Post.signature.in_(subject.keys)).order_by(Post.created_at, Post.id)
        ))
        cases = list(session.scalars(
            select(InvestigationCase).where(InvestigationCase.scope_signature.in_(subject.keys))
        ))
    post_ids = [p.id for p in posts]
    if subject.kind in ("third_party", "signature") and post_ids:
        for chunk in _chunks(post_ids):
            findings += session.scalars(select(Finding).where(Finding.post_id.in_(chunk)).order_by(Finding.id))
    finding_ids = [f.id for f in findings]
    reviews: list[Review] = []
    versions: list[PostVersion] = []
    if finding_ids:
        for chunk in _chunks(finding_ids):
            reviews += session.scalars(select(Review).where(Review.finding_id.in_(chunk)).order_by(Review.id))
    if post_ids:
        for chunk in _chunks(post_ids):
            versions += session.scalars(select(PostVersion).where(PostVersion.post_id.in_(chunk)).order_by(PostVersion.id))

    tokens = {f"post:{i}" for i in post_ids} | {f"finding:{i}" for i in finding_ids}
    tokens |= {f"account:{i}" for i in subject.account_ids} | {f"case:{c.id}" for c in cases}
    tokens |= {subject.log_target}
    if subject.kind == "user":
        log_query = select(AccessLogEntry).where(AccessLogEntry.actor == subject.keys[0])
    else:
        log_query = select(AccessLogEntry).where(
            or_(*[AccessLogEntry.target.startswith(prefix) for prefix in _TARGET_PREFIXES])
        )
    log = [
        e for e in session.scalars(log_query.order_by(AccessLogEntry.id))
        if subject.kind == "user" or tokens & set((e.target or "").split(",")) or e.target == subject.log_target
    ]
    opt_ins = list(session.scalars(select(OptIn).where(OptIn.account_id.in_(subject.account_ids)))) \
        if subject.account_ids else []
    return {
        "subject": {"kind": subject.kind, "label": subject.label, "pseudonyms": [k for k in subject.keys
                                                                              if is_pseudonym(k)]},
        "accounts": [{"id": a.id, "platform": a.platform, "handle": a.display_handle, "instance": a.instance or None,
                      "unit": a.unit, "purpose": a.purpose, "status": a.status, "created_at": _iso(a.created_at)}
                     for a in accounts],
        "opt_ins": [{"id": o.id, "account_id": o.account_id, "granted_by": o.granted_by, "granted_role": o.granted_role,
                     "granted_at": _iso(o.granted_at), "purpose": o.purpose, "revoked_at": _iso(o.revoked_at),
                     "revoked_by": o.revoked_by, "revoke_reason": o.revoke_reason} for o in opt_ins],
        "posts": [_post_row(p, subject) for p in posts],
        "post_versions": [{"id": v.id, "post_id": v.post_id, "version": v.version, "text": v.text,
                           "edited_at": _iso(v.edited_at), "recorded_at": _iso(v.recorded_at)} for v in versions],
        "findings": [_finding_row(f) for f in findings],
        "reviews": [_review_row(r) for r in reviews],
        "cases": [{"id": c.id, "status": c.status, "reason": c.reason, "opened_at": _iso(c.opened_at),
                   "approved_at": _iso(c.approved_at), "expires_at": _iso(c.expires_at),
                   "closed_at": _iso(c.closed_at)} for c in cases],
        "access_log": [_log_row(e, subject) for e in log],
    }


@dataclass
class InzageResult:
    """Where the export went and how many records of each kind it holds."""

    folder: Path
    counts: dict[str, int] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


_SECTIONS = (
    ("accounts", "Accounts", ("platform", "handle", "unit", "purpose", "status")),
    ("opt_ins", "Toestemmingen (opt-in)", ("granted_by", "granted_role", "granted_at", "revoked_at")),
    ("posts", "Berichten", ("created_at", "kind", "text", "in_reply_to_text", "deleted_at")),
    ("post_versions", "Eerdere versies", ("post_id", "version", "text", "recorded_at")),
    ("findings", "Bevindingen", ("post_id", "rule", "clause", "severity", "status", "explanation_nl")),
    ("reviews", "Beoordelingen", ("finding_id", "disposition", "reason", "note", "created_at")),
    ("cases", "Onderzoeksdossiers", ("id", "status", "reason", "opened_at", "expires_at", "closed_at")),
    ("access_log", "Toegangslogboek", ("at", "actor", "action", "target", "channel")),
)


def render_html(data: dict[str, Any]) -> str:
    """A readable summary of an export (Dutch), every value escaped."""
    e = html.escape
    parts = [
        "<!doctype html><html lang='nl'><head><meta charset='utf-8'><title>Inzage</title>",
        ("<style>body{font-family:sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;width:100%}"
         "td,th{border:1px solid #ccc;padding:4px;vertical-align:top;text-align:left}th{background:#eee}</style>"),
        "</head><body>",
        f"<h1>Inzage: {e(data['subject']['label'])}</h1>",
        (f"<p>Opgesteld op {e(data['generated_at'])} door {e(data['generated_by'])}. Dit overzicht bevat alle "
         "gegevens die Merkwacht over deze betrokkene bewaart (AVG art. 15). Gegevens van anderen zijn weggelaten. "
         "De volledige gegevens staan in <code>inzage.json</code>.</p>"),
    ]
    for key, title, columns in _SECTIONS:
        rows = data.get(key, [])
        parts.append(f"<h2>{e(title)} ({len(rows)})</h2>")
        if not rows:
            parts.append("<p>Geen.</p>")
            continue
        parts.append("<table><tr>" + "".join(f"<th>{e(c)}</th>" for c in columns) + "</tr>")
        for row in rows:
            parts.append("<tr>" + "".join(f"<td>{e('' if row.get(c) is None else str(row.get(c)))}</td>"
                                          for c in columns) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts)


def export(
    *,
    session: Session,
    subject: str,
    actor: str,
    out_dir: Path | str | None = None,
    out: Path | str | None = None,
    key: bytes | None = None,
    role: str = "admin",
    channel: str = "cli",
    kind: str | None = None,
    platform: str | None = None,
    previous_keys: Sequence[bytes] = (),
    now: datetime | None = None,
) -> InzageResult:
    """Write the inzage export for ``subject`` into a new folder under ``out_dir`` (or ``out``) and log it.

    ``key`` defaults to the configured pseudonym key (refused when it is the demo key outside the demo).
    """
    target = out_dir if out_dir is not None else out
    if target is None:
        raise MerkwachtError(code="inzage.no_out")
    if key is None:
        from .settings import get_settings

        key = get_settings().require_pseudonym_key()
    at = (now or utcnow()).astimezone(UTC)
    resolved = resolve_subject(session=session, subject=subject, key=key, kind=kind, platform=platform,
                               previous_keys=previous_keys)
    data = collect(session=session, subject=resolved)
    data["generated_at"] = at.isoformat()
    data["generated_by"] = actor
    counts = {k: len(v) for k, v in data.items() if isinstance(v, list)}
    slug = re.sub(r"[^a-z0-9]+", "-", f"{resolved.kind}-{resolved.keys[0]}".lower()).strip("-")[:60]
    folder = Path(target) / f"inzage-{slug}-{at:%Y%m%dT%H%M%S}"
    try:
        folder.mkdir(parents=True, exist_ok=False)
    except FileExistsError:
        raise MerkwachtError(code="inzage.folder_exists", folder=folder) from None
    except OSError as exc:
        raise MerkwachtError(code="inzage.cannot_create", folder=folder, reason=exc.strerror) from None
    (folder / "inzage.json").write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    (folder / "inzage.html").write_text(render_html(data), encoding="utf-8")
    log_access(session=session, actor=actor, role=role, action="inzage", target=resolved.log_target[:300],
               channel=channel, details={"counts": counts, "folder": folder.name}, at=at)
    return InzageResult(folder=folder, counts=counts, data=data)
