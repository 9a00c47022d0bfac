"""Parse a rule's pack settings once per settings block, not once per post."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

M = TypeVar("M", bound=BaseModel)

_CACHE: dict[tuple[type, int], tuple[Any, BaseModel]] = {}


def parsed(model: type[M], settings: Any) -> M:
    """``settings`` (a dict from the pack, or an instance already) validated as ``model``.

    The engine hands every post the same settings dict; validating it once and reusing the result
    saves a pydantic validation per post. The dict is kept referenced, so its id is not reused.
    """
    if isinstance(settings, model):
        return settings
    key = (model, id(settings))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is settings:
        return hit[1]  # type: ignore[return-value]
    value = model(**(settings or {}))
    if len(_CACHE) > 256:
        _CACHE.clear()
    _CACHE[key] = (settings, value)
    return value
