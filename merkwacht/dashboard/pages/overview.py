"""Overview (comms): each account's health at a glance, what needs attention, and trends."""

from __future__ import annotations

import streamlit as st

from merkwacht.core.queries.overview import SUCCESS_STATUSES
from merkwacht.dashboard import charts, data, fmt, session
from merkwacht.dashboard.i18n import run_error, t

viewer = session.require("comms")
session.page_header(viewer, "overview")

health = data.account_health(viewer.username, viewer.role)
if not health:
    st.info(t("overview.no_accounts"))
    st.stop()

active = [h for h in health if h.status == "active"]
cols = st.columns(4)
cols[0].metric(t("overview.active_accounts"), len(active), help=t("overview.active_accounts_help"))
cols[1].metric(t("overview.posts_this_month"), sum(h.posts_this_month for h in health))
cols[2].metric(t("overview.open_findings"), sum(h.open_findings for h in health))
attention = [
    h
    for h in health
    if h.dormant
    or h.rate_limited_until
    or h.credentials_overdue
    or (h.last_run_status and h.last_run_status not in SUCCESS_STATUSES)
]
cols[3].metric(t("overview.need_attention"), len(attention))

for h in attention:
    problems = []
    if h.last_run_status and h.last_run_status not in SUCCESS_STATUSES:
        problems.append(
            t(
                "overview.problem_run",
                status=t(f"run_status.{h.last_run_status}"),
                error=run_error(h.last_run_error_code, h.last_run_error) or "-",
            )
        )
    if h.rate_limited_until:
        problems.append(t("overview.problem_rate_limited", until=fmt.when(h.rate_limited_until)))
    if h.dormant:
        problems.append(t("overview.problem_dormant", last=fmt.when(h.last_post_at)))
    if h.credentials_overdue:
        problems.append(t("overview.problem_credentials", last=fmt.when(h.credentials_rotated_at)))
    st.warning(f"**@{h.handle}** ({h.platform}): " + "; ".join(problems), icon=":material/warning:")

st.subheader(t("overview.accounts"))
rows = []
for h in health:
    by_sev = {"high": 0, "medium": 0, "low": 0}
    for sev in h.open_by_rule.values():
        for name, count in sev.items():
            by_sev[name] = by_sev.get(name, 0) + count
    share = h.off_tone_share
    rows.append(
        {
            t("col.platform"): h.platform,
            t("col.account"): f"@{h.handle}",
            t("col.unit"): h.unit,
            t("col.status"): t(f"status.{h.status}"),
            t("col.last_success"): fmt.when(h.last_success_at),
            t("col.last_run"): t(f"run_status.{h.last_run_status}") if h.last_run_status else "-",
            t("col.posts_month"): h.posts_this_month,
            t("col.open"): h.open_findings,
            t("severity.high"): by_sev["high"],
            t("severity.medium"): by_sev["medium"],
            t("severity.low"): by_sev["low"],
            t("col.reply_tone"): "-"
            if share is None
            else f"{share:.0%} ({h.replies_off_tone}/{h.replies_recent})",
            t("col.flags"): ", ".join(
                t(f"overview.flag_{name}")
                for name, on in (
                    ("dormant", h.dormant),
                    ("rate_limited", bool(h.rate_limited_until)),
                    ("credentials", h.credentials_overdue),
                )
                if on
            ),
        }
    )
st.dataframe(rows, hide_index=True, width="stretch")

left, right = st.columns(2)
with left:
    st.subheader(t("overview.open_by_rule"))
    bars = [
        {"rule": t(f"rule.{rule}"), "severity": t(f"severity.{sev}"), "count": count}
        for h in health
        for rule, sevs in h.open_by_rule.items()
        for sev, count in sevs.items()
    ]
    if bars:
        st.altair_chart(
            charts.stacked_bars(
                bars,
                x="rule",
                y="count",
                colour="severity",
                x_title=t("col.rule"),
                y_title=t("col.count"),
                colour_title=t("col.severity"),
                severity_labels=[t(f"severity.{s}") for s in ("high", "medium", "low")],
            ),
            width="stretch",
        )
    else:
        st.success(t("overview.no_open"))
trend = data.weekly_trend(viewer.username, viewer.role)
with right:
    st.subheader(t("overview.trend_posts"))
    if trend:
        st.altair_chart(
            charts.weekly_lines(
                [{"week": p.week.isoformat(), "account": p.account, "posts": p.posts} for p in trend],
                value="posts",
                series="account",
                x_title=t("col.week"),
                y_title=t("col.posts"),
                series_title=t("col.account"),
            ),
            width="stretch",
        )
st.subheader(t("overview.trend_findings"))
if trend:
    st.altair_chart(
        charts.weekly_lines(
            [{"week": p.week.isoformat(), "account": p.account, "findings": p.findings} for p in trend],
            value="findings",
            series="account",
            x_title=t("col.week"),
            y_title=t("col.findings"),
            series_title=t("col.account"),
        ),
        width="stretch",
    )
