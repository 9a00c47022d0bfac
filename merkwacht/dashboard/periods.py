"""The reporting periods offered in the dashboard: the current quarter and the ones before it."""

from __future__ import annotations

from datetime import UTC, datetime


def recent_quarters(count: int = 6, now: datetime | None = None) -> list[str]:
    """``count`` quarters as ``2026Q3`` labels, newest first, starting with the current one."""
    now = now or datetime.now(UTC)
    year, quarter = now.year, (now.month - 1) // 3 + 1
    out = []
    for _ in range(count):
        out.append(f"{year}Q{quarter}")
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out
