"""Staff signatures in brand replies: ``^AB``, ``/JdV``, ``Groet, Sanne``, ``Gr. Tom``.

A signature tells who of the team wrote a reply. It is personal data about an employee:
Merkwacht keeps it only as a keyed pseudonym, never uses it as a dimension of a statistic
(PRIVACY.md R4, R12), and lists findings per signature only inside an investigation case (R6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERNS = (
    # ^AB, ^sb, ^JdV at the end (X/Twitter care teams)
    re.compile(r"(?:^|\s)\^(?P<sig>[A-Za-z]{1,4})\s*$"),
    # /JdV, -AB, – Sanne at the end
    re.compile(r"(?:^|\s)[/\-–—]\s?(?P<sig>[A-Z][A-Za-z]{0,2}[A-Z]?)\s*$"),
    # Groet(en), Sanne | Gr. Tom | Met vriendelijke groet, Sanne | Regards, Tom | Cheers, Tom
    re.compile(
        r"(?:^|[\s.!?])(?:(?:met\s+)?(?:vriendelijke\s+)?groet(?:en|jes)?|gr\.?|mvg|kind\s+regards|regards|cheers|best)"
        r"\s*[,:]?\s+(?P<sig>[A-Z][a-zà-ÿ]+(?:\s(?:van|de|der|den)?\s?[A-Z][a-zà-ÿ]+)?)\s*[.!]?\s*$",
        re.IGNORECASE,
    ),
)


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature found in a text: the name or initials as written, and where."""

    raw: str
    start: int
    end: int


def find_signature(text: str) -> Signature | None:
    """The signature that closes ``text``, if there is one."""
    tail_start = max(0, len(text) - 120)
    tail = text[tail_start:]
    for pattern in _PATTERNS:
        match = pattern.search(tail)
        if match:
            name = match.group("sig")
            if pattern is _PATTERNS[2] and not name[:1].isupper():
                continue
            return Signature(name, tail_start + match.start("sig"), tail_start + match.end("sig"))
    return None
