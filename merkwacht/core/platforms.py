"""The platforms Merkwacht knows, by the name used in the register, the interchange format and the CLI.

This is the one list of platform names. A collector for a new platform registers under
one of these names in ``merkwacht.collector.registry``; adding a platform means one line
here and one module plus one registry line there.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Coded


@dataclass(frozen=True, slots=True)
class Platform:
    name: str
    label: str
    #: Does an account on this platform live on an instance of its own (Mastodon)?
    needs_instance: bool = False
    #: Handles are compared case-insensitively on every platform we know.
    case_insensitive: bool = True


PLATFORMS: dict[str, Platform] = {
    "x": Platform("x", "X"),
    "reddit": Platform("reddit", "Reddit"),
    "mastodon": Platform("mastodon", "Mastodon", needs_instance=True),
    "bluesky": Platform("bluesky", "Bluesky"),
}


class UnknownPlatform(Coded, ValueError):
    """A platform name that is not in :data:`PLATFORMS`."""

    def __init__(self, name: object) -> None:
        known = ", ".join(sorted(PLATFORMS))
        super().__init__(code="platforms.unknown", name=name, known=known)
        self.name = name


def get_platform(name: str) -> Platform:
    """The platform called ``name``, or :class:`UnknownPlatform` naming the known ones."""
    try:
        return PLATFORMS[name]
    except (KeyError, TypeError):
        raise UnknownPlatform(name) from None
