"""The dashboard's only door to the database: cached reads over ``core.queries`` and the few writes.

Pages call these functions and never open a session themselves. Reads are wrapped in
``st.cache_data`` with a short time to live and return plain data (dataclasses, lists, dicts);
the engine is one ``st.cache_resource`` per database URL. Every read takes the viewer's
username and role and builds the :class:`Viewer` inside, so the role check happens in the
query layer on every call and the cache is kept apart per user.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import streamlit as st
from sqlalchemy import Engine

from merkwacht.core import auth, db
from merkwacht.core.accesslog import log_access
from merkwacht.core.queries import accounts as accounts_q
from merkwacht.core.queries import approvals as approvals_q
from merkwacht.core.queries import findings as findings_q
from merkwacht.core.queries import overview as overview_q
from merkwacht.core.queries.roles import Viewer
from merkwacht.core.settings import get_settings

#: Seconds a read stays cached. Short: reviews change the queue, collection adds posts.
TTL = 60


@st.cache_resource(show_spinner=False)
def _engine(url: str) -> Engine:
    return db.make_engine(url)


def engine() -> Engine:
    return _engine(get_settings().database_url)


def _v(username: str, role: str) -> Viewer:
    return Viewer(username=username, role=role)


def clear_caches() -> None:
    """Forget cached reads (after a write, so every page shows it at once)."""
    st.cache_data.clear()


# --- sign-in -----------------------------------------------------------------------------------------------------


def authenticate(username: str, password: str) -> Viewer | None:
    with db.session_scope(engine()) as session:
        viewer = auth.authenticate(session=session, username=username, password=password)
        log_access(
            session=session,
            actor=username.strip()[:200] or "?",
            role=viewer.role if viewer else "system",
            action="login" if viewer else "login_failed",
            channel="dashboard",
        )
    return viewer


def authenticate_oidc(subject: str | None, email: str | None) -> Viewer | None:
    with db.session_scope(engine()) as session:
        viewer = auth.viewer_for_oidc(session=session, subject=subject, email=email)
        if viewer is not None:
            log_access(
                session=session,
                actor=viewer.username,
                role=viewer.role,
                action="login",
                channel="dashboard",
                details={"method": "oidc"},
            )
    return viewer


def log(
    viewer: Viewer, action: str, target: str | None = None, details: dict[str, Any] | None = None
) -> None:
    """Write one access-log entry for the dashboard (R9): page views, finding views, exports, reviews."""
    with db.session_scope(engine()) as session:
        log_access(
            session=session,
            actor=viewer.username,
            role=viewer.role,
            action=action,
            target=target,
            channel="dashboard",
            details=details,
        )


# --- comms: overview, findings, accounts, approvals --------------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def account_health(username: str, role: str) -> list[overview_q.AccountHealth]:
    with db.session_scope(engine()) as session:
        return overview_q.account_health(session=session, viewer=_v(username, role))


@st.cache_data(ttl=TTL, show_spinner=False)
def weekly_trend(
    username: str, role: str, weeks: int = 12, account_id: int | None = None
) -> list[overview_q.TrendPoint]:
    with db.session_scope(engine()) as session:
        return overview_q.weekly_trend(
            session=session, viewer=_v(username, role), weeks=weeks, account_id=account_id
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def filter_options(username: str, role: str) -> findings_q.FilterOptions:
    with db.session_scope(engine()) as session:
        return findings_q.filter_options(session=session, viewer=_v(username, role))


@st.cache_data(ttl=TTL, show_spinner=False)
def review_queue(
    username: str,
    role: str,
    *,
    statuses: tuple[str, ...],
    account_ids: tuple[int, ...],
    rules: tuple[str, ...],
    severities: tuple[str, ...],
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
) -> findings_q.QueuePage:
    flt = findings_q.FindingFilter(
        statuses=statuses,
        account_ids=account_ids,
        rules=rules,
        severities=severities,
        since=since,
        until=until,
    )
    with db.session_scope(engine()) as session:
        return findings_q.review_queue(
            session=session, viewer=_v(username, role), flt=flt, limit=limit, offset=offset
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def finding_detail(username: str, role: str, finding_id: int) -> findings_q.FindingDetail:
    with db.session_scope(engine()) as session:
        return findings_q.finding_detail(session=session, viewer=_v(username, role), finding_id=finding_id)


def review(
    viewer: Viewer, finding_ids: list[int], disposition: str, reason: str | None, note: str | None
) -> int:
    """Record a review (one finding or a bulk dismissal) and log it; returns how many findings were reviewed."""
    from merkwacht.core.repository.reviews import review_findings

    with db.session_scope(engine()) as session:
        count = review_findings(
            session=session,
            viewer=viewer,
            finding_ids=finding_ids,
            disposition=disposition,
            reason=reason,
            note=note,
        )
        log_access(
            session=session,
            actor=viewer.username,
            role=viewer.role,
            action="review",
            target=",".join(f"finding:{i}" for i in sorted(finding_ids))[:300],
            channel="dashboard",
            details={"disposition": disposition, "count": count},
        )
    clear_caches()
    return count


@st.cache_data(ttl=TTL, show_spinner=False)
def account_list(username: str, role: str) -> list[accounts_q.AccountRef]:
    with db.session_scope(engine()) as session:
        return accounts_q.account_list(session=session, viewer=_v(username, role))


@st.cache_data(ttl=TTL, show_spinner=False)
def account_detail(
    username: str, role: str, account_id: int, post_offset: int = 0
) -> accounts_q.AccountDetail:
    with db.session_scope(engine()) as session:
        return accounts_q.account_detail(
            session=session, viewer=_v(username, role), account_id=account_id, post_offset=post_offset
        )


@st.cache_data(ttl=TTL, show_spinner=False)
def approval_register(username: str, role: str) -> list[approvals_q.ApprovalRow]:
    with db.session_scope(engine()) as session:
        return approvals_q.approval_register(session=session, viewer=_v(username, role))


@st.cache_data(ttl=TTL, show_spinner=False)
def unapproved_standpoints(username: str, role: str) -> list[approvals_q.UnapprovedStandpoint]:
    with db.session_scope(engine()) as session:
        return approvals_q.unapproved_standpoints(session=session, viewer=_v(username, role))


def add_approval(
    viewer: Viewer,
    *,
    text: str,
    approved_by: str,
    account: str | None,
    approved_at: datetime | None,
    valid_until: datetime | None,
) -> str:
    from merkwacht.core.queries.roles import require_role
    from merkwacht.core.repository.approvals import add_approval as add

    require_role(viewer, "comms")
    with db.session_scope(engine()) as session:
        approval = add(
            session=session,
            text=text,
            approved_by=approved_by,
            account=account,
            approved_at=approved_at,
            valid_until=valid_until,
        )
        log_access(
            session=session,
            actor=viewer.username,
            role=viewer.role,
            action="approval_add",
            target=f"approval:{approval.external_id}",
            channel="dashboard",
        )
        external_id = approval.external_id
    clear_caches()
    return external_id


def import_approvals(viewer: Viewer, content: bytes) -> tuple[int, int, list[str]]:
    """Import approvals from JSON lines; returns (added, unchanged, error lines)."""
    import io

    from merkwacht.core.interchange import read_approvals
    from merkwacht.core.queries.roles import require_role
    from merkwacht.core.repository.approvals import import_approvals as import_

    require_role(viewer, "comms")
    stream = io.StringIO(content.decode("utf-8", errors="replace"))
    with db.session_scope(engine()) as session:
        result = import_(session=session, records=read_approvals(stream))
        log_access(
            session=session,
            actor=viewer.username,
            role=viewer.role,
            action="approval_import",
            channel="dashboard",
            details={"added": result.added, "errors": len(result.errors)},
        )
    clear_caches()
    return result.added, result.unchanged, [str(e) for e in result.errors]


# --- council: aggregates only --------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def council_figures(username: str, role: str, period: str) -> dict[str, Any]:
    """Every aggregate of the works-council page for ``period``; cells below k are already suppressed."""
    from merkwacht.core.queries import council

    viewer = _v(username, role)
    with db.session_scope(engine()) as session:
        return {
            "k": council.council_k(session=session),
            "per_rule_month": council.findings_per_rule_per_month(
                session=session, viewer=viewer, period=period
            ),
            "per_unit": council.findings_per_unit(session=session, viewer=viewer, period=period),
            "outcomes": council.review_outcomes_per_rule(session=session, viewer=viewer, period=period),
            "reasons": council.dismissal_reasons(session=session, viewer=viewer, period=period),
            "coverage": council.collection_coverage(session=session, viewer=viewer, period=period),
            "retention": council.retention_runs(session=session, viewer=viewer, period=period),
            "cases": council.cases_summary(session=session, viewer=viewer, period=period),
            "access": council.access_summary(session=session, viewer=viewer, period=period),
            "policy": council.policy_in_force(session=session, viewer=viewer),
            "pack_changes": council.pack_changes(session=session, viewer=viewer, period=period),
        }


@st.cache_data(ttl=TTL, show_spinner=False)
def processing_summary(username: str, role: str) -> Any:
    from merkwacht.core.queries.transparency import processing_summary as summary

    with db.session_scope(engine()) as session:
        return summary(session=session, viewer=_v(username, role))


# --- evaluation (every role) ---------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def evaluation(username: str, role: str, period: str, lang: str = "nl") -> dict[str, Any]:
    """The periodic evaluation (R11) of ``period`` as Markdown and HTML (the same report as `merkwacht report`)."""
    from merkwacht.core import reporting

    viewer = _v(username, role)
    with db.session_scope(engine()) as session:
        report = reporting.build_evaluation(session=session, viewer=viewer, period=period)
    return {
        "report": report,
        "markdown": reporting.render_markdown(report, lang=lang),
        "html": reporting.render_html(report, lang=lang),
    }


def evaluation_pdf(username: str, role: str, period: str, lang: str = "nl") -> bytes:
    from merkwacht.core import reporting

    return reporting.render_pdf(evaluation(username, role, period, lang)["report"], lang=lang)


# --- privacy (admin) ---------------------------------------------------------------------------------------------


def access_log(viewer: Viewer, limit: int = 200) -> tuple[int, list[Any]]:
    from merkwacht.core.queries import admin

    with db.session_scope(engine()) as session:
        return admin.access_log(session=session, viewer=viewer, limit=limit)


def check_chain(viewer: Viewer) -> Any:
    from merkwacht.core.queries import admin

    with db.session_scope(engine()) as session:
        report = admin.check_chain(session=session, viewer=viewer)
        log_access(
            session=session,
            actor=viewer.username,
            role=viewer.role,
            action="accesslog_verify",
            channel="dashboard",
            details={"ok": report.ok},
        )
    return report


@st.cache_data(ttl=TTL, show_spinner=False)
def retention_runs(username: str, role: str) -> list[dict[str, Any]]:
    from merkwacht.core.queries import council

    with db.session_scope(engine()) as session:
        return council.retention_runs(session=session, viewer=_v(username, role))


def purge_dry_run(viewer: Viewer) -> dict[str, Any]:
    """Count what a purge would delete now (nothing is deleted); recorded as a dry-run retention run."""
    from merkwacht.core import retention
    from merkwacht.core.queries.roles import require_role

    require_role(viewer, "admin")
    with db.session_factory(engine())() as session:
        run = retention.purge(
            session=session,
            triggered_by=viewer.username,
            dry_run=True,
            commit=True,
            role=viewer.role,
            channel="dashboard",
            periods=_pack_periods(session, viewer),
        )
        session.commit()
        result = {"counts": dict(run.counts or {}), "report": run.report or ""}
    clear_caches()
    return result


def _pack_periods(session: Any, viewer: Viewer) -> dict[str, int] | None:
    """The periods in force: the pack's (recorded with the policy version), limited to known categories."""
    from merkwacht.core.queries.transparency import processing_summary
    from merkwacht.core.retention import CATEGORIES

    days = processing_summary(session=session, viewer=viewer).retention_days
    return {k: v for k, v in days.items() if k in CATEGORIES}


def inzage_export(viewer: Viewer, subject: str) -> tuple[bytes, str]:
    """An inzage (access request) export for ``subject`` as a zip archive, and its file name (R8)."""
    import io
    import tempfile
    import zipfile
    from pathlib import Path

    from merkwacht.core import inzage
    from merkwacht.core.queries.roles import require_role

    require_role(viewer, "admin")
    with tempfile.TemporaryDirectory(prefix="inzage-") as tmp, db.session_scope(engine()) as session:
        inzage.export(
            session=session,
            subject=subject,
            out=Path(tmp),
            actor=viewer.username,
            role=viewer.role,
            channel="dashboard",
        )
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(tmp).rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(tmp))
    safe = "".join(ch if ch.isalnum() else "-" for ch in subject)[:40].strip("-") or "subject"
    return buffer.getvalue(), f"inzage-{safe}.zip"
