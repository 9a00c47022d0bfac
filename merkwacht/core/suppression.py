"""Small-cell suppression of two-way tables with totals (PRIVACY.md R3).

A table of counts (rows x columns) is published with its row totals, column totals and
grand total. Every published figure ``n`` with ``0 < n < k`` is hidden (*primary*
suppression). Hiding alone is not enough: a hidden cell that is the only unknown in its
row can be recomputed from the row total, and more generally any hidden cell whose value
follows from the published figures by linear algebra can be recovered. So further cells
are hidden (*complementary* suppression) until no hidden cell is determined.

The attacker model is deliberately pessimistic: the attacker knows every published figure,
the additive structure (rows and columns add up to their totals, the totals to the grand
total), which hidden cells are zero, and therefore that every other hidden cell is a
positive integer. A hidden cell is recoverable when either

* it is forced to 1 on every table consistent with the published figures (two hidden cells
  that must add up to 2, say) — :func:`at_one_everywhere`, a few linear programmes; or
* its value follows by linear algebra once those are known: its unit vector lies in the row
  space of the equations restricted to the remaining hidden cells — :func:`determined_cells`.

Neither holding means the cell can take at least two integer values (the constraint matrix
of a table with totals is totally unimodular). Zero cells are shown: a zero describes nobody.

Complements are chosen greedily among published non-zero cells of an equation that
involves a recoverable cell: the one that leaves the fewest cells recoverable by linear
algebra, then interior cells before totals, cells above 1 before ones, smallest first (the
least information lost). The loop ends because each pass hides one more cell, and a table
whose non-zero cells are all hidden has nothing recoverable (the table itself is a solution
direction with every hidden cell moving up).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: How a hidden cell is printed, whatever the reason it is hidden.
SUPPRESSED_MARK = "•"
#: A cell's position: (row, column) with ``None`` standing for "total" on that axis.
Pos = tuple[int | None, int | None]


@dataclass(frozen=True, slots=True)
class Cell:
    """A published figure: ``value`` is ``None`` when ``suppressed``; ``reason`` is primary or complementary."""

    value: int | None
    suppressed: bool = False
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"value": self.value, "suppressed": self.suppressed, "reason": self.reason}

    def __str__(self) -> str:
        # One marker for every hidden cell: telling primary from complementary cells would say which are small.
        return SUPPRESSED_MARK if self.suppressed else str(self.value)


@dataclass(frozen=True)
class SuppressedTable:
    """A two-way table of counts after suppression: plain data for pages, reports and exports."""

    title: str
    row_label: str
    column_label: str
    rows: list[str]
    columns: list[str]
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell
    k: int
    notes: list[str] = field(default_factory=list)

    @property
    def suppressed_count(self) -> int:
        every = [c for r in self.cells for c in r] + self.row_totals + self.column_totals + [self.total]
        return sum(1 for c in every if c.suppressed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "row_label": self.row_label,
            "column_label": self.column_label,
            "rows": list(self.rows),
            "columns": list(self.columns),
            "cells": [[c.as_dict() for c in row] for row in self.cells],
            "row_totals": [c.as_dict() for c in self.row_totals],
            "column_totals": [c.as_dict() for c in self.column_totals],
            "total": self.total.as_dict(),
            "k": self.k,
            "notes": list(self.notes),
        }


def _all_positions(n_rows: int, n_cols: int) -> list[Pos]:
    positions: list[Pos] = [(i, j) for i in range(n_rows) for j in range(n_cols)]
    positions += [(i, None) for i in range(n_rows)]
    positions += [(None, j) for j in range(n_cols)]
    positions.append((None, None))
    return positions


def equations(n_rows: int, n_cols: int) -> list[dict[Pos, int]]:
    """The additive structure as homogeneous equations: {position: coefficient}, each summing to 0."""
    eqs: list[dict[Pos, int]] = []
    for i in range(n_rows):
        eq: dict[Pos, int] = {(i, j): 1 for j in range(n_cols)}
        eq[(i, None)] = -1
        eqs.append(eq)
    for j in range(n_cols):
        eq = {(i, j): 1 for i in range(n_rows)}
        eq[(None, j)] = -1
        eqs.append(eq)
    row_eq: dict[Pos, int] = {(i, None): 1 for i in range(n_rows)}
    row_eq[(None, None)] = -1
    eqs.append(row_eq)
    col_eq: dict[Pos, int] = {(None, j): 1 for j in range(n_cols)}
    col_eq[(None, None)] = -1
    eqs.append(col_eq)
    return eqs


def determined_cells(eqs: Sequence[dict[Pos, int]], unknown: Sequence[Pos]) -> set[Pos]:
    """The unknowns whose value follows from the equations once every other position is known.

    ``u`` is determined iff every vector of the null space of the system restricted to the unknowns
    is zero in ``u``. The null space comes from a singular value decomposition; the matrices hold only
    0 and ±1 and are small, so a tolerance of 1e-9 separates zero from non-zero safely.
    """
    if not unknown:
        return set()
    index = {pos: n for n, pos in enumerate(unknown)}
    rows = [eq for eq in eqs if any(pos in index for pos in eq)]
    if not rows:
        return set()
    matrix = np.zeros((len(rows), len(unknown)))
    for r, eq in enumerate(rows):
        for pos, coef in eq.items():
            if pos in index:
                matrix[r, index[pos]] = coef
    _u, sv, vt = np.linalg.svd(matrix)
    rank = int((sv > 1e-9 * max(1.0, sv[0] if sv.size else 1.0)).sum())
    null = vt[rank:]
    if null.shape[0] == 0:
        return set(unknown)
    moving = np.abs(null).max(axis=0) > 1e-9
    return {pos for pos, n in index.items() if not moving[n]}


def at_one_everywhere(eqs: Sequence[dict[Pos, int]], hidden: Sequence[Pos], values: dict[Pos, int]) -> set[Pos]:
    """Hidden cells the attacker can prove equal 1, knowing that hidden cells are positive integers.

    Zeros are shown, so every hidden cell is at least 1. Some cells may be forced to their bound 1
    on every table consistent with what is published (for example two hidden cells adding up to 2).
    Those are found with a few linear programmes (scipy's HiGHS): maximise the total slack above 1
    of the cells whose status is still open; a cell with slack is free, and when the optimum is 0 the
    remaining cells are fixed at 1. Only cells that equal 1 can be fixed, so without them nothing is
    solved. (The constraint matrix of a table with totals is totally unimodular, so a cell not fixed
    this way, nor by :func:`determined_cells`, has at least two integer values.)
    """
    open_ = [p for p in hidden if values[p] == 1]
    if not open_:
        return set()
    from scipy.optimize import linprog  # only needed here

    index = {pos: n for n, pos in enumerate(hidden)}
    h = len(hidden)
    a_eq, b_eq = [], []
    for eq in eqs:
        if not any(pos in index for pos in eq):
            continue
        row = [0.0] * h
        known = 0
        for pos, coef in eq.items():
            if pos in index:
                row[index[pos]] = float(coef)
            else:
                known += coef * values[pos]
        a_eq.append(row)
        b_eq.append(float(-known))
    while open_:
        slack = {pos: h + n for n, pos in enumerate(open_)}
        width = h + len(open_)
        cost = [0.0] * h + [-1.0] * len(open_)
        a_ub, b_ub = [], []
        for pos, col in slack.items():  # s_j - x_j <= -1, i.e. x_j >= 1 + s_j
            row = [0.0] * width
            row[col] = 1.0
            row[index[pos]] = -1.0
            a_ub.append(row)
            b_ub.append(-1.0)
        result = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=[r + [0.0] * len(open_) for r in a_eq], b_eq=b_eq,
                         bounds=[(1, None)] * h + [(0, 1)] * len(open_), method="highs")
        if result.status != 0 or -result.fun < 1e-7:
            return set(open_)
        free = {pos for pos, col in slack.items() if result.x[col] > 1e-7}
        open_ = [p for p in open_ if p not in free]
    return set()


def recoverable(eqs: Sequence[dict[Pos, int]], hidden: Sequence[Pos], values: dict[Pos, int]) -> set[Pos]:
    """Hidden non-zero cells an attacker can recover exactly: proven to be 1, or determined by linear algebra
    once those are known."""
    if not hidden:
        return set()
    ones = at_one_everywhere(eqs, hidden, values)
    return ones | determined_cells(eqs, [p for p in hidden if p not in ones])


def suppress(
    counts: Sequence[Sequence[int]],
    *,
    k: int,
    title: str = "",
    row_label: str = "",
    column_label: str = "",
    rows: Sequence[str] | None = None,
    columns: Sequence[str] | None = None,
    keep_columns: Sequence[int] = (),
) -> SuppressedTable:
    """Suppress ``counts`` (a list of rows of non-negative ints) with threshold ``k``; totals are computed here.

    ``keep_columns`` are column indexes chosen last as complements (for example the confirmed and
    dismissed columns from which precision is computed); they are still hidden when they are small.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1, not {k}")
    n_rows = len(counts)
    n_cols = len(counts[0]) if n_rows else len(columns or [])
    if any(len(r) != n_cols for r in counts):
        raise ValueError("every row of the table must have the same number of columns")
    if any(v < 0 for r in counts for v in r):
        raise ValueError("counts cannot be negative")
    values: dict[Pos, int] = {}
    for i, r in enumerate(counts):
        for j, v in enumerate(r):
            values[(i, j)] = int(v)
        values[(i, None)] = sum(int(v) for v in r)
    for j in range(n_cols):
        values[(None, j)] = sum(int(counts[i][j]) for i in range(n_rows))
    values[(None, None)] = sum(values[(i, None)] for i in range(n_rows))

    positions = _all_positions(n_rows, n_cols)
    reason: dict[Pos, str] = {p: "primary" for p in positions if 0 < values[p] < k}
    eqs = equations(n_rows, n_cols)
    while True:
        hidden = [p for p in positions if p in reason and values[p] > 0]
        found = recoverable(eqs, hidden, values)
        if not found:
            break
        candidates = sorted({
            p for eq in eqs if any(t in eq for t in found) for p in eq
            if p not in reason and values[p] > 0
        }, key=positions.index)
        if not candidates:  # cannot happen (see module docstring); hide more rather than leak
            candidates = [p for p in positions if p not in reason and values[p] > 0]
            if not candidates:
                break

        def cost(p: Pos, hidden: list[Pos] = hidden) -> tuple[int, bool, bool, bool, int, int]:
            # how many cells stay recoverable by linear algebra with p hidden too (the bounds check is too
            # slow to run per candidate); then prefer cells outside keep_columns, interior cells over totals,
            # cells above 1 (they give the hidden cells room), small over large
            left = len(determined_cells(eqs, [*hidden, p]))
            return (left, p[0] is not None and p[1] in keep_columns, p[0] is None or p[1] is None,
                    values[p] == 1, values[p], positions.index(p))

        best = min(candidates, key=cost)
        reason[best] = "complementary"

    def cell(p: Pos) -> Cell:
        if p in reason:
            return Cell(None, True, reason[p])
        return Cell(values[p])

    notes = []
    if reason:
        notes.append(
            f"{sum(1 for r in reason.values() if r == 'primary')} cel(len) kleiner dan k={k} verborgen, "
            f"{sum(1 for r in reason.values() if r == 'complementary')} aanvullend verborgen zodat ze niet uit "
            "de totalen zijn terug te rekenen"
        )
    return SuppressedTable(
        title=title,
        row_label=row_label,
        column_label=column_label,
        rows=list(rows) if rows is not None else [str(i) for i in range(n_rows)],
        columns=list(columns) if columns is not None else [str(j) for j in range(n_cols)],
        cells=[[cell((i, j)) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[cell((i, None)) for i in range(n_rows)],
        column_totals=[cell((None, j)) for j in range(n_cols)],
        total=cell((None, None)),
        k=k,
        notes=notes,
    )
