"""Database mode of the engine: analyse what is new or changed, in batches, and record it idempotently.

:func:`analyse_database` is what ``merkwacht analyse`` and the scheduler call. It

1. records the pack in ``policy_versions`` (name, version, hash, the council's agreement date and
   the whole document) - every run, so the version in force is always known (R1);
2. walks the posts whose content or analysis signature (pack hash + rule versions) changed since
   their last analysis, ``batch_size`` at a time by id (memory stays flat), runs the post-level
   rules and records the findings: running twice adds nothing, a new rule version or an edited
   post supersedes what no longer holds;
3. runs the account- and thread-level checks the pack enables.

The caller owns the transaction (the function flushes, never commits).
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from merkwacht.core.post import Approval, InReplyTo, Post
from merkwacht.core.repository import findings as repo
from merkwacht.core.repository.policy import record_policy_version

from .engine import AnalysisPlan, FindingRecord, PlannedRule, PostAnalyser
from .packs import Pack, agreed_datetime
from .registry import RuleContext, all_rules
from .rules.account_checks import AccountFacts, DeletedPostFacts, LaterPost
from .rules.thread_hostility import ReplyFact, ThreadFacts

#: How far back the thread check looks for hostile replies on each run.
THREAD_LOOKBACK = timedelta(days=30)
#: How long after its grace period a deletion is still checked (older ones were checked before).
DELETION_LOOKBACK = timedelta(days=90)


@dataclass
class AnalysisSummary:
    """What one database run did."""

    pack: str
    pack_version: str
    pack_hash: str
    agreed: bool
    posts_analysed: int = 0
    batches: int = 0
    findings_added: int = 0
    findings_kept: int = 0
    findings_superseded: int = 0
    findings_reactivated: int = 0
    account_findings_added: int = 0
    account_findings_superseded: int = 0
    #: How often a rule raised (logged with rule and post); those posts are still marked analysed.
    rule_errors: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _as_post(row: repo.PostForAnalysis) -> Post:
    """A stored post as an interchange :class:`Post` (no re-validation: the database holds valid data)."""
    reply = None
    if row.in_reply_to_id:
        reply = InReplyTo.model_construct(
            id=row.in_reply_to_id, text=row.in_reply_to_text, author=row.in_reply_to_author
        )
    return Post.model_construct(
        id=row.platform_post_id,
        platform=row.platform,
        account="@" + row.handle,
        created_at=row.created_at,
        kind=row.kind,
        text=row.text,
        lang=row.lang,
        urls=row.urls,
        in_reply_to=reply,
        edited_at=row.edited_at,
        deleted_at=row.deleted_at,
        provenance=None,
    )


def _finding_dict(record: FindingRecord) -> dict[str, Any]:
    return {
        "rule": record.rule,
        "rule_version": record.rule_version,
        "pack": record.pack,
        "pack_version": record.pack_version,
        "pack_hash": record.pack_hash,
        "clause": record.clause,
        "severity": record.severity,
        "score": record.score,
        "evidence": record.evidence,
        "evidence_start": record.evidence_start,
        "evidence_end": record.evidence_end,
        "explanation_nl": record.explanation_nl,
        "explanation_en": record.explanation_en,
        "details": record.details,
    }


def load_register(session: Session) -> list[Approval]:
    """The approvals register as interchange approvals."""
    return [Approval.model_construct(**row) for row in repo.approvals_register(session=session)]


def analyse_database(
    *, session: Session, pack: Pack, batch_size: int = 500, now: datetime | None = None
) -> AnalysisSummary:
    """Analyse what is new or changed in the database under ``pack``; see the module docstring."""
    now = now or datetime.now(UTC)
    plan = AnalysisPlan(pack)
    summary = AnalysisSummary(
        pack=pack.name, pack_version=pack.version, pack_hash=pack.hash, agreed=pack.agreed
    )
    record_policy_version(
        session=session,
        pack=pack.name,
        version=pack.version,
        pack_hash=pack.hash,
        agreed_at=agreed_datetime(pack),
        agreed_hash=pack.data.council.agreed_hash,
        document=pack.to_document(),
        now=now,
    )
    analyser = PostAnalyser(plan, approvals=load_register(session), now=now)
    after = 0
    while True:
        rows = repo.posts_to_analyse(
            session=session, signature=plan.signature, after_id=after, limit=batch_size
        )
        if not rows:
            break
        results, done = [], []
        for row, records in zip(rows, analyser.analyse_many([_as_post(row) for row in rows]), strict=True):
            results.append(
                repo.PostResult(row.id, row.account_id, row.content_hash, [_finding_dict(r) for r in records])
            )
            key = hashlib.sha256(f"{plan.signature}|{row.content_hash}".encode()).hexdigest()
            done.append((row.id, plan.signature, row.content_hash, key))
        saved = repo.save_post_results(session=session, results=results, now=now)
        repo.mark_analysed(session=session, posts=done)
        session.flush()
        summary.batches += 1
        summary.posts_analysed += len(rows)
        summary.findings_added += saved.added
        summary.findings_kept += saved.kept
        summary.findings_superseded += saved.superseded
        summary.findings_reactivated += saved.reactivated
        after = rows[-1].id
    summary.rule_errors = analyser.errors
    _account_checks(session=session, pack=pack, summary=summary, now=now)
    session.flush()
    return summary


def _settings(pack: Pack, planned: PlannedRule) -> dict[str, Any]:
    defaults = {
        "dormant_after_days": pack.accounts.dormant_after_days,
        "credentials_rotation_days": pack.accounts.credentials_rotation_days,
    }
    given = {k: v for k, v in planned.settings.items() if v is not None}
    return {**defaults, **given}


def _account_checks(*, session: Session, pack: Pack, summary: AnalysisSummary, now: datetime) -> None:
    account_plan = AnalysisPlan(pack, level="account")
    thread_plan = AnalysisPlan(pack, level="thread")
    if not account_plan.rules and not thread_plan.rules:
        return
    for account in repo.accounts_for_checks(session=session):
        facts = AccountFacts(
            handle="@" + account.handle,
            platform=account.platform,
            status=account.status,
            created_at=account.created_at,
            last_post_at=account.last_post_at,
            credentials_rotated_at=account.credentials_rotated_at,
            credentials_env=account.credentials_env,
        )
        for planned in account_plan.rules:
            ctx = RuleContext(settings=_settings(pack, planned), now=now)
            if planned.spec.id == "deleted_without_notice":
                _deleted_check(session, account, planned, ctx, account_plan, summary, now)
                continue
            hits = planned.spec.func(facts, ctx)
            keep = []
            if hits:
                record = account_plan.record(
                    planned, hits, subject="", account=facts.handle, platform=facts.platform
                )
                subject = (
                    f"{planned.spec.id}:{record.details.get('since') or record.details.get('rotated_at')}"
                )
                keep.append(subject)
                if repo.save_subject_finding(
                    session=session,
                    account_id=account.id,
                    subject_key=subject,
                    finding=_finding_dict(record),
                    now=now,
                ):
                    summary.account_findings_added += 1
            summary.account_findings_superseded += repo.supersede_subject_findings(
                session=session, account_id=account.id, rule=planned.spec.id, keep=keep, now=now
            )
        for planned in thread_plan.rules:
            _thread_check(session, pack, account, planned, thread_plan, summary, now)


def _deleted_check(
    session: Session,
    account: repo.AccountForChecks,
    planned: PlannedRule,
    ctx: RuleContext,
    plan: AnalysisPlan,
    summary: AnalysisSummary,
    now: datetime,
) -> None:
    grace = timedelta(hours=ctx.settings.get("grace_hours", 48))
    after = 0
    while True:
        deleted = repo.deleted_posts(
            session=session, account_id=account.id, after_id=after, since=now - grace - DELETION_LOOKBACK
        )
        if not deleted:
            return
        for post in deleted:
            assert post.deleted_at is not None
            around = repo.posts_between(
                session=session, account_id=account.id, start=post.created_at, end=post.deleted_at + grace
            )
            facts = DeletedPostFacts(
                post_id=post.platform_post_id,
                created_at=post.created_at,
                deleted_at=post.deleted_at,
                text=post.text,
                later_posts=tuple(
                    LaterPost(p.created_at, p.text) for p in around if p.post_id != post.post_id
                ),
            )
            hits = planned.spec.func(facts, ctx)
            if hits:
                record = plan.record(
                    planned,
                    hits,
                    subject=post.platform_post_id,
                    account="@" + account.handle,
                    platform=account.platform,
                )
                if repo.save_subject_finding(
                    session=session,
                    account_id=account.id,
                    post_id=post.post_id,
                    subject_key="deleted",
                    finding=_finding_dict(record),
                    now=now,
                ):
                    summary.account_findings_added += 1
        after = deleted[-1].post_id


def _hostile(text: str | None, *, pack: Pack, now: datetime) -> str | None:
    """The words that make a third party's text hostile, judged by the off_tone rule; ``None`` if not hostile."""
    if not text:
        return None
    spec = all_rules().get("off_tone")
    if spec is None:
        return None
    probe = Post.model_construct(
        id="context",
        platform="x",
        account="@context",
        created_at=now,
        kind="post",
        text=text,
        lang=None,
        urls=(),
        in_reply_to=None,
        edited_at=None,
        deleted_at=None,
        provenance=None,
    )
    hits = spec.func(probe, RuleContext(settings=pack.rule_settings("off_tone"), now=now))
    return hits[0].evidence if hits else None


def _thread_check(
    session: Session,
    pack: Pack,
    account: repo.AccountForChecks,
    planned: PlannedRule,
    plan: AnalysisPlan,
    summary: AnalysisSummary,
    now: datetime,
) -> None:
    ids: dict[str, int] = {}
    facts_list: list[ReplyFact] = []
    after = 0
    while True:  # the lookback bounds how many replies are held (small facts, no texts)
        replies = repo.replies_since(
            session=session, account_id=account.id, since=now - THREAD_LOOKBACK, after_id=after
        )
        if not replies:
            break
        for reply in replies:
            evidence = _hostile(reply.in_reply_to_text, pack=pack, now=now)
            ids[reply.platform_post_id] = reply.post_id
            facts_list.append(
                ReplyFact(reply.platform_post_id, reply.created_at, evidence is not None, evidence)
            )
        after = replies[-1].post_id
    if not facts_list:
        return
    facts = ThreadFacts(handle="@" + account.handle, platform=account.platform, replies=tuple(facts_list))
    ctx = RuleContext(settings=planned.settings, now=now)
    for hit in planned.spec.func(facts, ctx):
        record = plan.record(planned, [hit], subject="", account=facts.handle, platform=facts.platform)
        first = hit.details["first_post"]
        if repo.save_subject_finding(
            session=session,
            account_id=account.id,
            post_id=ids.get(first),
            subject_key=f"thread:{first}",
            finding=_finding_dict(record),
            now=now,
        ):
            summary.account_findings_added += 1
