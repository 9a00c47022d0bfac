"""Altair charts built from plain rows (lists of dicts); no data access here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import altair as alt

#: Colours of high, medium and low severity.
SEVERITY_RANGE = ["#c0392b", "#e67e22", "#f1c40f"]


def stacked_bars(
    rows: list[dict[str, Any]],
    *,
    x: str,
    y: str,
    colour: str,
    x_title: str,
    y_title: str,
    colour_title: str,
    severity_labels: list[str] | None = None,
) -> alt.Chart:
    """Bars of ``y`` per ``x``, stacked by ``colour``."""
    scale = alt.Scale(domain=severity_labels, range=SEVERITY_RANGE) if severity_labels else alt.Undefined
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X(f"{x}:N", title=x_title, sort="-y"),
            y=alt.Y(f"{y}:Q", title=y_title),
            color=alt.Color(f"{colour}:N", title=colour_title, scale=scale),
            tooltip=[f"{x}:N", f"{colour}:N", f"{y}:Q"],
        )
    )


def weekly_lines(
    rows: list[dict[str, Any]], *, value: str, series: str, x_title: str, y_title: str, series_title: str
) -> alt.Chart:
    """One line per ``series`` over weeks (``week`` as ISO date)."""
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_line(point=True)
        .encode(
            x=alt.X("week:T", title=x_title),
            y=alt.Y(f"{value}:Q", title=y_title),
            color=alt.Color(f"{series}:N", title=series_title),
            tooltip=["week:T", f"{series}:N", f"{value}:Q"],
        )
    )


def monthly_bars(
    rows: list[dict[str, Any]], *, value: str, colour: str, x_title: str, y_title: str, colour_title: str
) -> alt.Chart:
    """Bars per ``month`` (YYYY-MM), stacked by ``colour``."""
    return (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=x_title),
            y=alt.Y(f"{value}:Q", title=y_title),
            color=alt.Color(f"{colour}:N", title=colour_title),
            tooltip=["month:O", f"{colour}:N", f"{value}:Q"],
        )
    )


def findings_per_rule_month(rows: list[dict[str, Any]], *, t: Callable[[str], str]) -> alt.Chart:
    """Findings per rule and month, stacked (the council page and the evaluation page)."""
    return monthly_bars(
        rows,
        value="count",
        colour="rule",
        x_title=t("col.month"),
        y_title=t("col.findings"),
        colour_title=t("col.rule"),
    )
