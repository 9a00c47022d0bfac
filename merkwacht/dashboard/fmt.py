"""Formatting for the interface: times in the Netherlands' time zone, short and unambiguous."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

#: Times are stored in UTC and shown in Dutch local time.
LOCAL = ZoneInfo("Europe/Amsterdam")


def when(value: datetime | date | None, *, empty: str = "-") -> str:
    if value is None:
        return empty
    if isinstance(value, datetime):
        return value.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def day(value: datetime | date | None, *, empty: str = "-") -> str:
    if value is None:
        return empty
    if isinstance(value, datetime):
        return value.astimezone(LOCAL).strftime("%Y-%m-%d")
    return value.isoformat()
