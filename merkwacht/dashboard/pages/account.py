"""Account (comms): one brand account — registration and opt-in record, collection runs with their
status and errors, its posts and its findings. ``?account=ID`` picks the account."""

from __future__ import annotations

import streamlit as st

from merkwacht.core.errors import MerkwachtError
from merkwacht.core.queries.overview import SUCCESS_STATUSES
from merkwacht.dashboard import charts, data, fmt, session
from merkwacht.dashboard.i18n import error_text, run_error, t

POSTS_PER_PAGE = 25

viewer = session.require("comms")
session.page_header(viewer, "account")

accounts = data.account_list(viewer.username, viewer.role)
if not accounts:
    st.info(t("overview.no_accounts"))
    st.stop()
ids = [a.account_id for a in accounts]
labels = {a.account_id: a.label for a in accounts}
param = st.query_params.get("account")
if param is not None and param.isdigit() and int(param) in labels and "account_pick" not in st.session_state:
    st.session_state["account_pick"] = int(param)
account_id = st.selectbox(t("col.account"), ids, key="account_pick", format_func=lambda a: labels[a])
page_no = int(st.session_state.get("account_posts_page", 1))
try:
    detail = data.account_detail(viewer.username, viewer.role, account_id, (page_no - 1) * POSTS_PER_PAGE)
except MerkwachtError as exc:
    st.error(error_text(exc))
    st.stop()
if st.session_state.get("_logged_account") != account_id:
    data.log(viewer, "view_account", target=f"account:{account_id}")
    st.session_state["_logged_account"] = account_id

ref = detail.ref
cols = st.columns(4)
cols[0].metric(t("col.status"), t(f"status.{ref.status}"))
cols[1].metric(t("account.posts_total"), detail.posts_total)
cols[2].metric(t("col.open"), sum(s.get("open", 0) for s in detail.findings_by_rule_status.values()))
cols[3].metric(
    t("col.last_success"),
    fmt.day(next((r.finished_at for r in detail.runs if r.status in SUCCESS_STATUSES), None)),
)

tab_reg, tab_runs, tab_posts, tab_findings = st.tabs(
    [t("account.tab_register"), t("account.tab_runs"), t("account.tab_posts"), t("account.tab_findings")]
)

with tab_reg:
    st.markdown(
        t(
            "account.register_text",
            platform=ref.platform,
            handle=ref.handle,
            unit=ref.unit,
            purpose=detail.purpose,
            registered=fmt.when(detail.registered_at),
        )
    )
    if ref.instance:
        st.markdown(t("account.instance", instance=ref.instance))
    if detail.credentials_env:
        st.markdown(
            t(
                "account.credentials",
                env=detail.credentials_env,
                rotated=fmt.day(detail.credentials_rotated_at),
            )
        )
    else:
        st.markdown(t("account.no_credentials"))
    if detail.next_allowed_at:
        st.markdown(t("account.next_allowed", when=fmt.when(detail.next_allowed_at)))
    st.markdown(f"**{t('account.opt_ins')}**")
    if detail.opt_ins:
        st.dataframe(
            [
                {
                    t("col.granted_by"): o.granted_by,
                    t("col.role"): o.granted_role,
                    t("col.when"): fmt.when(o.granted_at),
                    t("col.purpose"): o.purpose,
                    t("col.revoked"): fmt.when(o.revoked_at, empty=""),
                    t("col.revoked_by"): o.revoked_by or "",
                    t("col.reason"): o.revoke_reason or "",
                }
                for o in detail.opt_ins
            ],
            hide_index=True,
        )
    else:
        st.warning(t("account.no_opt_in"))

with tab_runs:
    if detail.runs:
        st.dataframe(
            [
                {
                    t("col.started"): fmt.when(r.started_at),
                    t("col.finished"): fmt.when(r.finished_at),
                    t("col.status"): t(f"run_status.{r.status}"),
                    t("col.requests"): r.requests,
                    t("col.new"): r.posts_new,
                    t("col.updated"): r.posts_updated,
                    t("col.deleted"): r.posts_deleted,
                    t("col.error"): run_error(r.error_code, r.error_message),
                    t("col.error_message"): r.error_message or "",
                    t("col.warnings"): r.warnings,
                    t("col.backfill"): "✓" if r.backfill else "",
                }
                for r in detail.runs
            ],
            hide_index=True,
        )
    else:
        st.info(t("account.no_runs"))

with tab_posts:
    pages = max(1, -(-detail.posts_total // POSTS_PER_PAGE))
    st.number_input(
        t("findings.page", pages=pages), min_value=1, max_value=pages, step=1, key="account_posts_page"
    )
    st.dataframe(
        [
            {
                t("col.when"): fmt.when(p.created_at),
                t("col.kind"): p.kind,
                t("col.lang"): p.lang or "",
                t("col.text"): p.text,
                t("col.findings"): p.findings,
                t("col.state"): ", ".join(
                    t(f"account.{name}") for name, on in (("edited", p.edited), ("deleted", p.deleted)) if on
                ),
            }
            for p in detail.posts
        ],
        hide_index=True,
    )
    trend = data.weekly_trend(viewer.username, viewer.role, 12, account_id)
    if trend:
        st.altair_chart(
            charts.weekly_lines(
                [{"week": p.week.isoformat(), "series": t("col.posts"), "n": p.posts} for p in trend]
                + [{"week": p.week.isoformat(), "series": t("col.findings"), "n": p.findings} for p in trend],
                value="n",
                series="series",
                x_title=t("col.week"),
                y_title=t("col.count"),
                series_title="",
            ),
            width="stretch",
        )

with tab_findings:
    rows = [
        {"rule": t(f"rule.{rule}"), "status": t(f"finding_status.{status}"), "count": count}
        for rule, by_status in detail.findings_by_rule_status.items()
        for status, count in by_status.items()
    ]
    if rows:
        st.altair_chart(
            charts.stacked_bars(
                rows,
                x="rule",
                y="count",
                colour="status",
                x_title=t("col.rule"),
                y_title=t("col.count"),
                colour_title=t("col.status"),
            ),
            width="stretch",
        )
        st.page_link("pages/findings.py", label=t("account.to_queue"), icon=":material/fact_check:")
    else:
        st.success(t("account.no_findings"))
