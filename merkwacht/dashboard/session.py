"""Who is signed in: the login form, optional single sign-on, the role check each page makes, and
logging page views.

The signed-in user lives in ``st.session_state["viewer"]`` as a :class:`Viewer` (username and
role). Single sign-on uses Streamlit's OIDC login (``st.login``) when ``[auth]`` is configured in
``.streamlit/secrets.toml``; the OIDC subject or e-mail address is mapped to a local user, whose
role applies (see docs/dashboard.md). Nobody without a local user gets in.
"""

from __future__ import annotations

import streamlit as st

from merkwacht.core.queries.roles import Viewer

from . import data
from .i18n import LANGUAGES, t

VIEWER_KEY = "viewer"


def current_viewer() -> Viewer | None:
    viewer = st.session_state.get(VIEWER_KEY)
    if isinstance(viewer, Viewer):
        return viewer
    if sso_configured():
        return _sso_viewer()
    return None


def sso_configured() -> bool:
    """Whether Streamlit's OIDC login is configured (an ``[auth]`` section in the secrets)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def _sso_viewer() -> Viewer | None:
    user = st.user
    if not user.get("is_logged_in"):
        return None
    subject = user.get("sub")
    email = user.get("email")
    viewer = data.authenticate_oidc(str(subject) if subject else None, str(email) if email else None)
    if viewer is None:
        st.session_state["sso_refused"] = True
        return None
    st.session_state[VIEWER_KEY] = viewer
    return viewer


def login_page() -> None:
    """The sign-in form (and the single sign-on button when configured)."""
    st.title(t("app.title"))
    st.caption(t("login.intro"))
    if st.session_state.pop("sso_refused", False):
        st.error(t("login.sso_unknown"))
    with st.form("login", clear_on_submit=False):
        username = st.text_input(t("login.username"), key="login_username")
        password = st.text_input(t("login.password"), type="password", key="login_password")
        submitted = st.form_submit_button(t("login.submit"))
    if submitted:
        viewer = data.authenticate(username, password)
        if viewer is None:
            st.error(t("login.failed"))
        else:
            st.session_state[VIEWER_KEY] = viewer
            st.session_state.pop("login_password", None)
            st.rerun()
    if sso_configured():
        st.divider()
        if st.button(t("login.sso"), key="login_sso"):
            st.login()


def logout() -> None:
    viewer = st.session_state.pop(VIEWER_KEY, None)
    if isinstance(viewer, Viewer):
        data.log(viewer, "logout")
    for key in list(st.session_state.keys()):
        if key != "lang":
            del st.session_state[key]
    if sso_configured() and st.user.get("is_logged_in"):
        st.logout()
    st.rerun()


def language_switch() -> None:
    """Nederlands / English, kept for the session."""
    from .i18n import current_language

    current = current_language()
    choice = st.sidebar.radio(
        "Taal / Language",
        LANGUAGES,
        index=LANGUAGES.index(current),
        horizontal=True,
        format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
        key="lang_switch",
    )
    st.session_state["lang"] = choice


def require(*roles: str) -> Viewer:
    """The signed-in viewer when their role may see this page; otherwise show a refusal and stop the page."""
    viewer = current_viewer()
    if viewer is None or viewer.role not in roles:
        st.error(t("refused.page"))
        st.stop()
    assert viewer is not None
    return viewer


def log_page_view(viewer: Viewer, page: str) -> None:
    """Log a page view once per visit (not on every rerun caused by a widget)."""
    if st.session_state.get("_logged_page") != page:
        data.log(viewer, "view_page", target=f"page:{page}")
        st.session_state["_logged_page"] = page


def page_header(viewer: Viewer, page: str) -> None:
    """Role check done: log the view and show the page title."""
    log_page_view(viewer, page)
    st.title(t(f"page.{page}"))
