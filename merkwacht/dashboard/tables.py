"""Turning suppressed tables (``core.suppression.SuppressedTable``) into rows for ``st.dataframe``.

A suppressed cell is never shown as a number: a cell hidden because it is below k reads
``< k``, a cell hidden so that the first cannot be worked out from the totals reads ``•``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from merkwacht.core.suppression import Cell, SuppressedTable

SUPPRESSED_PRIMARY = "< k"
SUPPRESSED_COMPLEMENTARY = "•"


def cell_text(cell: Cell) -> str:
    if cell.suppressed:
        return SUPPRESSED_PRIMARY if cell.reason == "primary" else SUPPRESSED_COMPLEMENTARY
    return str(cell.value if cell.value is not None else 0)


def table_rows(
    table: SuppressedTable,
    *,
    row_title: str,
    total_title: str,
    row_name: Callable[[str], str] = str,
    column_name: Callable[[str], str] = str,
) -> list[dict[str, Any]]:
    """One dict per row plus a totals row; every value a string so suppressed cells stay marked."""
    columns = [column_name(c) for c in table.columns]
    rows: list[dict[str, Any]] = []
    for name, cells, total in zip(table.rows, table.cells, table.row_totals, strict=True):
        row: dict[str, Any] = {row_title: row_name(name)}
        row.update({col: cell_text(c) for col, c in zip(columns, cells, strict=True)})
        row[total_title] = cell_text(total)
        rows.append(row)
    if table.rows:
        totals: dict[str, Any] = {row_title: total_title}
        totals.update({col: cell_text(c) for col, c in zip(columns, table.column_totals, strict=True)})
        totals[total_title] = cell_text(table.total)
        rows.append(totals)
    return rows


def chart_rows(
    table: SuppressedTable, *, row_key: str, column_key: str, row_name: Callable[[str], str] = str
) -> list[dict[str, Any]]:
    """Long-form rows of the cells that are published (suppressed cells are left out of charts)."""
    return [
        {row_key: row_name(r), column_key: c, "count": cell.value}
        for r, cells in zip(table.rows, table.cells, strict=True)
        for c, cell in zip(table.columns, cells, strict=True)
        if not cell.suppressed and cell.value
    ]
