"""Reporting periods as written on the command line: ``2026Q3``, ``2026-07``, ``2026``, ``2026H1``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from .errors import MerkwachtError


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open interval ``[start, end)`` of whole months in UTC, with the label it was given as."""

    label: str
    start: datetime
    end: datetime

    def months(self) -> list[str]:
        """The months of the period as ``YYYY-MM``."""
        out = []
        year, month = self.start.year, self.start.month
        while (year, month) < (self.end.year, self.end.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out

    def contains(self, at: datetime) -> bool:
        return self.start <= at < self.end


def _month_start(year: int, month: int) -> datetime:
    year += (month - 1) // 12
    month = (month - 1) % 12 + 1
    return datetime(year, month, 1, tzinfo=UTC)


def parse_period(text: str) -> Period:
    """Parse ``2026Q3`` (a quarter), ``2026H2`` (a half year), ``2026-07`` (a month) or ``2026`` (a year)."""
    value = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})-?Q([1-4])", value):
        year, q = int(m[1]), int(m[2])
        return Period(f"{year}Q{q}", _month_start(year, 3 * q - 2), _month_start(year, 3 * q + 1))
    if m := re.fullmatch(r"(\d{4})-?H([12])", value):
        year, h = int(m[1]), int(m[2])
        return Period(f"{year}H{h}", _month_start(year, 6 * h - 5), _month_start(year, 6 * h + 1))
    if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise MerkwachtError(code="periods.no_such_month", period=text, month=month)
        return Period(f"{year}-{month:02d}", _month_start(year, month), _month_start(year, month + 1))
    if m := re.fullmatch(r"(\d{4})", value):
        year = int(m[1])
        return Period(str(year), _month_start(year, 1), _month_start(year + 1, 1))
    raise MerkwachtError(code="periods.not_understood", period=text)
