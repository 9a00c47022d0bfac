"""Findings as JSON lines (file mode), encoded once per distinct finding, not once per post.

A finding is a dict of sixteen fields (:meth:`FindingRecord.to_json`) whose long explanations make
encoding it cost about as much as judging a post; about half of a run's findings repeat one met
before (reposts and template replies get the remembered finding, about another post). Only three
fields tell those apart, and they come first and last in the line: ``post_id``, then the finding's
body, then ``account`` and ``platform``. The body is encoded once and kept; a line is the three
fields encoded around it. The JSON encoder writes a dict's items in order, joined by the item
separator, so the line is byte for byte the line of the whole dict (a test holds it to that).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the engine is imported by file mode only, when it runs
    from merkwacht.analysis.engine import FindingRecord

#: The separators of file mode's JSON lines (DESIGN.md: ``{"post_id": "p1", "rule": ...}``).
SEPARATORS = (", ", ": ")
#: The fields that differ between a finding and the same finding about another post.
_HEAD = "post_id"
_TAIL = ("account", "platform")
#: Every field the body of the line is made of (cache key: the same values, the same body).
_BODY_FIELDS = attrgetter(
    "rule", "rule_version", "clause", "severity", "score", "evidence", "evidence_start", "evidence_end",
    "explanation_nl", "explanation_en", "pack", "pack_version",
)


_OPTIONAL_INT = (int, type(None))


def _plain(finding: FindingRecord) -> bool:
    """Whether equal field values mean an equal line: no value that equals another but is written
    differently (``1 == 1.0 == True``, ``0.0 == -0.0``), and the three fields strings."""
    return (
        type(finding.score) is float
        and finding.score != 0.0
        and type(finding.evidence_start) in _OPTIONAL_INT
        and type(finding.evidence_end) in _OPTIONAL_INT
        and type(finding.post_id) is str
        and type(finding.account) is str
        and type(finding.platform) is str
    )


class FindingLines:
    """Encodes findings as file mode's JSON lines (without the line break), remembering their bodies."""

    #: Bodies remembered at most (then the memory starts again).
    MEMORY = 8192

    def __init__(self, *, lang: str = "nl"):
        self.lang = lang
        self._dumps: Callable[[Any], str] = json.JSONEncoder(ensure_ascii=False, separators=SEPARATORS).encode
        self._bodies: dict[tuple, str] = {}
        self._string = json.encoder.encode_basestring  # what the encoder writes for a str (ensure_ascii=False)

    def definition(self, finding: FindingRecord) -> str:
        """The line by definition: the finding's whole interchange dict, encoded."""
        return self._dumps(finding.to_json(lang=self.lang))

    def line(self, finding: FindingRecord) -> str:
        """The line of ``finding``: :meth:`definition`, with the body encoded once per distinct body."""
        if not _plain(finding):
            return self.definition(finding)
        key = _BODY_FIELDS(finding)
        body = self._bodies.get(key)
        if body is None:
            body = self._body(finding)
            if body is None:
                return self.definition(finding)
            if len(self._bodies) >= self.MEMORY:
                self._bodies.clear()
            self._bodies[key] = body
        string = self._string
        return (
            '{"post_id": ' + string(finding.post_id) + ", " + body
            + ', "account": ' + string(finding.account) + ', "platform": ' + string(finding.platform) + "}"
        )

    def _body(self, finding: FindingRecord) -> str | None:
        """The items between ``post_id`` and ``account`` as the encoder writes them (None: another layout)."""
        data = finding.to_json(lang=self.lang)
        keys = list(data)
        if len(keys) < 4 or keys[0] != _HEAD or tuple(keys[-2:]) != _TAIL:
            return None
        for key in (_HEAD, *_TAIL):
            del data[key]
        encoded = self._dumps(data)
        return encoded[1:-1]  # without the braces
