"""Findings (comms): the review queue, one finding in full, and the review actions (R7, R13).

The queue filters by status, account, rule, severity and period. A finding shows its post, the
post it answers, the evidence highlighted, the guideline clause in the guideline's own words
and the explanation; the reviewer confirms, dismisses (with a reason), resolves or escalates,
with a note. Several findings can be dismissed at once. ``?finding=ID`` opens one finding.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

import streamlit as st

from merkwacht.core.errors import MerkwachtError
from merkwacht.core.repository.reviews import DISMISS_REASONS
from merkwacht.dashboard import data, fmt, session
from merkwacht.dashboard.i18n import current_language, error_text, t

PAGE_SIZE = 25
PERIODS = ("all", "7", "30", "90", "365")
ACTIONS = ("confirmed", "dismissed", "resolved", "escalated")
SEVERITY_COLOUR = {"high": "red", "medium": "orange", "low": "yellow"}


def _badge(severity: str) -> str:
    return f":{SEVERITY_COLOUR.get(severity, 'gray')}-badge[{t(f'severity.{severity}')}]"


viewer = session.require("comms")
session.page_header(viewer, "findings")
lang = current_language()

flash = st.session_state.pop("findings_flash", None)
if flash:
    st.success(flash)

# ---- which finding is open: ?finding=ID or a click in the queue --------------------------------------------------
param = st.query_params.get("finding")
if param is not None and param.isdigit() and st.session_state.get("_finding_param") != param:
    st.session_state["finding_id"] = int(param)
    st.session_state["_finding_param"] = param

# ---- filters -----------------------------------------------------------------------------------------------------
options = data.filter_options(viewer.username, viewer.role)
account_labels = dict(options.accounts)
with st.container(border=True):
    c1, c2, c3, c4, c5 = st.columns(5)
    statuses = c1.multiselect(
        t("col.status"),
        options.statuses,
        default=["open"],
        key="flt_status",
        format_func=lambda s: t(f"finding_status.{s}"),
    )
    account_ids = c2.multiselect(
        t("col.account"),
        list(account_labels),
        key="flt_account",
        placeholder=t("findings.all"),
        format_func=lambda a: account_labels.get(a, str(a)),
    )
    rules = c3.multiselect(
        t("col.rule"),
        options.rules,
        key="flt_rule",
        placeholder=t("findings.all"),
        format_func=lambda r: t(f"rule.{r}"),
    )
    severities = c4.multiselect(
        t("col.severity"),
        options.severities,
        key="flt_severity",
        placeholder=t("findings.all"),
        format_func=lambda s: t(f"severity.{s}"),
    )
    period = c5.selectbox(
        t("findings.period"),
        PERIODS,
        key="flt_period",
        format_func=lambda p: t("findings.period_all") if p == "all" else t("findings.period_days", days=p),
    )
since = (
    None
    if period == "all"
    else (datetime.now(UTC) - timedelta(days=int(period))).replace(second=0, microsecond=0)
)
filters = {
    "statuses": tuple(statuses),
    "account_ids": tuple(account_ids),
    "rules": tuple(rules),
    "severities": tuple(severities),
    "since": since,
    "until": None,
}
if st.session_state.get("_filters") != filters:
    st.session_state["_filters"] = filters
    st.session_state["flt_page"] = 1

first_page = data.review_queue(viewer.username, viewer.role, **filters, limit=PAGE_SIZE, offset=0)
total_probe = first_page.total
pages = max(1, -(-first_page.post_total // PAGE_SIZE))
queue_col, detail_col = st.columns([3, 2], gap="large")

with queue_col:
    top = st.columns([2, 1])
    top[0].markdown(t("findings.count", total=total_probe))
    page_no = top[1].number_input(
        t("findings.page", pages=pages), min_value=1, max_value=pages, step=1, key="flt_page"
    )
    queue = data.review_queue(
        viewer.username, viewer.role, **filters, limit=PAGE_SIZE, offset=(int(page_no) - 1) * PAGE_SIZE
    )
    if not queue.items:
        st.info(t("findings.empty"))
    selected: list[int] = []
    for item in queue.items:
        with st.container(border=True):
            head, pick = st.columns([12, 1])
            head.markdown(
                f"{_badge(item.severity)} **{t(f'rule.{item.rule}')}** · {item.account} "
                f"({item.platform}) · {fmt.when(item.post_created_at or item.created_at)} · "
                f"{t(f'finding_status.{item.status}')}"
            )
            if pick.checkbox(
                t("findings.select"), key=f"sel_{item.finding_id}", label_visibility="collapsed"
            ):
                selected.append(item.finding_id)
            if item.excerpt:
                st.text(item.excerpt)
            st.caption(item.explanation_en if lang == "en" else item.explanation_nl)
            if st.button(t("findings.open"), key=f"open_{item.finding_id}", type="tertiary"):
                st.session_state["finding_id"] = item.finding_id

    if selected:
        with st.container(border=True):
            st.markdown(t("findings.bulk_title", n=len(selected)))
            reason = st.selectbox(
                t("findings.reason"),
                DISMISS_REASONS,
                key="bulk_reason",
                format_func=lambda r: t(f"reason.{r}"),
            )
            note = st.text_input(t("findings.note"), key="bulk_note")
            if st.button(t("findings.bulk_dismiss", n=len(selected)), key="bulk_dismiss", type="primary"):
                try:
                    count = data.review(viewer, selected, "dismissed", reason, note)
                except MerkwachtError as exc:
                    st.error(error_text(exc))
                else:
                    for finding_id in selected:
                        st.session_state.pop(f"sel_{finding_id}", None)
                    st.session_state["findings_flash"] = t("findings.bulk_done", n=count)
                    st.rerun()


def _evidence_html(before: str, evidence: str, after: str) -> str:
    body = (
        html.escape(before)
        + (f"<mark>{html.escape(evidence)}</mark>" if evidence else "")
        + html.escape(after)
    )
    return (
        f"<div data-testid='merkwacht-post' style='white-space:pre-wrap;padding:0.6rem 0.8rem;"
        f"border-left:4px solid #888;background:rgba(127,127,127,0.08)'>{body}</div>"
    )


with detail_col:
    finding_id = st.session_state.get("finding_id")
    if finding_id is None:
        st.info(t("findings.pick_one"))
        st.stop()
    try:
        detail = data.finding_detail(viewer.username, viewer.role, int(finding_id))
    except MerkwachtError as exc:
        st.error(error_text(exc))
        st.stop()
    if st.session_state.get("_logged_finding") != finding_id:
        data.log(viewer, "view_finding", target=f"finding:{finding_id}")
        st.session_state["_logged_finding"] = finding_id
    item = detail.item
    st.subheader(t(f"rule.{item.rule}"))
    st.markdown(_badge(item.severity))
    st.markdown(
        t(
            "findings.meta",
            account=item.account,
            platform=item.platform,
            when=fmt.when(item.post_created_at or item.created_at),
            status=t(f"finding_status.{item.status}"),
            score=f"{item.score:.2f}",
            severity=t(f"severity.{item.severity}"),
        )
    )
    if detail.post_text is not None:
        st.markdown(
            f"**{t('findings.post')}**"
            + (f" ({detail.post_kind}, {detail.post_lang})" if detail.post_kind else "")
        )
        st.html(_evidence_html(*detail.segments))
        if detail.edited_at:
            st.caption(t("findings.edited", when=fmt.when(detail.edited_at)))
        if detail.deleted_at:
            st.caption(t("findings.deleted", when=fmt.when(detail.deleted_at)))
        for url in detail.post_urls:
            st.caption(url)
    if detail.reply_to_text:
        st.markdown(f"**{t('findings.in_reply_to', author=detail.reply_to_author or '?')}**")
        st.text(detail.reply_to_text)
    elif detail.context_purged:
        st.caption(t("findings.context_purged"))
    if item.evidence:
        st.markdown(f"**{t('findings.evidence')}:** `{item.evidence}`")
    st.markdown(
        f"**{t('findings.explanation')}:** " + (item.explanation_en if lang == "en" else item.explanation_nl)
    )
    if detail.clause is not None:
        st.info(
            f"**{detail.clause.title or detail.clause.id}** ({detail.clause.id})\n\n> {detail.clause.text}\n\n"
            + (f"*{t('findings.purpose')}: {detail.clause.purpose}*" if detail.clause.purpose else ""),
            icon=":material/menu_book:",
        )
    else:
        st.caption(t("findings.clause_missing", clause=item.clause))
    st.caption(
        t(
            "findings.versions",
            pack=detail.pack,
            pack_version=detail.pack_version,
            rule_version=detail.rule_version,
        )
    )
    if detail.reviews:
        st.markdown(f"**{t('findings.history')}**")
        st.dataframe(
            [
                {
                    t("col.when"): fmt.when(r.created_at),
                    t("col.reviewer"): r.reviewer,
                    t("col.disposition"): t(f"disposition.{r.disposition}"),
                    t("col.reason"): t(f"reason.{r.reason}")
                    if r.reason in DISMISS_REASONS
                    else (r.reason or ""),
                    t("col.note"): r.note or "",
                }
                for r in detail.reviews
            ],
            hide_index=True,
        )

    with st.form("review_form", clear_on_submit=True):
        action = st.radio(
            t("findings.action"),
            ACTIONS,
            horizontal=True,
            key="review_action",
            format_func=lambda a: t(f"action.{a}"),
        )
        reason = st.selectbox(
            t("findings.reason_dismiss"),
            DISMISS_REASONS,
            key="review_reason",
            format_func=lambda r: t(f"reason.{r}"),
        )
        note = st.text_area(t("findings.note"), key="review_note")
        submitted = st.form_submit_button(t("findings.save"), type="primary")
    if submitted:
        if action == "dismissed" and reason == "other" and not (note or "").strip():
            st.error(t("findings.other_needs_note"))
        else:
            try:
                data.review(
                    viewer, [int(finding_id)], action, reason if action == "dismissed" else None, note
                )
            except MerkwachtError as exc:
                st.error(error_text(exc))
            else:
                st.session_state["findings_flash"] = t("findings.saved", action=t(f"disposition.{action}"))
                st.session_state.pop("finding_id", None)
                st.session_state["_finding_param"] = st.query_params.get("finding")
                st.rerun()
