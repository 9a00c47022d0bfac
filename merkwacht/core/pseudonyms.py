"""Keyed pseudonyms for third parties and staff signatures (PRIVACY.md R4).

A pseudonym is a truncated HMAC-SHA256 of the normalised name under the secret
``MERKWACHT_PSEUDONYM_KEY``: stable for the same name and key, not reversible without
the key, and different under a new key (see the key rotation procedure in docs/privacy.md).
"""

from __future__ import annotations

import hashlib
import hmac
import unicodedata

PREFIX = "p:"
SIGNATURE_PREFIX = "s:"
_LENGTH = 20  # hex characters kept: 80 bits


def _normalise(name: str) -> bytes:
    text = unicodedata.normalize("NFKC", name).strip().lstrip("@^/").casefold()
    return " ".join(text.split()).encode("utf-8")


def pseudonym(name: str, *, key: bytes, platform: str = "") -> str:
    """The pseudonym of a third-party author ``name`` (a handle or platform id) on ``platform``."""
    message = platform.encode("utf-8") + b"\x00" + _normalise(name)
    return PREFIX + hmac.new(key, message, hashlib.sha256).hexdigest()[:_LENGTH]


def signature_pseudonym(signature: str, *, key: bytes) -> str:
    """The pseudonym of a staff signature such as ``^AB`` or ``Sanne`` (case and marks ignored)."""
    message = b"signature\x00" + _normalise(signature)
    return SIGNATURE_PREFIX + hmac.new(key, message, hashlib.sha256).hexdigest()[:_LENGTH]


def is_pseudonym(value: str) -> bool:
    return value.startswith((PREFIX, SIGNATURE_PREFIX)) and len(value) == len(PREFIX) + _LENGTH
