"""Entry script of the Merkwacht dashboard (``streamlit run merkwacht/dashboard/app.py``; ``merkwacht dashboard``).

Signs the user in, then offers through ``st.navigation`` only the pages the user's role may see:

* comms: Overview, Findings, Account, Approvals, Evaluation
* council: Works council, Evaluation
* admin: Privacy, Works council, Evaluation

A page not offered to a role cannot be opened by URL: ``st.navigation`` does not know it for that
session, every page checks the role again, and the post-level queries refuse the council role.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from sqlalchemy.exc import OperationalError, ProgrammingError

from merkwacht.dashboard import session
from merkwacht.dashboard.i18n import t

PAGES_DIR = Path(__file__).resolve().parent / "pages"

#: page name -> (roles that see it, icon)
PAGES: dict[str, tuple[tuple[str, ...], str]] = {
    "overview": (("comms",), ":material/dashboard:"),
    "findings": (("comms",), ":material/fact_check:"),
    "account": (("comms",), ":material/account_circle:"),
    "approvals": (("comms",), ":material/verified:"),
    "council": (("council", "admin"), ":material/groups:"),
    "evaluation": (("comms", "council", "admin"), ":material/summarize:"),
    "privacy": (("admin",), ":material/shield_person:"),
}


def _page(name: str) -> st.Page:
    return st.Page(str(PAGES_DIR / f"{name}.py"), title=t(f"page.{name}"), icon=PAGES[name][1], url_path=name)


def main() -> None:
    st.set_page_config(page_title="Merkwacht", page_icon=":material/policy:", layout="wide")
    try:
        _run()
    except (OperationalError, ProgrammingError) as exc:
        text = str(exc.orig) if exc.orig is not None else str(exc)
        if "no such table" not in text and "does not exist" not in text:
            raise
        st.error(t("app.not_initialised", error=text.splitlines()[0]))


def _run() -> None:
    viewer = session.current_viewer()
    if viewer is None:
        navigation = st.navigation(
            [st.Page(session.login_page, title=t("login.title"), url_path="login")], position="hidden"
        )
        session.language_switch()
        navigation.run()
        return
    pages = [_page(name) for name, (roles, _icon) in PAGES.items() if viewer.role in roles]
    navigation = st.navigation(pages)
    # The sidebar comes after st.navigation so it is part of every page's run.
    session.language_switch()
    with st.sidebar:
        st.caption(t("app.signed_in_as", user=viewer.username, role=t(f"role.{viewer.role}")))
        if st.button(t("app.logout"), key="logout"):
            session.logout()
    navigation.run()


if __name__ == "__main__":  # streamlit runs the entry script as __main__
    main()
