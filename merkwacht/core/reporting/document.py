"""The evaluation report as a neutral document (sections of paragraphs, lists and tables).

Markdown, HTML and PDF are rendered from this one structure, so the three formats say the same.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..suppression import SUPPRESSED_MARK, SuppressedTable
from .evaluation import Evaluation


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]


@dataclass
class Section:
    title: str
    blocks: list[Any] = field(default_factory=list)  # str (paragraph) | list[str] (bullets) | Table


@dataclass
class Document:
    title: str
    subtitle: str
    sections: list[Section]


LABELS = {
    "nl": {
        "title": "Evaluatie van de regels voor merkaccounts",
        "period": "Periode", "generated": "opgesteld op", "total": "totaal",
        "legend": f"{SUPPRESSED_MARK} = verborgen: kleiner dan k={{k}}, of aanvullend verborgen zodat het niet uit de totalen "
                  "is terug te rekenen. Alle cijfers zijn totalen; niets in dit rapport is herleidbaar tot een persoon.",
        "policy": "Beleidspakket in gebruik", "no_policy": "Er is in deze database nog geen analyse gedraaid.",
        "pack": "pakket", "version": "versie", "hash": "hash", "agreed_at": "ingestemd op", "status": "status",
        "changes": "Wijzigingen van het beleidspakket", "no_changes": "Geen wijzigingen in deze periode.",
        "first_used": "eerst gebruikt",
        "per_month": "Bevindingen per regel en maand", "per_unit": "Bevindingen per eenheid en regel",
        "reviews": "Beoordelingen en precisie per regel", "precision": "precisie",
        "precision_note": "Precisie = bevestigd / (bevestigd + afgewezen). Bevestigd omvat ook opgelost en "
                          "geëscaleerd. Geen precisie waar een aantal verborgen is.",
        "reasons": "Meest gegeven redenen om af te wijzen", "no_reasons": "Geen afwijzingen in deze periode.",
        "rule": "regel", "reason": "reden", "count": "aantal",
        "coverage": "Verzamelen: accounts en dekking", "platform": "platform", "registered": "geregistreerd",
        "active": "met opt-in", "collected": "verzameld", "cov": "dekking", "runs": "runs", "ok": "gelukt",
        "rate_limited": "limiet", "failed": "mislukt", "refused": "geweigerd",
        "retention": "Opschoning (bewaartermijnen)", "no_retention": "Geen opschoning in deze periode.",
        "when": "wanneer", "dry": "proef", "counts": "verwijderd per categorie",
        "held": "bewaard voor lopend onderzoek (legal hold)",
        "cases": "Onderzoeksdossiers", "opened": "geopend", "approved": "goedgekeurd", "closed": "gesloten",
        "expired": "verlopen",
        "access": "Toegang (toegangslogboek)", "chain_ok": "De hash-keten van het toegangslogboek is intact "
                                                          "({rows} regels gecontroleerd; kop {head}).",
        "chain_bad": "De hash-keten van het toegangslogboek is NIET intact: {message}",
        "recommendations": "Aanbevelingen", "no_recommendations": "Geen aanbevelingen.",
        "yes": "ja", "no": "nee", "agreed": "ingestemd", "not agreed": "nog niet ingestemd",
        "confirmed": "bevestigd", "dismissed": "afgewezen", "open": "open",
    },
    "en": {
        "title": "Evaluation of the brand-account rules",
        "period": "Period", "generated": "generated on", "total": "total",
        "legend": f"{SUPPRESSED_MARK} = hidden: smaller than k={{k}}, or hidden as well so that it cannot be recomputed "
                  "from the totals. All figures are totals; nothing in this report can be traced to a person.",
        "policy": "Policy pack in force", "no_policy": "No analysis has run on this database yet.",
        "pack": "pack", "version": "version", "hash": "hash", "agreed_at": "agreed on", "status": "status",
        "changes": "Changes to the policy pack", "no_changes": "No changes in this period.",
        "first_used": "first used",
        "per_month": "Findings per rule and month", "per_unit": "Findings per unit and rule",
        "reviews": "Reviews and precision per rule", "precision": "precision",
        "precision_note": "Precision = confirmed / (confirmed + dismissed). Confirmed includes resolved and "
                          "escalated. No precision where a figure is hidden.",
        "reasons": "Most frequent dismissal reasons", "no_reasons": "No dismissals in this period.",
        "rule": "rule", "reason": "reason", "count": "count",
        "coverage": "Collection: accounts and coverage", "platform": "platform", "registered": "registered",
        "active": "opted in", "collected": "collected", "cov": "coverage", "runs": "runs", "ok": "ok",
        "rate_limited": "rate limited", "failed": "failed", "refused": "refused",
        "retention": "Retention purges", "no_retention": "No purge in this period.",
        "when": "when", "dry": "dry run", "counts": "deleted per category",
        "held": "kept for an open investigation (legal hold)",
        "cases": "Investigation cases", "opened": "opened", "approved": "approved", "closed": "closed",
        "expired": "expired",
        "access": "Access (access log)", "chain_ok": "The access log's hash chain is intact ({rows} rows checked; "
                                                    "head {head}).",
        "chain_bad": "The access log's hash chain is NOT intact: {message}",
        "recommendations": "Recommendations", "no_recommendations": "No recommendations.",
        "yes": "yes", "no": "no", "agreed": "agreed", "not agreed": "not yet agreed",
        "confirmed": "confirmed", "dismissed": "dismissed", "open": "open",
    },
}


def labels(lang: str) -> dict[str, str]:
    if lang not in LABELS:
        raise ValueError(f"language must be one of {', '.join(LABELS)}, not {lang!r}")
    return LABELS[lang]


def suppressed_table(t: SuppressedTable, total_label: str) -> Table:
    headers = [t.row_label, *t.columns, total_label]
    rows = [[name, *(str(c) for c in t.cells[i]), str(t.row_totals[i])] for i, name in enumerate(t.rows)]
    rows.append([total_label, *(str(c) for c in t.column_totals), str(t.total)])
    return Table(headers, rows)


def _date(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value is not None else "—"


def build_document(e: Evaluation, *, lang: str = "nl") -> Document:
    L = labels(lang)
    sections: list[Section] = []

    policy = Section(L["policy"])
    if e.policy is None:
        policy.blocks.append(L["no_policy"])
    else:
        policy.blocks.append(Table(
            [L["pack"], L["version"], L["hash"], L["agreed_at"], L["status"]],
            [[e.policy["pack"], e.policy["version"], e.policy["hash"][:16], _date(e.policy["agreed_at"]),
              L[e.policy["status"]]]],
        ))
    sections.append(policy)

    changes = Section(L["changes"])
    if e.pack_changes:
        changes.blocks.append(Table(
            [L["pack"], L["version"], L["hash"], L["first_used"], L["agreed_at"], L["status"]],
            [[c["pack"], c["version"], c["hash"][:16], _date(c["first_used_at"]), _date(c["agreed_at"]),
              L[c["status"]]] for c in e.pack_changes],
        ))
    else:
        changes.blocks.append(L["no_changes"])
    sections.append(changes)

    legend = L["legend"].format(k=e.k)
    sections.append(Section(L["per_month"], [suppressed_table(e.findings_per_rule_month, L["total"]), legend]))
    sections.append(Section(L["per_unit"], [suppressed_table(e.findings_per_unit, L["total"])]))

    t = e.review_outcomes.table
    review_rows = []
    for i, rule in enumerate(t.rows):
        precision = e.review_outcomes.precision.get(rule)
        review_rows.append([rule, *(str(c) for c in t.cells[i]), str(t.row_totals[i]),
                            f"{precision:.0%}" if precision is not None else "—"])
    review_rows.append([L["total"], *(str(c) for c in t.column_totals), str(t.total), ""])
    sections.append(Section(L["reviews"], [Table([L["rule"], *(L[c] for c in t.columns), L["total"], L["precision"]], review_rows),
                                           L["precision_note"]]))

    reasons = Section(L["reasons"])
    if e.dismissal_reasons:
        reasons.blocks.append(Table([L["rule"], L["reason"], L["count"]], [
            [r["rule"], r["reason"], SUPPRESSED_MARK if r["suppressed"] else str(r["count"])] for r in e.dismissal_reasons
        ]))
    else:
        reasons.blocks.append(L["no_reasons"])
    sections.append(reasons)

    cov = Section(L["coverage"])
    cov.blocks.append(Table(
        [L["platform"], L["registered"], L["active"], L["collected"], L["cov"], L["runs"], L["ok"],
         L["rate_limited"], L["failed"], L["refused"]],
        [[r["platform"], str(r["accounts_registered"]), str(r["accounts_active"]), str(r["accounts_collected"]),
          f"{r['coverage']:.0%}" if r["coverage"] is not None else "—", str(r["runs_total"]), str(r["runs_ok"]),
          str(r["runs_rate_limited"]), str(r["runs_failed"]), str(r["runs_refused"])] for r in e.coverage],
    ))
    sections.append(cov)

    ret = Section(L["retention"])
    if e.retention_runs:
        ret.blocks.append(Table([L["when"], L["dry"], L["status"], L["counts"], L["held"]], [
            [r["started_at"].strftime("%Y-%m-%d %H:%M"), L["yes"] if r["dry_run"] else L["no"], r["status"],
             ", ".join(f"{k} {v}" for k, v in sorted(r["counts"].items()) if v) or "0",
             ", ".join(f"{k} {v}" for k, v in sorted(r.get("held", {}).items()) if v) or "0"]
            for r in e.retention_runs
        ]))
    else:
        ret.blocks.append(L["no_retention"])
    sections.append(ret)

    sections.append(Section(L["cases"], [Table([L["opened"], L["approved"], L["closed"], L["expired"]], [
        [str(e.cases["opened"]), str(e.cases["approved"]), str(e.cases["closed"]), str(e.cases["expired"])]])]))

    chain = e.access_chain
    chain_text = (L["chain_ok"].format(rows=chain["rows_checked"], head=chain["head_hash"][:16]) if chain["ok"]
                  else L["chain_bad"].format(message=chain["message"]))
    sections.append(Section(L["access"], [suppressed_table(e.access, L["total"]), chain_text]))

    recs = Section(L["recommendations"])
    recs.blocks.append([getattr(r, lang) for r in e.recommendations] or [L["no_recommendations"]])
    sections.append(recs)

    subtitle = (f"{L['period']} {e.period.label} ({e.period.start:%Y-%m-%d} – {e.period.end:%Y-%m-%d}), "
                f"{L['generated']} {e.generated_at:%Y-%m-%d %H:%M} UTC, k = {e.k}")
    return Document(L["title"], subtitle, sections)
