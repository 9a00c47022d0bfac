"""Privacy (admin): retention runs and deletion reports (R5), the access log with its hash-chain
check (R9), and inzage exports for access requests (R8)."""

from __future__ import annotations

import streamlit as st

from merkwacht.core.errors import MerkwachtError
from merkwacht.dashboard import data, fmt, session
from merkwacht.dashboard.i18n import error_text, t

viewer = session.require("admin")
session.page_header(viewer, "privacy")

tab_retention, tab_log, tab_inzage = st.tabs(
    [t("privacy.tab_retention"), t("privacy.tab_log"), t("privacy.tab_inzage")]
)

with tab_retention:
    runs = data.retention_runs(viewer.username, viewer.role)
    if runs:
        st.dataframe(
            [
                {
                    t("col.started"): fmt.when(r["started_at"]),
                    t("col.finished"): fmt.when(r["finished_at"]),
                    t("col.status"): r["status"],
                    t("council.dry_run"): "✓" if r["dry_run"] else "",
                    t("council.deleted"): ", ".join(f"{k}: {v}" for k, v in sorted(r["counts"].items())),
                    t("privacy.held"): ", ".join(f"{k}: {v}" for k, v in sorted(r["held"].items()) if v),
                }
                for r in runs
            ],
            hide_index=True,
        )
        latest = runs[0]
        if latest.get("report"):
            with st.expander(t("privacy.retention_report") + f" · {fmt.when(latest['started_at'])}"):
                st.text(latest["report"])
    else:
        st.info(t("privacy.no_runs"))
    if st.button(t("privacy.dry_run"), key="purge_dry_run"):
        try:
            result = data.purge_dry_run(viewer)
        except (ImportError, MerkwachtError) as exc:
            st.error(error_text(exc))
        else:
            st.text(result["report"])

with tab_log:
    if st.button(t("privacy.verify"), key="verify_chain", type="primary"):
        report = data.check_chain(viewer)
        if report.ok:
            st.success(t("privacy.chain_ok", rows=report.rows_checked, head=report.head_hash[:16]))
        else:
            st.error(t("privacy.chain_broken", row=report.broken_id, reason=report.message or report.problem))
    total, rows = data.access_log(viewer, limit=200)
    st.markdown(f"**{t('privacy.log_recent')}** ({len(rows)} / {total})")
    st.dataframe(
        [
            {
                "#": r.entry_id,
                t("col.when"): fmt.when(r.at),
                "actor": r.actor,
                t("col.role"): r.role,
                t("col.action"): r.action,
                "target": r.target or "",
                "channel": r.channel,
            }
            for r in rows
        ],
        hide_index=True,
    )

with tab_inzage:
    subject = st.text_input(t("privacy.subject"), key="inzage_subject")
    if st.button(t("privacy.export"), key="inzage_export", disabled=not subject.strip()):
        try:
            content, name = data.inzage_export(viewer, subject.strip())
        except ImportError:
            st.info(t("privacy.unavailable"))
        except MerkwachtError as exc:
            st.error(error_text(exc))
        else:
            st.session_state["inzage_zip"] = (content, name)
    if "inzage_zip" in st.session_state:
        content, name = st.session_state["inzage_zip"]
        st.download_button(
            t("privacy.download"), content, file_name=name, mime="application/zip", key="inzage_download"
        )
