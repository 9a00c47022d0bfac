"""Interface text in Dutch (default) and English, read from ``translations.toml`` beside this module.

``t("key", name=...)`` returns the text in the language of the current session; a key missing
in English falls back to Dutch, and a key missing in both is shown as ``⟨key⟩`` so it is noticed.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("nl", "en")
_FILE = Path(__file__).with_name("translations.toml")
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
    }
)


@cache
def catalogue() -> dict[str, dict[str, str]]:
    with _FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return {lang: _flatten(data.get(lang, {})) for lang in LANGUAGES}


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


def translate(lang: str, key: str, **values: Any) -> str:
    texts = catalogue()
    text = texts.get(lang, {}).get(key) or texts["nl"].get(key)
    if text is None:
        prefix, _, name = key.partition(".")
        if prefix in _DYNAMIC and name:
            return name  # an id from the data (a new rule, a free-text reason): show it as it is
        return f"⟨{key}⟩"
    return text.format(**values) if values else text


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
