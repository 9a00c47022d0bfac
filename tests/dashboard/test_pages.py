"""AppTest tests of every dashboard page and role (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from merkwacht.core import db
from merkwacht.core.models import AccessLogEntry, Approval, Finding, Review
from merkwacht.core.queries.roles import Viewer

from .conftest import APP, PAGES, TIMEOUT
from .helpers import no_exceptions, rendered_text
from .seed import CLAIMS, CONFIDENTIAL, PASSWORDS, REPLY_OFF_TONE, REPLY_PARENT, STANDPOINT

COMMS_PAGES = ("overview", "findings", "account", "approvals", "evaluation")
COUNCIL_PAGES = ("council", "evaluation")
ADMIN_PAGES = ("privacy", "council", "evaluation")
POST_LEVEL_PAGES = ("overview", "findings", "account", "approvals")


def _rows(url: str, query):  # type: ignore[no-untyped-def]
    engine = db.make_engine(url)
    try:
        with db.session_scope(engine) as session:
            return list(session.execute(query).all())
    finally:
        engine.dispose()


def _finding_status(url: str, finding_id: int) -> str:
    return _rows(url, select(Finding.status).where(Finding.id == finding_id))[0][0]


# ---- sign-in ------------------------------------------------------------------------------------------------------


def test_login_form_wrong_then_right_password(app) -> None:  # type: ignore[no-untyped-def]
    at = app(None)
    no_exceptions(at)
    assert at.text_input(key="login_username") is not None
    assert "Bevindingen" not in [t.value for t in at.title]
    at.text_input(key="login_username").input("carla")
    at.text_input(key="login_password").input("niet-het-wachtwoord")
    at.button[0].click().run()
    assert at.error and "klopt niet" in at.error[0].value
    assert "viewer" not in at.session_state
    at.text_input(key="login_username").input("carla")
    at.text_input(key="login_password").input(PASSWORDS["carla"])
    at.button[0].click().run()
    no_exceptions(at)
    assert at.session_state["viewer"] == Viewer("carla", "comms")
    assert [t.value for t in at.title] == ["Overzicht"]


def test_login_attempts_are_logged(app, use_db) -> None:  # type: ignore[no-untyped-def]
    at = app(None)
    at.text_input(key="login_username").input("oscar")
    at.text_input(key="login_password").input(PASSWORDS["oscar"])
    at.button[0].click().run()
    assert at.session_state["viewer"] == Viewer("oscar", "council")
    actions = [
        a for (a,) in _rows(use_db.url, select(AccessLogEntry.action).where(AccessLogEntry.actor == "oscar"))
    ]
    assert "login" in actions


# ---- every page for every role ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "pages"), [("carla", COMMS_PAGES), ("oscar", COUNCIL_PAGES), ("ada", ADMIN_PAGES)]
)
def test_every_page_of_each_role_renders_and_is_logged(app, use_db, user, pages) -> None:  # type: ignore[no-untyped-def]
    at = app(user)
    no_exceptions(at)
    for page in pages:
        at.switch_page(f"pages/{page}.py").run()
        no_exceptions(at)
        assert not at.error, (page, [e.value for e in at.error])
        assert len(at.title) == 1
    targets = {
        t
        for (t,) in _rows(
            use_db.url,
            select(AccessLogEntry.target).where(
                AccessLogEntry.actor == user, AccessLogEntry.action == "view_page"
            ),
        )
    }
    assert {f"page:{p}" for p in pages} <= targets


@pytest.mark.parametrize(
    ("user", "hidden"),
    [
        ("oscar", ("overview", "findings", "account", "approvals", "privacy")),
        ("carla", ("council", "privacy")),
        ("ada", ("overview", "findings", "account", "approvals")),
    ],
)
def test_navigation_offers_only_the_pages_of_the_role(app, user, hidden) -> None:  # type: ignore[no-untyped-def]
    at = app(user)
    for page in hidden:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(f"pages/{page}.py")


@pytest.mark.parametrize("page", [*POST_LEVEL_PAGES, "privacy"])
def test_council_opening_a_page_directly_is_refused(use_db, page) -> None:  # type: ignore[no-untyped-def]
    """Even run as the main script (as if reached by URL), a page checks the role and shows nothing."""
    at = AppTest.from_file(str(PAGES / f"{page}.py"), default_timeout=TIMEOUT)
    at.session_state["viewer"] = Viewer("oscar", "council")
    at.query_params["finding"] = str(use_db.finding_ids[0])
    at.run()
    assert at.error and "niet beschikbaar voor jouw rol" in at.error[0].value
    text = rendered_text(at)
    for post in use_db.texts:
        assert post not in text


def test_nobody_signed_in_sees_only_the_login(use_db) -> None:  # type: ignore[no-untyped-def]
    at = AppTest.from_file(str(PAGES / "findings.py"), default_timeout=TIMEOUT).run()
    assert at.error
    assert not any(post in rendered_text(at) for post in use_db.texts)


# ---- overview, account, approvals ---------------------------------------------------------------------------------


def test_overview_shows_each_account_and_its_problems(app) -> None:  # type: ignore[no-untyped-def]
    at = app("carla", page="overview")
    table = at.dataframe[0].value
    assert set(table["Account"]) == {"@UniDemo", "@nieuws", "@CampusDemo", "@demo.example.nl"}
    assert int(table["Open bevindingen"].sum()) >= 9
    warnings = " ".join(w.value for w in at.warning)
    assert "@CampusDemo" in warnings and "rate_limited" in warnings
    assert "inloggegevens" in warnings  # CAMPUS_REDDIT credentials never rotated
    assert _charts(at) >= 2


def test_account_page_shows_runs_opt_in_and_posts(app, use_db) -> None:  # type: ignore[no-untyped-def]
    from merkwacht.core.models import Account

    (campus,) = _rows(use_db.url, select(Account.id).where(Account.handle == "CampusDemo"))[0]
    at = app("carla", page="account")
    at.selectbox(key="account_pick").set_value(campus).run()
    no_exceptions(at)
    text = rendered_text(at)
    assert "429 Too Many Requests" in text
    assert "Hoofd Communicatie" in text  # who gave the opt-in
    assert "Twee op de drie" not in text  # that post belongs to another account
    assert ("view_account", f"account:{campus}") in _rows(
        use_db.url,
        select(AccessLogEntry.action, AccessLogEntry.target).where(AccessLogEntry.action == "view_account"),
    )


def test_approvals_page_lists_register_and_unapproved_standpoints(app, use_db) -> None:  # type: ignore[no-untyped-def]
    at = app("carla", page="approvals")
    text = rendered_text(at)
    assert "a-demo-1" in text
    assert STANDPOINT in text  # a standpoint without approval
    at.text_area(key="approval_text").input("Wij verwelkomen de nieuwe studenten van harte.")
    at.text_input(key="approval_by").input("Bestuurssecretaris")
    at.button(key="FormSubmitter:approval_add-Toevoegen").click().run()
    no_exceptions(at)
    assert at.success, [e.value for e in at.error]
    texts = [t for (t,) in _rows(use_db.url, select(Approval.text))]
    assert "Wij verwelkomen de nieuwe studenten van harte." in texts


# ---- findings: queue, detail, review ------------------------------------------------------------------------------


def _charts(at: AppTest) -> int:
    """Altair charts on the page (AppTest has no accessor for them: count their Vega-Lite specs)."""
    return rendered_text(at).count("vega.github.io/schema/vega-lite/")


def _queue_ids(at: AppTest) -> set[int]:
    return {int(b.key.split("_", 1)[1]) for b in at.button if b.key and b.key.startswith("open_")}


def test_findings_queue_shows_open_findings_newest_first(app, use_db) -> None:  # type: ignore[no-untyped-def]
    at = app("carla", page="findings")
    ids = _queue_ids(at)
    assert ids and ids <= set(use_db.finding_ids)
    text = rendered_text(at)
    assert CLAIMS[0] in text
    # the confirmed personal-data finding is not open
    assert "06-12345678" not in text


def test_finding_detail_shows_post_context_evidence_and_clause(app, use_db) -> None:  # type: ignore[no-untyped-def]
    off_tone_id = use_db.finding_ids[len(CLAIMS)]
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.session_state["viewer"] = Viewer("carla", "comms")
    at.query_params["finding"] = str(off_tone_id)
    at.run()
    at.switch_page("pages/findings.py").run()
    no_exceptions(at)
    html = " ".join(h.value for h in at.html)
    assert "<mark>Misschien eerst zelf even lezen</mark>" in html
    text = rendered_text(at)
    assert REPLY_PARENT in text  # the post it answers
    assert use_db.author_pseudonym in text  # its author only as pseudonym
    assert "Reageer zakelijk en vriendelijk, ook op kritiek." in text  # the clause in the guideline's words
    logged = _rows(use_db.url, select(AccessLogEntry.target).where(AccessLogEntry.action == "view_finding"))
    assert (f"finding:{off_tone_id}",) in logged


def test_dismissal_with_reason_is_stored_and_leaves_the_queue(app, use_db) -> None:  # type: ignore[no-untyped-def]
    target = use_db.finding_ids[1]
    at = app("carla", page="findings")
    assert target in _queue_ids(at)
    at.button(key=f"open_{target}").click().run()
    at.radio(key="review_action").set_value("dismissed")
    at.selectbox(key="review_reason").set_value("source_elsewhere")
    at.text_area(key="review_note").input("De bron staat in de afbeelding.")
    at.button(key="FormSubmitter:review_form-Opslaan").click().run()
    no_exceptions(at)
    assert target not in _queue_ids(at)
    assert any("verworpen" in s.value.lower() for s in at.success)
    reviews = _rows(
        use_db.url,
        select(Review.disposition, Review.reason, Review.note, Review.reviewer).where(
            Review.finding_id == target
        ),
    )
    assert reviews == [("dismissed", "source_elsewhere", "De bron staat in de afbeelding.", "carla")]
    assert _finding_status(use_db.url, target) == "dismissed"
    assert _rows(
        use_db.url,
        select(AccessLogEntry.details).where(
            AccessLogEntry.action == "review", AccessLogEntry.target == f"finding:{target}"
        ),
    )


def test_confirm_and_escalate_change_the_status(app, use_db) -> None:  # type: ignore[no-untyped-def]
    confidential = next(i for i in use_db.finding_ids if i == use_db.finding_ids[-1])
    at = app("carla", page="findings")
    at.button(key=f"open_{confidential}").click().run()
    at.radio(key="review_action").set_value("escalated")
    at.text_area(key="review_note").input("Doorgezet naar de woordvoerder.")
    at.button(key="FormSubmitter:review_form-Opslaan").click().run()
    no_exceptions(at)
    assert _finding_status(use_db.url, confidential) == "escalated"
    assert confidential not in _queue_ids(at)
    at.multiselect(key="flt_status").set_value(["escalated"]).run()
    assert confidential in _queue_ids(at)
    assert CONFIDENTIAL[:40] in rendered_text(at)


def test_bulk_dismissal(app, use_db) -> None:  # type: ignore[no-untyped-def]
    first, second = use_db.finding_ids[3], use_db.finding_ids[4]
    at = app("carla", page="findings")
    at.checkbox(key=f"sel_{first}").check()
    at.checkbox(key=f"sel_{second}").check().run()
    at.selectbox(key="bulk_reason").set_value("not_a_breach")
    at.button(key="bulk_dismiss").click().run()
    no_exceptions(at)
    assert not {first, second} & _queue_ids(at)
    assert {_finding_status(use_db.url, first), _finding_status(use_db.url, second)} == {"dismissed"}


def test_filters_narrow_the_queue(app, use_db) -> None:  # type: ignore[no-untyped-def]
    at = app("carla", page="findings")
    at.multiselect(key="flt_rule").set_value(["off_tone"]).run()
    ids = _queue_ids(at)
    assert ids == {use_db.finding_ids[len(CLAIMS)]} or not ids - {use_db.finding_ids[len(CLAIMS)]}
    assert REPLY_OFF_TONE in rendered_text(at)
    assert CLAIMS[0] not in rendered_text(at)


def test_english_switch(app) -> None:  # type: ignore[no-untyped-def]
    at = app("carla", lang="en", page="findings")
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Findings"]
    assert "Missing source" in rendered_text(at)
    at = app("carla")  # Dutch by default; the switch in the sidebar changes it
    assert [t.value for t in at.title] == ["Overzicht"]
    at.sidebar.radio(key="lang_switch").set_value("en").run()
    no_exceptions(at)
    assert [t.value for t in at.title] == ["Overview"]


# ---- works council ------------------------------------------------------------------------------------------------


def _council_views(app) -> list[str]:  # type: ignore[no-untyped-def]
    texts = []
    for lang in ("nl", "en"):
        at = app("oscar", lang=lang)
        for page in COUNCIL_PAGES:
            at.switch_page(f"pages/{page}.py").run()
            no_exceptions(at)
            texts.append(rendered_text(at))
            for tab in range(len(at.tabs)):
                texts.append(str(at.tabs[tab].proto))
    return texts


def test_council_sees_no_post_text_person_or_finding_id(app, use_db) -> None:  # type: ignore[no-untyped-def]
    for text in _council_views(app):
        for post in use_db.texts:
            assert post not in text and post[:30] not in text
        assert REPLY_PARENT[:30] not in text
        assert use_db.author_pseudonym not in text and use_db.signature_pseudonym not in text
        assert not re.search(r"\bp:[0-9a-f]{20}\b|\bs:[0-9a-f]{20}\b", text)  # no pseudonym of anyone
        for person in ("carla", "Hoofd Communicatie", "Bestuurssecretaris"):
            assert person not in text
        for finding_id in use_db.finding_ids:
            assert str(finding_id) not in text
        assert "finding:" not in text


def test_council_tables_suppress_small_cells(app, use_db) -> None:  # type: ignore[no-untyped-def]
    at = app("oscar", page="council")
    frames = at.dataframe
    assert frames
    seen_suppressed = False
    count_tables = [frame.value for frame in frames if "Totaal" in list(frame.value.columns)]
    assert len(count_tables) >= 3  # per rule and month, outcomes per rule, per unit (and access per role)
    for df in count_tables:
        for column in df.columns[1:]:
            if column.startswith("Terecht"):  # the precision column is a share, not a count
                continue
            for value in df[column]:
                cell = str(value)
                if cell in ("< k", "•"):
                    seen_suppressed = True
                elif cell.isdigit():
                    assert int(cell) == 0 or int(cell) >= 5, (column, cell)
    assert seen_suppressed
    assert any("< k" in c.value for c in at.caption)  # the page explains the marking


def test_admin_privacy_page_verifies_the_chain(app) -> None:  # type: ignore[no-untyped-def]
    at = app("ada", page="privacy")
    at.button(key="verify_chain").click().run()
    no_exceptions(at)
    assert at.success and "intact" in at.success[0].value
    log = at.dataframe[-1].value
    assert "view_page" in set(log["Handeling"])


def test_pages_exist_for_every_navigation_entry() -> None:
    from merkwacht.dashboard.app import PAGES as NAV

    assert {p.stem for p in Path(PAGES).glob("*.py")} == set(NAV)


def test_evaluation_downloads_are_logged(app, use_db) -> None:  # type: ignore[no-untyped-def]
    at = app("carla", page="evaluation")
    no_exceptions(at)
    period = at.selectbox(key="evaluation_period").value
    assert period in rendered_text(at)
    at.download_button(key="dl_md").click().run()
    at.button(key="make_pdf").click().run()
    no_exceptions(at)
    assert at.download_button(key="dl_pdf") is not None
    exports = _rows(
        use_db.url,
        select(AccessLogEntry.target, AccessLogEntry.details).where(
            AccessLogEntry.action == "export", AccessLogEntry.actor == "carla"
        ),
    )
    assert (f"evaluation:{period}", {"format": "md"}) in exports


SSO_SECRETS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-cookie-secret",
    "client_id": "merkwacht-test",
    "client_secret": "test-secret",
    "server_metadata_url": "https://connect.test.surfconext.invalid/.well-known/openid-configuration",
}


def _sso_app(user: dict) -> AppTest:  # type: ignore[type-arg]
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.secrets["auth"] = SSO_SECRETS
    at.user = user
    return at.run()


def test_single_sign_on_maps_to_a_local_user_and_role(use_db) -> None:  # type: ignore[no-untyped-def]
    from merkwacht.core import auth
    from merkwacht.core.models import User

    engine = db.make_engine(use_db.url)
    with db.session_scope(engine) as session:
        if session.scalar(select(User.id).where(User.username == "sso.raad@example.nl")) is None:
            auth.add_user(session=session, username="sso.raad@example.nl", role="council", password=None)
    engine.dispose()
    signed_out = _sso_app({"is_logged_in": False})
    assert any(b.label == "Aanmelden met single sign-on" for b in signed_out.button)
    at = _sso_app({"is_logged_in": True, "sub": "surf-raad-1", "email": "sso.raad@example.nl"})
    no_exceptions(at)
    assert at.session_state["viewer"] == Viewer("sso.raad@example.nl", "council")
    assert [t.value for t in at.title] == ["Ondernemingsraad"]
    stranger = _sso_app({"is_logged_in": True, "sub": "surf-onbekend", "email": "onbekend@example.nl"})
    assert "viewer" not in stranger.session_state
    assert stranger.error and "geen Merkwacht-gebruiker" in stranger.error[0].value


def test_admin_inzage_export_and_purge_dry_run(app, use_db) -> None:  # type: ignore[no-untyped-def]
    at = app("ada", page="privacy")
    at.text_input(key="inzage_subject").input("@UniDemo").run()
    at.button(key="inzage_export").click().run()
    no_exceptions(at)
    assert not at.error, [e.value for e in at.error]
    assert at.download_button(key="inzage_download") is not None
    at.button(key="purge_dry_run").click().run()
    no_exceptions(at)
    assert not at.error, [e.value for e in at.error]
    actions = {a for (a,) in _rows(use_db.url, select(AccessLogEntry.action).where(AccessLogEntry.actor == "ada"))}
    assert {"view_page", "inzage"} <= actions


def test_an_uninitialised_database_gets_a_clear_message(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from merkwacht.core.settings import set_settings

    monkeypatch.setenv("MERKWACHT_DATABASE_URL", f"sqlite:///{tmp_path / 'leeg.db'}")
    set_settings(None)
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.text_input(key="login_username").input("carla")
    at.text_input(key="login_password").input("een-wachtwoord-1")
    at.button[0].click().run()
    no_exceptions(at)
    assert at.error and "merkwacht init" in at.error[0].value
