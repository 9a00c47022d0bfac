"""Account-level checks: dormant accounts, credentials not rotated, posts deleted without notice.

These rules are pure functions over plain facts that the engine reads from the database
(:mod:`merkwacht.analysis.database`); they touch no database or clock ("now" arrives in the
context). Each returns at most one :class:`Hit` whose evidence describes the situation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from ..registry import Hit, RuleContext, rule
from ..terms import alternation, load_terms, versioned


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What the account checks look at: the register's entry and the time of the newest post."""

    handle: str
    platform: str
    status: str  # registered | active | revoked
    created_at: datetime
    last_post_at: datetime | None
    credentials_rotated_at: datetime | None
    credentials_env: str | None = None


@dataclass(frozen=True, slots=True)
class LaterPost:
    created_at: datetime
    text: str


@dataclass(frozen=True, slots=True)
class DeletedPostFacts:
    """A post that disappeared, and the account's posts from its publication until the grace period ended."""

    post_id: str
    created_at: datetime
    deleted_at: datetime
    text: str
    later_posts: tuple[LaterPost, ...] = ()
    edited_with_note: bool = False


class DormantSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: Days without a post after which an active account counts as dormant (default: the pack's accounts block).
    dormant_after_days: int | None = Field(default=None, ge=1)


class CredentialsSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: Days after which credentials must have been replaced (default: the pack's accounts block).
    credentials_rotation_days: int | None = Field(default=None, ge=1)


class DeletedSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: Hours after the deletion in which a correction or reason may still be posted.
    grace_hours: int = Field(default=48, ge=1)


def _days(delta: timedelta) -> int:
    return int(delta.total_seconds() // 86400)


@rule(id="dormant_account", version="1.0", serves=("maintenance",), level="account", settings=DormantSettings)
def dormant_account(facts: AccountFacts, ctx: RuleContext) -> list[Hit]:
    """An active brand account that has not posted for longer than the pack's period (Leiden "Starten
    account": an account needs time, maintenance and people to keep it up)."""
    limit = ctx.settings.get("dormant_after_days") or 90
    if facts.status != "active" or ctx.now is None:
        return []
    since = facts.last_post_at or facts.created_at
    idle = _days(ctx.now - since)
    if idle <= limit:
        return []
    when = since.date().isoformat()
    what = f"laatste bericht {when}" if facts.last_post_at else f"geen berichten sinds registratie op {when}"
    what_en = f"last post {when}" if facts.last_post_at else f"no posts since registration on {when}"
    return [
        Hit(
            evidence=what,
            start=None,
            end=None,
            score=1.0,
            severity="low",
            explanation_nl=(
                f"Account {facts.handle} ({facts.platform}) heeft {idle} dagen niets geplaatst ({what}); "
                f"de afspraak is hooguit {limit} dagen. Is er nog genoeg mankracht om het te onderhouden?"
            ),
            explanation_en=(
                f"Account {facts.handle} ({facts.platform}) has not posted for {idle} days ({what_en}); "
                f"the agreed maximum is {limit} days. Are there still people to maintain it?"
            ),
            details={"idle_days": idle, "limit_days": limit, "since": when},
        )
    ]


@rule(
    id="credentials_not_rotated",
    version="1.0",
    serves=("security",),
    level="account",
    settings=CredentialsSettings,
)
def credentials_not_rotated(facts: AccountFacts, ctx: RuleContext) -> list[Hit]:
    """An account whose password or keys were not replaced within the pack's period, or whose register
    entry records no replacement at all (Leiden 9: "Vervang regelmatig uw wachtwoorden")."""
    limit = ctx.settings.get("credentials_rotation_days") or 180
    if facts.status == "revoked" or ctx.now is None:
        return []
    rotated = facts.credentials_rotated_at
    if rotated is None:
        age = _days(ctx.now - facts.created_at)
        if age <= limit:
            return []
        return [
            Hit(
                evidence="geen vervangingsdatum geregistreerd",
                start=None,
                end=None,
                score=0.7,
                severity="low",
                explanation_nl=(
                    f"Voor account {facts.handle} ({facts.platform}) staat geen datum van de laatste "
                    f"wachtwoordvervanging in het register, terwijl het al {age} dagen geregistreerd is."
                ),
                explanation_en=(
                    f"The register records no date of the last credentials rotation for account "
                    f"{facts.handle} ({facts.platform}), registered {age} days ago."
                ),
                details={"rotated_at": None, "limit_days": limit},
            )
        ]
    age = _days(ctx.now - rotated)
    if age <= limit:
        return []
    when = rotated.date().isoformat()
    return [
        Hit(
            evidence=f"laatst vervangen {when}",
            start=None,
            end=None,
            score=1.0,
            severity="medium",
            explanation_nl=(
                f"De toegangsgegevens van account {facts.handle} ({facts.platform}) zijn {age} dagen "
                f"geleden voor het laatst vervangen ({when}); de afspraak is elke {limit} dagen."
            ),
            explanation_en=(
                f"The credentials of account {facts.handle} ({facts.platform}) were last rotated {age} "
                f"days ago ({when}); the agreed period is {limit} days."
            ),
            details={"rotated_at": when, "age_days": age, "limit_days": limit},
        )
    ]


_T = load_terms("corrections")
_NOTICE_RE = re.compile(r"(?<!\w)(?:" + alternation(_T["notice"]) + r")(?!\w)", re.IGNORECASE)


def notice_in(text: str) -> re.Match[str] | None:
    """Where ``text`` says a post was corrected, replaced or removed, and why."""
    return _NOTICE_RE.search(text)


@rule(
    id="deleted_without_notice",
    version=versioned("1.0", "corrections"),
    serves=("correction",),
    level="account",
    settings=DeletedSettings,
)
def deleted_without_notice(facts: DeletedPostFacts, ctx: RuleContext) -> list[Hit]:
    """A post that was deleted while no post of the account, from its publication until the grace period
    after the deletion, mentions a correction or a reason (Unicoz: "Geef bij verwijdering een goede reden")."""
    grace = timedelta(hours=ctx.settings.get("grace_hours", 48))
    if ctx.now is None or ctx.now < facts.deleted_at + grace:
        return []  # a notice may still come
    if facts.edited_with_note:
        return []
    for later in facts.later_posts:
        if facts.created_at <= later.created_at <= facts.deleted_at + grace and notice_in(later.text):
            return []
    shown = facts.text if len(facts.text) <= 80 else facts.text[:77] + "..."
    hours = int((facts.deleted_at - facts.created_at).total_seconds() // 3600)
    return [
        Hit(
            evidence=shown,
            start=None,
            end=None,
            score=0.8,
            severity="medium",
            explanation_nl=(
                f"Dit bericht is verwijderd (na ongeveer {hours} uur) zonder dat het account een correctie "
                "of reden plaatste. Het protocol vraagt fouten zichtbaar te corrigeren en bij verwijdering "
                "een goede reden te geven."
            ),
            explanation_en=(
                f"This post was deleted (after about {hours} hours) without the account posting a "
                "correction or a reason. The protocol asks to correct mistakes openly and to give a good "
                "reason when deleting."
            ),
            details={
                "deleted_at": facts.deleted_at.isoformat(),
                "grace_hours": int(grace.total_seconds() // 3600),
            },
        )
    ]
