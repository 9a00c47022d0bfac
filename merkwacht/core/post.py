"""The ``Post`` type: one post or reply of a brand account, normalised once by its collector.

Ids are strings (the platform's own), times are timezone-aware UTC, third-party authors
are pseudonyms (see :mod:`merkwacht.core.pseudonyms`). The JSON form of a ``Post`` is
the interchange format of DESIGN.md (see :mod:`merkwacht.core.interchange`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictStr,
    field_validator,
)

from .platforms import PLATFORMS

Kind = Literal["post", "reply", "repost", "quote"]
KINDS: tuple[str, ...] = ("post", "reply", "repost", "quote")

_URL_RE = re.compile(r"""https?://[^\s<>"'\u200b]+""", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\"»”’"


def find_urls(text: str) -> list[str]:
    """The http(s) URLs in ``text``, without trailing punctuation, in order of appearance."""
    found = []
    for match in _URL_RE.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        if len(url) > len("https://"):
            found.append(url)
    return found


def _aware_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("timestamp has no time zone; write it as 2026-05-01T10:00:00Z or with an offset")
    return value.astimezone(UTC)


def _utc_or_none(value: datetime | None) -> datetime | None:
    return None if value is None else _aware_utc(value)


UTCDateTime = Annotated[datetime, AfterValidator(_aware_utc)]
OptionalUTCDateTime = Annotated[datetime | None, AfterValidator(_utc_or_none)]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=False)


class InReplyTo(_Strict):
    """The post a reply answers: its id, its text (context for the reviewer) and its author's pseudonym."""

    id: StrictStr
    text: StrictStr | None = None
    author: StrictStr | None = None


class Provenance(_Strict):
    """Where a post came from: the endpoint, the client library and version, and when it was fetched."""

    endpoint: StrictStr | None = None
    client: StrictStr | None = None
    fetched_at: OptionalUTCDateTime = None


class Post(_Strict):
    """One post of a brand account in the interchange format."""

    id: StrictStr = Field(min_length=1, max_length=200)
    platform: StrictStr
    account: StrictStr = Field(min_length=1, max_length=400)
    created_at: UTCDateTime
    kind: Kind
    text: StrictStr
    lang: StrictStr | None = None
    urls: tuple[StrictStr, ...] = ()
    in_reply_to: InReplyTo | None = None
    edited_at: OptionalUTCDateTime = None
    deleted_at: OptionalUTCDateTime = None
    provenance: Provenance | None = None

    @field_validator("platform")
    @classmethod
    def _known_platform(cls, value: str) -> str:
        if value not in PLATFORMS:
            raise ValueError(f"unknown platform {value!r}; known platforms: {', '.join(sorted(PLATFORMS))}")
        return value

    def all_urls(self) -> list[str]:
        """The URLs the platform gave plus those written in the text, without duplicates."""
        seen: dict[str, None] = dict.fromkeys(self.urls)
        for url in find_urls(self.text):
            seen.setdefault(url, None)
        return list(seen)

    def to_json_dict(self) -> dict:
        """The interchange form: required fields always, optional ones only when known."""
        data = self.model_dump(mode="json", exclude_none=True)
        if not data.get("urls"):
            data.pop("urls", None)
        return data


class Approval(_Strict):
    """One entry of the approvals register in the interchange format.

    ``account`` is a handle such as ``@UniLeiden``, or ``None`` for every account.
    """

    id: StrictStr = Field(min_length=1)
    account: StrictStr | None = None
    text: StrictStr = Field(min_length=1)
    approved_by: StrictStr = Field(min_length=1)
    approved_at: datetime | None = None
    valid_until: datetime | None = None

    @field_validator("approved_at", mode="before")
    @classmethod
    def _start_of_day(cls, value: object) -> object:
        # The register writes plain dates ("2026-03-02"): approved from the start of that day, UTC.
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value + "T00:00:00Z"
        return value

    @field_validator("valid_until", mode="before")
    @classmethod
    def _end_of_day(cls, value: object) -> object:
        # A plain date in valid_until means: valid through the end of that day, UTC.
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return value + "T23:59:59.999999Z"
        return value

    @field_validator("approved_at", "valid_until")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
