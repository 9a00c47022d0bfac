"""What Merkwacht collects, why, and for how long, in plain language for everyone (PRIVACY.md R14).

Open to every role: it describes the processing, not a person. Figures come from the pack in
force (the policy version analysis last ran under, whose document the analysis recorded) and
from the account register (counts per platform and the stated purposes of the brand accounts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Account, PolicyVersion
from ..retention import DEFAULT_PERIODS
from .roles import AGGREGATE_ROLES, Viewer, require_role


@dataclass(frozen=True)
class ClauseSummary:
    id: str
    title: str
    purpose: str
    rules: list[str]


@dataclass(frozen=True)
class ProcessingSummary:
    pack: str | None
    pack_version: str | None
    pack_title: str | None
    k: int
    retention_days: dict[str, int]
    clauses: list[ClauseSummary] = field(default_factory=list)
    accounts_per_platform: dict[str, int] = field(default_factory=dict)
    active_per_platform: dict[str, int] = field(default_factory=dict)
    purposes: list[str] = field(default_factory=list)


def _days(value: Any) -> int | None:
    """Days from a number of days, or from ``{"days": n}`` / ``{"months": n}``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, dict):
        if "days" in value:
            return _days(value["days"])
        if "months" in value:
            months = _days(value["months"])
            return None if months is None else round(months * 30.44)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def processing_summary(*, session: Session, viewer: Viewer) -> ProcessingSummary:
    """The processing as the council and the staff concerned should see it."""
    require_role(viewer, *AGGREGATE_ROLES)
    version = session.scalar(
        select(PolicyVersion).order_by(PolicyVersion.last_used_at.desc(), PolicyVersion.id.desc()).limit(1)
    )
    document: dict[str, Any] = dict(version.document or {}) if version is not None else {}
    retention = dict(DEFAULT_PERIODS)
    for key, value in (document.get("retention_days") or document.get("retention") or {}).items():
        days = _days(value)
        if days is not None:
            retention[str(key)] = days
    clause_rules: dict[str, list[str]] = {}
    rules = document.get("rules") or {}
    if isinstance(rules, dict):
        for rule_id, spec in rules.items():
            for clause in (spec or {}).get("clauses", []) if isinstance(spec, dict) else []:
                clause_rules.setdefault(str(clause), []).append(str(rule_id))
    raw_clauses = document.get("clauses") or []
    if isinstance(raw_clauses, dict):
        raw_clauses = [dict(v, id=k) for k, v in raw_clauses.items()]
    clauses = [
        ClauseSummary(
            id=str(c.get("id", "")),
            title=str(c.get("title", "")),
            purpose=str(c.get("purpose", "")),
            rules=sorted(clause_rules.get(str(c.get("id", "")), [])),
        )
        for c in raw_clauses
        if isinstance(c, dict)
    ]
    try:
        k = int(document.get("k", 5))
    except (TypeError, ValueError):
        k = 5
    per_platform = dict(
        session.execute(select(Account.platform, func.count()).group_by(Account.platform)).all()
    )
    active = dict(
        session.execute(
            select(Account.platform, func.count())
            .where(Account.status == "active")
            .group_by(Account.platform)
        ).all()
    )
    purposes = sorted(set(session.scalars(select(Account.purpose).distinct())))
    return ProcessingSummary(
        pack=version.pack if version else None,
        pack_version=version.version if version else None,
        pack_title=str(document.get("title") or document.get("name") or "") or None,
        k=k,
        retention_days=retention,
        clauses=clauses,
        accounts_per_platform=per_platform,
        active_per_platform=active,
        purposes=purposes,
    )
