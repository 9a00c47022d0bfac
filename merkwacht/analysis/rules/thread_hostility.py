"""thread_hostility: a discussion going off the rails (Unicoz 7, Policy BV 9).

The guidelines ask staff to contact the responsible department as soon as an online discussion
threatens to derail. Platforms do not give Merkwacht whole threads (only the account's own posts
and the post each reply answers), so a discussion is approximated as the replies one account
gave within a time window; when several of the posts it answered there are hostile, the
responsible person is notified. Whether a third-party text is hostile is decided by the engine
with the off_tone detector and arrives here as plain data; this function only counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from ..registry import Hit, RuleContext, rule


@dataclass(frozen=True, slots=True)
class ReplyFact:
    """One reply of the account, and whether the post it answered is hostile (with the words that show it)."""

    post_id: str
    created_at: datetime
    hostile: bool
    evidence: str | None = None


@dataclass(frozen=True, slots=True)
class ThreadFacts:
    """The replies of one account, oldest first."""

    handle: str
    platform: str
    replies: tuple[ReplyFact, ...]


class ThreadHostilitySettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    #: Replies answered within this many hours of the first hostile one form one discussion.
    window_hours: int = Field(default=24, ge=1)
    #: This many hostile posts answered in one discussion make a finding.
    min_hostile: int = Field(default=3, ge=2)


@rule(
    id="thread_hostility",
    version="1.0",
    serves=("escalation",),
    level="thread",
    settings=ThreadHostilitySettings,
)
def thread_hostility(facts: ThreadFacts, ctx: RuleContext) -> list[Hit]:
    """Several hostile posts answered by one account within the window: one hit per discussion, whose
    ``details['first_post']`` (the first hostile reply's post id) identifies it."""
    window = timedelta(hours=ctx.settings.get("window_hours", 24))
    needed = ctx.settings.get("min_hostile", 3)
    hostile = [r for r in sorted(facts.replies, key=lambda r: r.created_at) if r.hostile]
    hits = []
    i = 0
    while i < len(hostile):
        first = hostile[i]
        group = [r for r in hostile[i:] if r.created_at - first.created_at <= window]
        if len(group) >= needed:
            examples = [r.evidence for r in group if r.evidence][:3]
            shown = "; ".join(f"'{e}'" for e in examples)
            hits.append(
                Hit(
                    evidence=f"{len(group)} vijandige reacties binnen {int(window.total_seconds() // 3600)} uur",
                    start=None,
                    end=None,
                    score=min(1.0, 0.5 + 0.1 * len(group)),
                    severity="high",
                    explanation_nl=(
                        f"Account {facts.handle} ({facts.platform}) beantwoordde {len(group)} vijandige "
                        f"reacties in korte tijd ({shown}). De discussie dreigt te ontsporen: overleg met de "
                        "verantwoordelijke afdeling over de te volgen strategie."
                    ),
                    explanation_en=(
                        f"Account {facts.handle} ({facts.platform}) answered {len(group)} hostile replies "
                        f"in a short time ({shown}). The discussion threatens to derail: agree on a strategy "
                        "with the responsible department."
                    ),
                    details={
                        "first_post": first.post_id,
                        "posts": [r.post_id for r in group],
                        "from": first.created_at.isoformat(),
                        "to": group[-1].created_at.isoformat(),
                    },
                )
            )
            i += len(group)
        else:
            i += 1
    return hits
