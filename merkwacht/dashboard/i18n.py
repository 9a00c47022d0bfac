"""Interface text in Dutch (default) and English, read from ``translations.toml`` beside this module.

``t("key", name=...)`` returns the text in the language of the current session; a key missing
in English falls back to Dutch, and a key missing in both is shown as ``⟨key⟩`` so it is noticed
(the loading and fallback live in :mod:`merkwacht.core.i18n`, shared with the command line).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from merkwacht.core.i18n import LANGUAGES, Catalogue

__all__ = ["LANGUAGES", "current_language", "error_text", "run_error", "t", "translate"]

#: Key groups filled from data; an unknown member is shown as its id rather than as a missing key.
_DYNAMIC = frozenset(
    {
        "rule",
        "reason",
        "status",
        "finding_status",
        "disposition",
        "retention",
        "role",
        "outcome",
        "severity",
        "run_status",
        "action",
        "run_error",
    }
)
CATALOGUE = Catalogue(Path(__file__).with_name("translations.toml"), dynamic=_DYNAMIC)


def translate(lang: str, key: str, **values: Any) -> str:
    return CATALOGUE.translate(lang, key, **values)


def current_language() -> str:
    import streamlit as st

    # The switch's own state first: it holds the new choice before the switch is drawn again.
    for key in ("lang_switch", "lang"):
        lang = st.session_state.get(key)
        if lang in LANGUAGES:
            return str(lang)
    from merkwacht.core.settings import get_settings

    return get_settings().language


def t(key: str, **values: Any) -> str:
    """``key`` in the session's language."""
    return translate(current_language(), key, **values)


def error_text(exc: BaseException) -> str:
    """An error's message in the session's language: coded errors (:class:`merkwacht.core.errors.Coded`)
    from their catalogue, any other as it was raised."""
    from merkwacht.core.errors import Coded

    return exc.text(current_language()) if isinstance(exc, Coded) else str(exc)


def run_error(code: str | None, message: str | None) -> str:
    """A collection run's stored error for the session: its ``E_*`` code and what the code means in the
    session's language. The stored message (English, as logged) is shown beside it where there is room;
    a run without a code shows its message, an unknown code is shown as it is."""
    if not code:
        return message or ""
    meaning = t(f"run_error.{code}")
    return code if meaning == code else f"{code}: {meaning}"
