"""The periodic evaluation of the rules (CBP: "evalueer de regels periodiek"; PRIVACY.md R11).

Built only from :mod:`merkwacht.core.queries.council`, so every table in it is suppressed with
the pack's ``k`` and nothing in it is per person or per signature. Recommendations are drawn
from the figures: rules whose reviewers dismiss most findings, rules nobody reviewed, a pack
that changed since the council agreed to it, collection that failed or was rate limited, and
an access log whose hash chain does not verify.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..accesslog import verify_chain
from ..models import utcnow
from ..periods import Period, parse_period
from ..queries import council
from ..queries.roles import Viewer
from ..suppression import SuppressedTable

#: Precision below which a rule is recommended for revision.
LOW_PRECISION = 0.5
#: Reviewed findings (confirmed + dismissed) a rule needs before its precision is judged.
MIN_REVIEWED = 5
REPORT_VIEWER = Viewer("evaluatierapport", "council")


@dataclass(frozen=True)
class Recommendation:
    """One recommendation: what it is about, and the advice in Dutch and English."""

    topic: str
    nl: str
    en: str

    def as_dict(self) -> dict[str, str]:
        return {"topic": self.topic, "nl": self.nl, "en": self.en}


@dataclass
class Evaluation:
    """Everything in the evaluation report for one period, as plain data."""

    period: Period
    generated_at: datetime
    k: int
    policy: dict[str, Any] | None
    pack_changes: list[dict[str, Any]]
    findings_per_rule_month: SuppressedTable
    findings_per_unit: SuppressedTable
    review_outcomes: council.ReviewOutcomes
    dismissal_reasons: list[dict[str, Any]]
    coverage: list[dict[str, Any]]
    retention_runs: list[dict[str, Any]]
    cases: dict[str, int]
    access: SuppressedTable
    access_chain: dict[str, Any]
    recommendations: list[Recommendation] = field(default_factory=list)

    @property
    def collection_totals(self) -> dict[str, int]:
        keys = ("accounts_registered", "accounts_active", "accounts_collected", "runs_total", "runs_ok",
                "runs_rate_limited", "runs_failed", "runs_refused")
        return {k: sum(int(row.get(k) or 0) for row in self.coverage) for k in keys}

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.label,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "generated_at": self.generated_at.isoformat(),
            "k": self.k,
            "policy": self.policy,
            "pack_changes": self.pack_changes,
            "findings_per_rule_month": self.findings_per_rule_month.as_dict(),
            "findings_per_unit": self.findings_per_unit.as_dict(),
            "review_outcomes": self.review_outcomes.as_dict(),
            "dismissal_reasons": self.dismissal_reasons,
            "coverage": self.coverage,
            "collection_totals": self.collection_totals,
            "retention_runs": self.retention_runs,
            "cases": self.cases,
            "access": self.access.as_dict(),
            "access_chain": self.access_chain,
            "recommendations": [r.as_dict() for r in self.recommendations],
        }


def _recommendations(e: Evaluation) -> list[Recommendation]:
    out: list[Recommendation] = []
    table = e.review_outcomes.table
    for i, rule in enumerate(table.rows):
        confirmed, dismissed = table.cells[i][0], table.cells[i][1]
        precision = e.review_outcomes.precision.get(rule)
        reviewed = (confirmed.value or 0) + (dismissed.value or 0)
        if precision is not None and reviewed >= MIN_REVIEWED and precision < LOW_PRECISION:
            out.append(Recommendation(
                rule,
                f"Regel {rule}: beoordelaars wezen {1 - precision:.0%} van de bevindingen af (precisie {precision:.0%}). "
                "Herzie de drempel of de instellingen van deze regel in het beleidspakket, of schakel de regel uit, "
                "en leg de wijziging opnieuw voor aan de ondernemingsraad.",
                f"Rule {rule}: reviewers dismissed {1 - precision:.0%} of its findings (precision {precision:.0%}). "
                "Revise its threshold or settings in the policy pack, or disable it, and put the change to the "
                "works council again.",
            ))
        elif confirmed.suppressed or dismissed.suppressed:
            out.append(Recommendation(
                rule,
                f"Regel {rule}: te weinig beoordelingen (minder dan k={e.k}) om de precisie te tonen; "
                "beoordeel openstaande bevindingen voordat de regel wordt geëvalueerd.",
                f"Rule {rule}: too few reviews (fewer than k={e.k}) to show its precision; review open findings "
                "before the rule is evaluated.",
            ))
        elif reviewed == 0:
            out.append(Recommendation(
                rule,
                f"Regel {rule}: geen enkele bevinding is beoordeeld. Een bevinding is een suggestie; laat een "
                "beoordelaar bevestigen of afwijzen.",
                f"Rule {rule}: no finding was reviewed. Findings are suggestions; have a reviewer confirm or "
                "dismiss them.",
            ))
    if e.policy is not None and not e.policy["agreed"]:
        out.append(Recommendation(
            "policy",
            f"Het beleidspakket {e.policy['pack']} {e.policy['version']} is gewijzigd sinds de instemming van de "
            "ondernemingsraad (of nooit ingestemd): leg deze versie ter instemming voor (WOR art. 27).",
            f"Policy pack {e.policy['pack']} {e.policy['version']} changed since the works council agreed to it "
            "(or was never agreed): put this version to the council for consent (WOR art. 27).",
        ))
    totals = e.collection_totals
    if totals["runs_failed"] or totals["runs_rate_limited"]:
        out.append(Recommendation(
            "collection",
            f"Verzamelen: {totals['runs_failed']} mislukte en {totals['runs_rate_limited']} door de platformlimiet "
            "afgebroken runs. Controleer toegangsgegevens en het verzamelinterval.",
            f"Collection: {totals['runs_failed']} failed and {totals['runs_rate_limited']} rate-limited runs. "
            "Check credentials and the collection interval.",
        ))
    if not e.access_chain.get("ok", True):
        out.append(Recommendation(
            "access_log",
            "Het toegangslogboek is niet intact (" + str(e.access_chain.get("message")) + "). Onderzoek dit met "
            "de functionaris gegevensbescherming.",
            "The access log is not intact (" + str(e.access_chain.get("message")) + "). Investigate with the data "
            "protection officer.",
        ))
    if not any(not r["dry_run"] for r in e.retention_runs):
        out.append(Recommendation(
            "retention",
            "In deze periode is geen opschoning (purge) uitgevoerd. Plan de dagelijkse opschoning in "
            "(`merkwacht schedule`) of voer `merkwacht purge` uit.",
            "No purge ran in this period. Schedule the daily purge (`merkwacht schedule`) or run `merkwacht purge`.",
        ))
    return out


def build_evaluation(*, session: Session, period: str | Period, viewer: Viewer | None = None,
                     k: int | None = None, now: datetime | None = None) -> Evaluation:
    """Gather the evaluation report for ``period`` (``2026Q3``, ``2026-07``, ``2026``) from aggregates only.

    ``viewer`` is who asks (every role may; the report is aggregate-only); the command line passes none.
    """
    p = parse_period(period) if isinstance(period, str) else period
    v = viewer or REPORT_VIEWER
    kk = council.council_k(session=session) if k is None else k
    chain = verify_chain(session=session)
    e = Evaluation(
        period=p,
        generated_at=(now or utcnow()),
        k=kk,
        policy=council.policy_in_force(session=session, viewer=v),
        pack_changes=council.pack_changes(session=session, viewer=v, period=p),
        findings_per_rule_month=council.findings_per_rule_per_month(session=session, viewer=v, period=p, k=kk),
        findings_per_unit=council.findings_per_unit(session=session, viewer=v, period=p, k=kk),
        review_outcomes=council.review_outcomes_per_rule(session=session, viewer=v, period=p, k=kk),
        dismissal_reasons=council.dismissal_reasons(session=session, viewer=v, period=p, k=kk),
        coverage=council.collection_coverage(session=session, viewer=v, period=p),
        retention_runs=council.retention_runs(session=session, viewer=v, period=p),
        cases=council.cases_summary(session=session, viewer=v, period=p),
        access=council.access_summary(session=session, viewer=v, period=p, k=kk),
        access_chain={"ok": chain.ok, "rows_checked": chain.rows_checked, "head_hash": chain.head_hash,
                      "message": chain.message},
    )
    e.recommendations = _recommendations(e)
    return e
