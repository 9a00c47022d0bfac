"""Texts in Dutch (the default) and English, read from a TOML catalogue.

A catalogue file has a table per language (``[nl.group]``, ``[en.group]``) whose keys become
dotted names (``group.key``). :meth:`Catalogue.translate` fills in ``{placeholders}``; a key
missing in English falls back to Dutch, and a key missing in both is shown as ``⟨key⟩`` so it
is noticed rather than crashing. The dashboard (``dashboard/translations.toml``) and the
command line (``cli/messages.toml``) each have a catalogue of their own; this module only
reads them, so importing it costs nothing but :mod:`tomllib`.
"""

from __future__ import annotations

import tomllib
from functools import cached_property
from pathlib import Path
from typing import Any

#: The interface languages, the default first.
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = LANGUAGES[0]


class _KeepMissing(dict[str, Any]):
    """Placeholders without a value stay visible as ``{name}`` instead of raising."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


class Catalogue:
    """The texts of one TOML file, per language, loaded on first use."""

    def __init__(self, path: Path, *, dynamic: frozenset[str] = frozenset()) -> None:
        """``dynamic``: key groups filled from data, whose unknown members are shown as their id."""
        self.path = path
        self.dynamic = dynamic

    @cached_property
    def texts(self) -> dict[str, dict[str, str]]:
        """Language -> dotted key -> text."""
        with self.path.open("rb") as handle:
            data = tomllib.load(handle)
        return {lang: _flatten(data.get(lang, {})) for lang in LANGUAGES}

    def translate(self, lang: str, key: str, /, **values: Any) -> str:
        """``key`` in ``lang`` (else in Dutch) with ``values`` filled in; ``⟨key⟩`` when it is unknown."""
        texts = self.texts
        text = texts.get(lang, {}).get(key) or texts[DEFAULT_LANGUAGE].get(key)
        if text is None:
            prefix, _, name = key.partition(".")
            if prefix in self.dynamic and name:
                return name  # an id from the data (a new rule, a free-text reason): shown as it is
            return f"⟨{key}⟩"
        return text.format_map(_KeepMissing(values)) if values else text


def _flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat
