"""click's own words ("Usage:", "Options", "No such option") in the language of the running command.

click asks :func:`gettext.gettext` for each of its texts; the standard gettext machinery would
need compiled ``.mo`` files and the language in ``LANGUAGE``/``LANG``, while ``merkwacht``
chooses its language with ``--lang`` or its own setting. :func:`install` therefore points the
``_`` and ``ngettext`` that click's modules imported from :mod:`gettext` at :func:`click_text`
and :func:`click_plural`, which give the Dutch of ``clicktext.toml`` during a run of
``merkwacht`` in Dutch, and click's English text otherwise (another program's click commands in
the same process are left as they are). A text without a Dutch entry stays English.
"""

from __future__ import annotations

import importlib
import tomllib
from functools import cache
from pathlib import Path

from .messages import in_command, language

_PATH = Path(__file__).with_name("clicktext.toml")
#: click's modules that translate with ``_ = gettext.gettext`` (and ``ngettext``) of their own.
CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


@cache
def translations() -> dict[str, dict[str, str]]:
    """Language -> click's English text -> the translation."""
    with _PATH.open("rb") as handle:
        return tomllib.load(handle)


def click_text(message: str) -> str:
    """``message`` of click in the language of the running ``merkwacht`` command."""
    if not in_command():
        return message
    return translations().get(language(), {}).get(message, message)


def click_plural(singular: str, plural: str, count: int) -> str:
    """The singular or plural text of click, translated like :func:`click_text`."""
    return click_text(singular if count == 1 else plural)


def install() -> None:
    """Let click's modules translate through :func:`click_text` (idempotent)."""
    for name in CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = click_text
        if hasattr(module, "ngettext"):
            module.ngettext = click_plural
