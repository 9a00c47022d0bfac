"""Evaluation (comms, council, admin): the periodic policy evaluation of a quarter (R11) — the same
report `merkwacht report --period` writes — with charts, downloadable as Markdown, HTML and PDF.

The report contains aggregates only (suppressed below k), so every role may read it.
"""

from __future__ import annotations

import streamlit as st

from merkwacht.dashboard import charts, data, session, tables
from merkwacht.dashboard.i18n import current_language, t
from merkwacht.dashboard.periods import recent_quarters

viewer = session.require("comms", "council", "admin")
session.page_header(viewer, "evaluation")

period = st.selectbox(t("evaluation.period"), recent_quarters(), key="evaluation_period")
lang = current_language()
result = data.evaluation(viewer.username, viewer.role, period, lang)

figures = data.council_figures(viewer.username, viewer.role, period)
table = figures["per_rule_month"]
bars = tables.chart_rows(table, row_key="rule", column_key="month", row_name=lambda r: t(f"rule.{r}"))
left, right = st.columns(2)
if bars:
    left.altair_chart(
        charts.findings_per_rule_month(bars, t=t),
        width="stretch",
    )
outcomes = figures["outcomes"]
precision = [
    {"rule": t(f"rule.{rule}"), "outcome": t("col.precision"), "count": round(100 * value)}
    for rule, value in outcomes.precision.items()
    if value is not None
]
if precision:
    right.altair_chart(
        charts.stacked_bars(
            precision,
            x="rule",
            y="count",
            colour="outcome",
            x_title=t("col.rule"),
            y_title="%",
            colour_title="",
        ),
        width="stretch",
    )


def _logged(fmt_: str) -> None:
    data.log(viewer, "export", target=f"evaluation:{period}", details={"format": fmt_})


c1, c2, c3 = st.columns(3)
c1.download_button(
    t("evaluation.download_md"),
    result["markdown"],
    file_name=f"evaluatie-{period}.md",
    mime="text/markdown",
    key="dl_md",
    on_click=_logged,
    args=("md",),
)
c2.download_button(
    t("evaluation.download_html"),
    result["html"],
    file_name=f"evaluatie-{period}.html",
    mime="text/html",
    key="dl_html",
    on_click=_logged,
    args=("html",),
)
if st.session_state.get("evaluation_pdf_for") == (period, lang) and "evaluation_pdf" in st.session_state:
    c3.download_button(
        t("evaluation.download_pdf"),
        st.session_state["evaluation_pdf"],
        file_name=f"evaluatie-{period}.pdf",
        mime="application/pdf",
        key="dl_pdf",
        on_click=_logged,
        args=("pdf",),
    )
elif c3.button(t("evaluation.make_pdf"), key="make_pdf"):
    st.session_state["evaluation_pdf"] = data.evaluation_pdf(viewer.username, viewer.role, period, lang)
    st.session_state["evaluation_pdf_for"] = (period, lang)
    st.rerun()

st.divider()
st.markdown(result["markdown"])
