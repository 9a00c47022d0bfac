"""Platform name -> collector class. Adding a platform: one module in this package and one line here.

Names must be in :data:`merkwacht.core.platforms.PLATFORMS`. Modules are imported when first
used, so a missing SDK only affects its own platform.
"""

from __future__ import annotations

import importlib
from typing import Any

from merkwacht.core.platforms import PLATFORMS, get_platform

#: platform -> "module:Class"
COLLECTORS: dict[str, str] = {
    "x": "merkwacht.collector.x:XCollector",
    "reddit": "merkwacht.collector.reddit:RedditCollector",
    "mastodon": "merkwacht.collector.mastodon:MastodonCollector",
    "bluesky": "merkwacht.collector.bluesky:BlueskyCollector",
}

assert set(COLLECTORS) <= set(PLATFORMS), "every collector must be registered under a known platform name"


def collector_class(platform: str) -> Any:
    """The collector class for ``platform`` (:class:`~merkwacht.core.platforms.UnknownPlatform` if none)."""
    name = get_platform(platform).name
    if name not in COLLECTORS:
        raise LookupError(f"no collector is registered for platform {name!r}")
    module_name, _, class_name = COLLECTORS[name].partition(":")
    return getattr(importlib.import_module(module_name), class_name)


def registered_platforms() -> list[str]:
    return list(COLLECTORS)
