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
