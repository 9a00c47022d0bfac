"""Credentials come from environment variables named by the account's ``credentials_env`` prefix.

For a prefix ``UNILEIDEN_X`` the X collector reads ``UNILEIDEN_X_BEARER_TOKEN``. Values are
held in memory for the client only: never stored in the database, logged, or written into a
run record; ``repr()`` shows the variable names, not the values.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping

from .errors import CollectorError


class Credentials(Mapping[str, str]):
    """The credentials found for one account: suffix (``BEARER_TOKEN``) -> value."""

    def __init__(self, prefix: str | None, values: dict[str, str]) -> None:
        self.prefix = prefix
        self._values = values

    def __getitem__(self, name: str) -> str:
        return self._values[name]

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"<Credentials {self.prefix or '(none)'}: {', '.join(sorted(self._values)) or 'none set'}>"

    def fingerprint(self) -> str:
        """A hash that changes when a value changes (to renew cached clients), revealing nothing."""
        material = "\x00".join(f"{k}={v}" for k, v in sorted(self._values.items()))
        return hashlib.sha256(material.encode("utf-8")).hexdigest()[:16]


def read_credentials(
    prefix: str | None, *, required: tuple[str, ...] = (), optional: tuple[str, ...] = (),
    environ: Mapping[str, str] | None = None,
) -> Credentials:
    """Read ``PREFIX_NAME`` for every required and optional name; a missing required one is ``E_CREDENTIALS``."""
    env = os.environ if environ is None else environ
    if not prefix:
        if required:
            raise CollectorError("E_CREDENTIALS", code="credentials.no_prefix", names=", ".join(required))
        return Credentials(None, {})
    values: dict[str, str] = {}
    missing = []
    for name in (*required, *optional):
        value = env.get(f"{prefix}_{name}")
        if value:
            values[name] = value
        elif name in required:
            missing.append(f"{prefix}_{name}")
    if missing:
        raise CollectorError("E_CREDENTIALS", code="credentials.missing", variables=", ".join(missing))
    return Credentials(prefix, values)
