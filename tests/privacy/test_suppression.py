"""Small-cell suppression: every cell below k is hidden and no hidden cell follows from the totals (R3)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from merkwacht.core.suppression import suppress


def _published(table):
    """Every figure of the table as {position: Cell}, totals included."""
    out = {}
    for i, row in enumerate(table.cells):
        for j, c in enumerate(row):
            out[(i, j)] = c
        out[(i, None)] = table.row_totals[i]
    for j, c in enumerate(table.column_totals):
        out[(None, j)] = c
    out[(None, None)] = table.total
    return out


def _truth(counts):
    n, m = len(counts), len(counts[0])
    t = {(i, j): counts[i][j] for i in range(n) for j in range(m)}
    for i in range(n):
        t[(i, None)] = sum(counts[i])
    for j in range(m):
        t[(None, j)] = sum(counts[i][j] for i in range(n))
    t[(None, None)] = sum(sum(r) for r in counts)
    return t


def _recoverable(counts, table):
    """An independent oracle (floating-point rank, not the module's own elimination).

    The attacker knows the published figures and which hidden cells are zero; a hidden non-zero
    cell is recoverable iff adding its unit vector does not raise the rank of the system restricted
    to the hidden non-zero cells.
    """
    n, m = len(counts), len(counts[0])
    truth = _truth(counts)
    pub = _published(table)
    unknown = [p for p, c in pub.items() if c.suppressed and truth[p] > 0]
    if not unknown:
        return []
    rows = []
    for i in range(n):
        rows.append({**{(i, j): 1 for j in range(m)}, (i, None): -1})
    for j in range(m):
        rows.append({**{(i, j): 1 for i in range(n)}, (None, j): -1})
    rows.append({**{(i, None): 1 for i in range(n)}, (None, None): -1})
    rows.append({**{(None, j): 1 for j in range(m)}, (None, None): -1})
    a = np.array([[eq.get(p, 0) for p in unknown] for eq in rows], dtype=float)
    rank = np.linalg.matrix_rank(a)
    found = []
    for idx, p in enumerate(unknown):
        e = np.zeros((1, len(unknown)))
        e[0, idx] = 1
        if np.linalg.matrix_rank(np.vstack([a, e])) == rank:
            found.append(p)
    return found


def _ranges(counts, table):
    """Second oracle, by linear programming (scipy's HiGHS): the interval of values each hidden non-zero cell can
    take when the attacker also knows that hidden cells are positive. A single point means it is recovered."""
    from scipy.optimize import linprog

    n, m = len(counts), len(counts[0])
    truth = _truth(counts)
    pub = _published(table)
    unknown = [p for p, c in pub.items() if c.suppressed and truth[p] > 0]
    lines = []
    for i in range(n):
        lines.append({**{(i, j): 1 for j in range(m)}, (i, None): -1})
    for j in range(m):
        lines.append({**{(i, j): 1 for i in range(n)}, (None, j): -1})
    lines.append({**{(i, None): 1 for i in range(n)}, (None, None): -1})
    lines.append({**{(None, j): 1 for j in range(m)}, (None, None): -1})
    a, b = [], []
    for eq in lines:
        if any(p in unknown for p in eq):
            a.append([eq.get(p, 0) for p in unknown])
            b.append(-sum(c * truth[p] for p, c in eq.items() if p not in unknown))
    out = {}
    for idx, p in enumerate(unknown):
        c = [0] * len(unknown)
        c[idx] = 1
        low = linprog(c, A_eq=a, b_eq=b, bounds=(1, None), method="highs")
        c[idx] = -1
        high = linprog(c, A_eq=a, b_eq=b, bounds=(1, None), method="highs")
        assert low.status == 0  # the truth is feasible
        out[p] = (low.fun, None if high.status == 3 else -high.fun)
    return out


tables = st.integers(1, 5).flatmap(
    lambda n: st.integers(1, 5).flatmap(
        lambda m: st.lists(
            st.lists(st.one_of(st.integers(0, 6), st.integers(0, 40)), min_size=m, max_size=m),
            min_size=n, max_size=n,
        )
    )
)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counts=tables, k=st.integers(2, 8))
def test_every_small_cell_is_hidden_and_none_is_recoverable(counts, k):
    table = suppress(counts, k=k)
    truth = _truth(counts)
    pub = _published(table)
    for p, c in pub.items():
        if 0 < truth[p] < k:
            assert c.suppressed and c.value is None and c.reason == "primary", (p, truth[p])
        if not c.suppressed:
            assert c.value == truth[p]  # what is shown is true
    assert _recoverable(counts, table) == []
    for p, (low, high) in _ranges(counts, table).items():
        assert high is None or high - low >= 1 - 1e-6, (p, low, high)


def test_a_lone_small_cell_gets_a_complement():
    table = suppress([[2, 10], [7, 9]], k=5)
    assert table.cells[0][0].suppressed and table.cells[0][0].reason == "primary"
    # row 0 would give 12 - 10 = 2: something else in row 0 and column 0 must be hidden too
    assert table.cells[0][1].suppressed or table.row_totals[0].suppressed
    assert table.cells[1][0].suppressed or table.column_totals[0].suppressed
    assert table.suppressed_count >= 4


def test_no_small_cells_means_nothing_hidden():
    table = suppress([[5, 10], [7, 0]], k=5)
    assert table.suppressed_count == 0
    assert table.total.value == 22


def test_positive_counts_cannot_pin_a_hidden_cell():
    """Two hidden cells that must both be at least 1 and add up to 2 would both be 1: more is hidden."""
    table = suppress([[6, 2, 1], [0, 0, 3], [0, 0, 1]], k=2, keep_columns=(0, 1))
    assert table.cells[0][2].suppressed and table.cells[2][2].suppressed
    assert table.cells[1][2].suppressed  # the 3 is hidden too, so 1 + 3 + 1 = 5 leaves each 1..3
    assert [c.value for c in table.cells[0][:2]] == [6, 2]  # precision stays computable


def test_zero_is_shown():
    table = suppress([[0, 9], [8, 6]], k=5)
    assert table.cells[0][0].value == 0 and not table.cells[0][0].suppressed
