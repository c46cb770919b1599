"""Disclosure control: the one function every commissioner-facing figure goes through.

DOMAIN.md: counts that could identify people are suppressed in anything a commissioner or the
public sees. Three rules, applied the same way on screens and in every export:

1. *Primary suppression*: a count from 1 to threshold − 1 is hidden (shown as "<10" with the
   default threshold of 10). Zero is shown: it identifies no one.
2. *Secondary suppression*: a table that shows totals must not let a hidden cell be worked out
   from what is shown. After primary suppression we test every hidden value: if the shown cells
   and totals determine it (it is fixed by the linear equations "cells add up to their total"),
   another cell in one of its lines is hidden too, the smallest non-zero one, cells before totals,
   and the test runs again until no hidden value can be recovered.
3. *Rates on small bases*: a percentage whose base is under the threshold, or whose numerator or
   base is hidden, is not shown.

A `Figure` never keeps a hidden value, so a template or export cannot leak it by mistake.

The recovery test is exact linear algebra over the table's equations (a hidden value is
recoverable exactly when its column is independent of the other hidden columns of the
constraint matrix, i.e. every vector in the null space is zero there). Tables here are small
(areas × months at most), so a singular value decomposition per round costs microseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

_EPSILON = 1e-9


def threshold() -> int:
    """The configured threshold (settings.SAFEPATH_SUPPRESSION_THRESHOLD, default 10)."""
    from django.conf import settings

    return int(getattr(settings, "SAFEPATH_SUPPRESSION_THRESHOLD", 10))


@dataclass(frozen=True)
class Figure:
    """A count as it may be shown: its value, or nothing when it is hidden."""

    value: int | None
    suppressed: bool
    limit: int = 10

    @property
    def text(self) -> str:
        """For CSV and screens: "123", or "<10" when hidden."""
        return f"<{self.limit}" if self.suppressed else str(self.value)

    @property
    def display(self) -> str:
        """For screens: thousands separated ("4,727"), or "<10"."""
        return f"<{self.limit}" if self.suppressed else f"{self.value:,}"

    @property
    def json(self) -> int | str:
        """INTERFACES.md: an integer, or the string "<10" when hidden."""
        return f"<{self.limit}" if self.suppressed else int(self.value or 0)

    def __str__(self) -> str:
        return self.display


def shown(value: int, limit: int | None = None) -> Figure:
    """A figure shown as it is (service staff's own figures, or suppression turned off)."""
    return Figure(int(value), False, limit or threshold())


def _small(value: int, limit: int) -> bool:
    return 0 < value < limit


def suppress_count(n: int, *, limit: int | None = None, suppress: bool = True) -> Figure:
    """A standalone count: hidden when it is 1 to threshold − 1."""
    limit = limit or threshold()
    if suppress and _small(int(n), limit):
        return Figure(None, True, limit)
    return Figure(int(n), False, limit)


def suppress_rate(numerator: Figure, base: Figure, *, digits: int = 3) -> float | None:
    """numerator / base as a fraction, or None when either is hidden, the base is zero, or
    the base is under the threshold (a percentage of a handful of people identifies them)."""
    if numerator.suppressed or base.suppressed or not base.value:
        return None
    if base.value < base.limit:
        return None
    return round((numerator.value or 0) / base.value, digits)


def rate_unsuppressed(numerator: int, base: int, *, digits: int = 3) -> float | None:
    """The same rate for figures shown as they are: None only when the base is zero."""
    return round(numerator / base, digits) if base else None


@dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[Figure]]
    row_totals: list[Figure]  # empty when the table shows no row totals
    col_totals: list[Figure]  # empty when the table shows no column totals
    grand_total: Figure | None  # None when the table shows no totals at all


def suppress_table(
    matrix: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    col_totals: bool = True,
    limit: int | None = None,
    suppress: bool = True,
) -> SuppressedTable:
    """Suppress a table of counts with its totals (the totals are computed here, from the cells).

    The grand total is shown when either kind of total is.
    """
    limit = limit or threshold()
    grid = [[int(v) for v in row] for row in matrix]
    n_rows = len(grid)
    n_cols = len(grid[0]) if grid else 0
    if any(len(row) != n_cols for row in grid):
        raise ValueError("every row of the table must have the same number of cells")
    layout = _Layout(n_rows, n_cols, row_totals, col_totals)
    values = layout.values(grid)
    hidden = _suppressed(values, layout, limit) if suppress else set()

    def figure(index: int) -> Figure:
        return Figure(None, True, limit) if index in hidden else Figure(values[index], False, limit)

    return SuppressedTable(
        cells=[[figure(layout.cell(i, j)) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[figure(layout.row_total(i)) for i in range(n_rows)] if row_totals else [],
        col_totals=[figure(layout.col_total(j)) for j in range(n_cols)] if col_totals else [],
        grand_total=figure(layout.grand) if layout.grand is not None else None,
    )


def suppress_series(
    counts: Mapping[str, int], *, total: bool = True, limit: int | None = None, suppress: bool = True
) -> tuple[dict[str, Figure], Figure | None]:
    """A one-dimensional breakdown (by risk, by source, …) and its total."""
    keys = list(counts)
    if not keys:
        return {}, (shown(0, limit) if total else None)
    table = suppress_table(
        [[counts[k] for k in keys]], row_totals=total, col_totals=False, limit=limit, suppress=suppress
    )
    return dict(zip(keys, table.cells[0], strict=True)), (table.row_totals[0] if total else None)


class _Layout:
    """Numbers every value of a table (cells, then row totals, column totals, grand total) and
    writes the equations that tie them: each line of cells adds up to its total."""

    def __init__(self, n_rows: int, n_cols: int, row_totals: bool, col_totals: bool) -> None:
        self.n_rows, self.n_cols = n_rows, n_cols
        self.row_totals, self.col_totals = row_totals, col_totals
        self._row_base = n_rows * n_cols
        self._col_base = self._row_base + (n_rows if row_totals else 0)
        end = self._col_base + (n_cols if col_totals else 0)
        self.grand: int | None = end if (row_totals or col_totals) else None
        self.size = end + (1 if self.grand is not None else 0)

    def cell(self, i: int, j: int) -> int:
        return i * self.n_cols + j

    def row_total(self, i: int) -> int:
        return self._row_base + i

    def col_total(self, j: int) -> int:
        return self._col_base + j

    def is_cell(self, index: int) -> bool:
        return index < self._row_base

    def values(self, grid: list[list[int]]) -> list[int]:
        out = [v for row in grid for v in row]
        if self.row_totals:
            out += [sum(row) for row in grid]
        if self.col_totals:
            out += [sum(grid[i][j] for i in range(self.n_rows)) for j in range(self.n_cols)]
        if self.grand is not None:
            out.append(sum(sum(row) for row in grid))
        return out

    def equations(self) -> list[list[tuple[int, int]]]:
        """Each equation as (variable, coefficient) pairs summing to zero."""
        eqs: list[list[tuple[int, int]]] = []
        if self.row_totals:
            for i in range(self.n_rows):
                eqs.append([(self.cell(i, j), 1) for j in range(self.n_cols)] + [(self.row_total(i), -1)])
        if self.col_totals:
            for j in range(self.n_cols):
                eqs.append([(self.cell(i, j), 1) for i in range(self.n_rows)] + [(self.col_total(j), -1)])
        if self.grand is not None:
            if self.row_totals:
                eqs.append([(self.row_total(i), 1) for i in range(self.n_rows)] + [(self.grand, -1)])
            if self.col_totals:
                eqs.append([(self.col_total(j), 1) for j in range(self.n_cols)] + [(self.grand, -1)])
        return eqs


def _suppressed(values: list[int], layout: _Layout, limit: int) -> set[int]:
    hidden = {k for k, v in enumerate(values) if _small(v, limit)}
    if not hidden:
        return hidden
    equations = layout.equations()
    if not equations:
        return hidden
    matrix = np.zeros((len(equations), layout.size))
    for row, eq in enumerate(equations):
        for var, coefficient in eq:
            matrix[row, var] = coefficient
    while True:
        exposed = recoverable(matrix, sorted(hidden))
        if not exposed:
            return hidden
        hidden.add(_next_to_hide(exposed[0], values, hidden, equations, layout))


def recoverable(matrix: np.ndarray, hidden: list[int]) -> list[int]:
    """Hidden variables whose values the shown ones determine (zero in every null-space vector)."""
    if not hidden:
        return []
    sub = matrix[:, hidden]
    if not sub.any():
        return []
    _, singular, vt = np.linalg.svd(sub)
    rank = int((singular > _EPSILON).sum())
    null_space = vt[rank:]  # rows span the null space of sub
    if null_space.shape[0] == 0:
        return list(hidden)
    weights = np.abs(null_space).max(axis=0)
    return [var for var, w in zip(hidden, weights, strict=True) if w < _EPSILON]


def _next_to_hide(
    exposed: int, values: list[int], hidden: set[int], equations: list[list[tuple[int, int]]], layout: _Layout
) -> int:
    """The value to hide beside an exposed one: in a line it belongs to, the smallest non-zero
    cell (totals only when no cell will do); anywhere in the table as a last resort."""
    lines = [eq for eq in equations if any(var == exposed for var, _ in eq)]
    candidates = {var for eq in lines for var, _ in eq if var not in hidden}
    if not candidates:
        candidates = {k for k in range(len(values)) if k not in hidden}

    def preference(var: int) -> tuple[int, int, int, int]:
        return (0 if layout.is_cell(var) else 1, 0 if values[var] > 0 else 1, values[var], var)

    return min(candidates, key=preference)
