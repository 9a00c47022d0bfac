"""Approvals (comms): the register of approved standpoint texts — add, import, and see which
published posts matched which approval and which standpoint posts had none."""

from __future__ import annotations

from datetime import UTC, datetime, time

import streamlit as st

from merkwacht.core.errors import MerkwachtError
from merkwacht.dashboard import data, fmt, session
from merkwacht.dashboard.i18n import error_text, t

viewer = session.require("comms")
session.page_header(viewer, "approvals")

flash = st.session_state.pop("approvals_flash", None)
if flash:
    st.success(flash)

register = data.approval_register(viewer.username, viewer.role)
without = data.unapproved_standpoints(viewer.username, viewer.role)
cols = st.columns(3)
cols[0].metric(t("approvals.count"), len(register))
cols[1].metric(t("approvals.valid_now"), sum(1 for a in register if a.valid_now))
cols[2].metric(t("approvals.without"), len(without))

tab_register, tab_without, tab_add = st.tabs(
    [t("approvals.tab_register"), t("approvals.tab_without"), t("approvals.tab_add")]
)
with tab_register:
    if not register:
        st.info(t("approvals.empty"))
    for a in register:
        title = (
            f"{t('approvals.valid') if a.valid_now else t('approvals.expired')} · {a.external_id} · {a.account_handle or t('approvals.all_accounts')}"
            f" · {t('approvals.published', n=len(a.matches))}"
        )
        with st.expander(title):
            st.markdown(f"> {a.text}")
            st.caption(
                t(
                    "approvals.meta",
                    by=a.approved_by,
                    at=fmt.day(a.approved_at),
                    until=fmt.day(a.valid_until, empty=t("approvals.no_end")),
                )
            )
            if a.matches:
                st.dataframe(
                    [
                        {
                            t("col.account"): m.account,
                            t("col.when"): fmt.when(m.created_at),
                            t("col.text"): m.text,
                            t("col.similarity"): m.similarity,
                        }
                        for m in a.matches
                    ],
                    hide_index=True,
                )
            else:
                st.caption(t("approvals.not_published"))

with tab_without:
    st.caption(t("approvals.without_help"))
    if without:
        st.dataframe(
            [
                {
                    t("col.account"): s.account,
                    t("col.when"): fmt.when(s.created_at),
                    t("col.text"): s.text,
                    t("col.evidence"): s.evidence or "",
                    t("col.status"): t(f"finding_status.{s.status}"),
                }
                for s in without
            ],
            hide_index=True,
        )
    else:
        st.success(t("approvals.all_approved"))

with tab_add:
    accounts = data.account_list(viewer.username, viewer.role)
    handles = [""] + sorted({f"@{a.handle}" for a in accounts})
    with st.form("approval_add", clear_on_submit=True):
        text = st.text_area(t("approvals.text"), key="approval_text")
        account = st.selectbox(
            t("col.account"),
            handles,
            key="approval_account",
            format_func=lambda h: h or t("approvals.all_accounts"),
        )
        approved_by = st.text_input(t("approvals.approved_by"), key="approval_by")
        c1, c2 = st.columns(2)
        approved_on = c1.date_input(
            t("approvals.approved_at"), value=datetime.now(UTC).date(), key="approval_at"
        )
        until = c2.date_input(t("approvals.valid_until"), value=None, key="approval_until")
        submitted = st.form_submit_button(t("approvals.add"), type="primary")
    if submitted:
        try:
            ext = data.add_approval(
                viewer,
                text=text,
                approved_by=approved_by,
                account=account or None,
                approved_at=datetime.combine(approved_on, time.min, tzinfo=UTC) if approved_on else None,
                valid_until=datetime.combine(until, time.max, tzinfo=UTC) if until else None,
            )
        except MerkwachtError as exc:
            st.error(error_text(exc))
        else:
            st.session_state["approvals_flash"] = t("approvals.added", id=ext)
            st.rerun()

    st.divider()
    st.markdown(f"**{t('approvals.import')}**")
    st.caption(t("approvals.import_help"))
    upload = st.file_uploader(t("approvals.file"), type=["jsonl", "json", "txt"], key="approval_file")
    if upload is not None and st.button(t("approvals.import_button"), key="approval_import"):
        try:
            added, unchanged, errors = data.import_approvals(viewer, upload.getvalue())
        except MerkwachtError as exc:
            st.error(error_text(exc))
        else:
            st.success(t("approvals.imported", added=added, unchanged=unchanged))
            for error in errors:
                st.error(error)
