"""Works council (council, admin): aggregated, anonymised statistics only (R3, R10, R12), and in plain
language what is collected, why and for how long (R14).

Every table comes from ``core.queries.council``, which suppresses cells below the pack's k (and the
cells that would reveal them); a suppressed cell reads ``< k`` or ``•``. No post, finding, person,
signature or single account appears on this page, and there is no drill-down.
"""

from __future__ import annotations

import streamlit as st

from merkwacht.dashboard import charts, data, fmt, session, tables
from merkwacht.dashboard.i18n import t
from merkwacht.dashboard.periods import recent_quarters

viewer = session.require("council", "admin")
session.page_header(viewer, "council")

period = st.selectbox(t("council.period"), recent_quarters(), key="council_period")
figures = data.council_figures(viewer.username, viewer.role, period)
k = figures["k"]
st.caption(
    t(
        "council.suppression_note",
        k=k,
        primary=tables.SUPPRESSED_PRIMARY,
        complementary=tables.SUPPRESSED_COMPLEMENTARY,
    )
)


def rule_name(rule: str) -> str:
    return t(f"rule.{rule}")


tab_stats, tab_processing = st.tabs([t("council.tab_stats"), t("council.tab_processing")])

with tab_stats:
    policy = figures["policy"]
    if policy:
        agreed = (
            t("council.agreed", date=fmt.day(policy["agreed_at"]))
            if policy["agreed"]
            else t("council.not_agreed")
        )
        (st.success if policy["agreed"] else st.warning)(
            t(
                "council.policy",
                pack=policy["pack"],
                version=policy["version"],
                hash=policy["hash"][:12],
                agreed=agreed,
            )
        )

    st.subheader(t("council.per_rule_month"))
    table = figures["per_rule_month"]
    if table.rows:
        st.dataframe(
            tables.table_rows(table, row_title=t("col.rule"), total_title=t("col.total"), row_name=rule_name),
            hide_index=True,
        )
        bars = tables.chart_rows(table, row_key="rule", column_key="month", row_name=rule_name)
        if bars:
            st.altair_chart(
                charts.findings_per_rule_month(bars, t=t),
                width="stretch",
            )
    else:
        st.info(t("council.nothing"))

    st.subheader(t("council.outcomes"))
    outcomes = figures["outcomes"]
    if outcomes.table.rows:
        rows = tables.table_rows(
            outcomes.table,
            row_title=t("col.rule"),
            total_title=t("col.total"),
            row_name=rule_name,
            column_name=lambda c: t(f"outcome.{c}"),
        )
        for row, rule in zip(rows, outcomes.table.rows, strict=False):
            precision = outcomes.precision.get(rule)
            row[t("col.precision")] = "-" if precision is None else f"{precision:.0%}"
        rows[-1][t("col.precision")] = ""
        st.dataframe(rows, hide_index=True)
        st.caption(t("council.precision_help"))
    else:
        st.info(t("council.nothing"))

    reasons = figures["reasons"]
    if reasons:
        st.subheader(t("council.reasons"))
        st.dataframe(
            [
                {
                    t("col.rule"): rule_name(r["rule"]),
                    t("col.reason"): t(f"reason.{r['reason']}")
                    if not str(r["reason"]).startswith(("overige", "(geen"))
                    else r["reason"],
                    t("col.count"): tables.SUPPRESSED_PRIMARY if r["suppressed"] else str(r["count"]),
                }
                for r in reasons
            ],
            hide_index=True,
        )

    st.subheader(t("council.per_unit"))
    table = figures["per_unit"]
    if table.rows:
        st.dataframe(
            tables.table_rows(
                table, row_title=t("col.unit"), total_title=t("col.total"), column_name=rule_name
            ),
            hide_index=True,
        )
    else:
        st.info(t("council.nothing"))

    st.subheader(t("council.coverage"))
    if figures["coverage"]:
        st.dataframe(
            [
                {
                    t("col.platform"): c["platform"],
                    t("council.registered"): c["accounts_registered"],
                    t("council.active"): c["accounts_active"],
                    t("council.revoked"): c["accounts_revoked"],
                    t("council.collected"): c["accounts_collected"],
                    t("council.coverage_share"): "-" if c["coverage"] is None else f"{c['coverage']:.0%}",
                    t("council.runs"): c["runs_total"],
                    t("council.runs_ok"): c["runs_ok"],
                    t("council.runs_limited"): c["runs_rate_limited"],
                    t("council.runs_failed"): c["runs_failed"],
                }
                for c in figures["coverage"]
            ],
            hide_index=True,
        )
    st.subheader(t("council.retention"))
    if figures["retention"]:
        st.dataframe(
            [
                {
                    t("col.started"): fmt.when(r["started_at"]),
                    t("col.status"): r["status"],
                    t("council.dry_run"): "✓" if r["dry_run"] else "",
                    t("council.deleted"): ", ".join(f"{k_}: {v}" for k_, v in sorted(r["counts"].items())),
                }
                for r in figures["retention"]
            ],
            hide_index=True,
        )
    else:
        st.info(t("council.no_retention"))
    cases = figures["cases"]
    st.subheader(t("council.cases"))
    cols = st.columns(4)
    for col, key in zip(cols, ("opened", "approved", "closed", "expired"), strict=True):
        col.metric(t(f"council.cases_{key}"), cases[key])
    st.subheader(t("council.access"))
    table = figures["access"]
    if table.rows:
        st.dataframe(
            tables.table_rows(
                table,
                row_title=t("col.action"),
                total_title=t("col.total"),
                column_name=lambda r: t(f"role.{r}"),
            ),
            hide_index=True,
        )

with tab_processing:
    summary = data.processing_summary(viewer.username, viewer.role)
    st.markdown(t("council.what_intro"))
    st.markdown(t("council.what_collected"))
    st.markdown(t("council.why", pack=summary.pack or "-", version=summary.pack_version or "-"))
    if summary.clauses:
        st.dataframe(
            [
                {
                    t("council.clause"): c.title or c.id,
                    t("col.purpose"): c.purpose,
                    t("council.rules"): ", ".join(rule_name(r) for r in c.rules),
                }
                for c in summary.clauses
            ],
            hide_index=True,
        )
    st.markdown(t("council.how_long"))
    st.dataframe(
        [
            {t("council.category"): t(f"retention.{cat}"), t("council.days"): days}
            for cat, days in sorted(summary.retention_days.items())
        ],
        hide_index=True,
    )
    st.markdown(
        t(
            "council.accounts_line",
            n=sum(summary.accounts_per_platform.values()),
            active=sum(summary.active_per_platform.values()),
        )
    )
    st.markdown(t("council.rights", k=summary.k))
