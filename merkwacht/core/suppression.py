"""Small-cell suppression of two-way tables with totals (PRIVACY.md R3).

A table of counts (rows x columns) is published with its row totals, column totals and
grand total. Every published figure ``n`` with ``0 < n < k`` is hidden (*primary*
suppression). Hiding alone is not enough: a hidden cell that is the only unknown in its
row can be recomputed from the row total, and more generally any hidden cell whose value
follows from the published figures by linear algebra can be recovered. So further cells
are hidden (*complementary* suppression) until no hidden cell is determined.

The attacker model is deliberately pessimistic: the attacker knows every published figure,
the additive structure (rows and columns add up to their totals, the totals to the grand
total), and even which hidden cells are zero. Under that model a hidden non-zero cell ``u``
is recoverable exactly when the unit vector ``e_u`` lies in the row space of the equation
system restricted to the hidden non-zero cells; :func:`determined_cells` decides this with
exact rational Gaussian elimination. Zero cells are shown: a zero describes nobody.

Complements are chosen greedily among published non-zero cells of an equation that
involves a recoverable cell: the one that leaves the fewest recoverable cells, then interior
cells before totals, smallest first (the least information lost). The loop ends because each pass hides one more cell, and a table whose
non-zero cells are all hidden has nothing recoverable (the table itself is a solution
direction with every hidden cell moving).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

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

    ``u`` is determined iff every vector of the null space of the system restricted to the
    unknowns has a zero in ``u``: in reduced row echelon form, ``u`` is a pivot column whose
    row has no entry in a free column.
    """
    index = {pos: n for n, pos in enumerate(unknown)}
    matrix = [
        [Fraction(eq.get(pos, 0)) for pos in unknown]
        for eq in eqs
        if any(pos in index for pos in eq)
    ]
    n_cols = len(unknown)
    pivots: list[int] = []
    row = 0
    for col in range(n_cols):
        pivot = next((r for r in range(row, len(matrix)) if matrix[r][col] != 0), None)
        if pivot is None:
            continue
        matrix[row], matrix[pivot] = matrix[pivot], matrix[row]
        lead = matrix[row][col]
        matrix[row] = [v / lead for v in matrix[row]]
        for r in range(len(matrix)):
            if r != row and matrix[r][col] != 0:
                factor = matrix[r][col]
                matrix[r] = [a - factor * b for a, b in zip(matrix[r], matrix[row])]
        pivots.append(col)
        row += 1
        if row == len(matrix):
            break
    pivot_set = set(pivots)
    free = [c for c in range(n_cols) if c not in pivot_set]
    determined: set[Pos] = set()
    for r, col in enumerate(pivots):
        if all(matrix[r][f] == 0 for f in free):
            determined.add(unknown[col])
    return determined


def pinned_by_bounds(eqs: Sequence[dict[Pos, int]], hidden: Sequence[Pos], values: dict[Pos, int]) -> set[Pos]:
    """Hidden cells whose value the attacker can pin down using that hidden cells are at least 1.

    Zeros are shown, so every hidden cell is known to be a positive integer. The feasible values of
    a hidden cell are then an interval found by linear programming over ``x >= 1`` with the table's
    equations; the constraint matrix of a table with totals is totally unimodular, so the interval's
    ends are integers and a cell is pinned exactly when the interval is a single point. Only cells
    equal to 1 lie on a bound; without them the linear check of :func:`determined_cells` is exact,
    and this returns an empty set without solving anything.
    """
    if not any(values[p] == 1 for p in hidden):
        return set()
    from scipy.optimize import linprog  # only needed here

    index = {pos: n for n, pos in enumerate(hidden)}
    rows, rhs = [], []
    for eq in eqs:
        if not any(pos in index for pos in eq):
            continue
        row = [0.0] * len(hidden)
        known = 0
        for pos, coef in eq.items():
            if pos in index:
                row[index[pos]] = float(coef)
            else:
                known += coef * values[pos]
        rows.append(row)
        rhs.append(float(-known))
    pinned: set[Pos] = set()
    for pos, n in index.items():
        objective = [0.0] * len(hidden)
        objective[n] = 1.0
        low = linprog(objective, A_eq=rows, b_eq=rhs, bounds=(1, None), method="highs")
        objective[n] = -1.0
        high = linprog(objective, A_eq=rows, b_eq=rhs, bounds=(1, None), method="highs")
        if high.status == 3:  # unbounded above: not pinned
            continue
        if low.status == 0 and high.status == 0 and (-high.fun) - low.fun < 0.5:
            pinned.add(pos)
    return pinned


def recoverable(eqs: Sequence[dict[Pos, int]], hidden: Sequence[Pos], values: dict[Pos, int]) -> set[Pos]:
    """Hidden cells an attacker can recover exactly: by linear algebra, or by the bounds of positive counts."""
    if not hidden:
        return set()
    found = determined_cells(eqs, hidden)
    return found | pinned_by_bounds(eqs, [p for p in hidden if p not in found], values) if True else found


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

        def cost(p: Pos) -> tuple[int, bool, bool, int, int]:
            # how many cells stay recoverable with p hidden too; then prefer cells outside keep_columns,
            # interior cells over totals, small over large
            left = len(recoverable(eqs, [*hidden, p], values))
            return (left, p[0] is not None and p[1] in keep_columns, p[0] is None or p[1] is None,
                    values[p], positions.index(p))

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
