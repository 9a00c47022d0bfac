"""The dashboard shows an error from core in the viewer's language, and any other error as raised."""

from __future__ import annotations

import pytest

from merkwacht.core.errors import NotFound
from merkwacht.dashboard import i18n


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", "er is geen account @unileiden geregistreerd (zie `merkwacht accounts list`)"),
        ("en", "no account @unileiden is registered (see `merkwacht accounts list`)"),
    ],
)
def test_a_coded_error_is_shown_in_the_session_language(monkeypatch, lang, expected):
    monkeypatch.setattr(i18n, "current_language", lambda: lang)
    assert i18n.error_text(NotFound(code="accounts.not_registered", handle="unileiden")) == expected


def test_any_other_error_is_shown_as_raised(monkeypatch):
    monkeypatch.setattr(i18n, "current_language", lambda: "nl")
    assert i18n.error_text(ImportError("no module named 'weasyprint'")) == "no module named 'weasyprint'"


def test_a_collector_error_is_shown_in_the_session_language(monkeypatch):
    from merkwacht.collector.errors import CollectorError

    error = CollectorError("E_NOT_FOUND", code="not_found.handle", platform="X", handle="unileiden")
    monkeypatch.setattr(i18n, "current_language", lambda: "nl")
    assert i18n.error_text(error) == "X heeft geen account @unileiden"
    monkeypatch.setattr(i18n, "current_language", lambda: "en")
    assert i18n.error_text(error) == "X has no account @unileiden"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("nl", "E_AUTH: het platform weigerde de inloggegevens"),
        ("en", "E_AUTH: the platform refused the credentials"),
    ],
)
def test_a_stored_run_error_is_shown_by_its_code_in_the_session_language(monkeypatch, lang, expected):
    monkeypatch.setattr(i18n, "current_language", lambda: lang)
    assert i18n.run_error("E_AUTH", "X refused the bearer token (401)") == expected
    assert i18n.run_error("rate_limited", "429 Too Many Requests") == "rate_limited"  # an unknown code as it is
    assert i18n.run_error(None, "a message without code") == "a message without code"


def test_every_run_error_code_has_a_meaning_in_both_languages():
    from merkwacht.collector.errors import ERROR_CODES

    for lang in i18n.LANGUAGES:
        known = {key.split(".", 1)[1] for key in i18n.CATALOGUE.texts[lang] if key.startswith("run_error.")}
        assert known == {*ERROR_CODES, "E_ABORTED"}, lang
