"""Disclosure control. The property tests check recoverability with exact rational arithmetic,
independently of the floating-point method the module uses."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safepath.reporting.disclosure import (
    Figure,
    suppress_count,
    suppress_rate,
    suppress_series,
    suppress_table,
)

LIMIT = 10


def test_it_hides_counts_from_one_to_nine_and_shows_zero_and_ten():
    assert suppress_count(0, limit=LIMIT).json == 0
    assert suppress_count(1, limit=LIMIT).json == "<10"
    assert suppress_count(9, limit=LIMIT).json == "<10"
    assert suppress_count(10, limit=LIMIT).json == 10


def test_it_keeps_no_hidden_value():
    figure = suppress_count(4, limit=LIMIT)
    assert figure.value is None and figure.suppressed
    assert figure.text == "<10" and figure.display == "<10"


def test_it_shows_everything_when_suppression_is_off():
    table = suppress_table([[3, 40]], suppress=False, limit=LIMIT)
    assert [c.json for c in table.cells[0]] == [3, 40]


def test_it_uses_the_configured_threshold(settings):
    settings.SAFEPATH_SUPPRESSION_THRESHOLD = 5
    assert suppress_count(6).json == 6
    assert suppress_count(4).json == "<5"


def test_it_hides_rates_on_small_or_hidden_bases():
    assert suppress_rate(Figure(3, False, LIMIT), Figure(9, False, LIMIT)) is None
    assert suppress_rate(Figure(None, True, LIMIT), Figure(40, False, LIMIT)) is None
    assert suppress_rate(Figure(0, False, LIMIT), Figure(0, False, LIMIT)) is None
    assert suppress_rate(Figure(10, False, LIMIT), Figure(30, False, LIMIT)) == 0.333


def test_it_hides_a_second_cell_when_one_could_be_worked_out_from_the_total():
    by_risk, total = suppress_series({"standard": 40, "medium": 25, "high": 3}, limit=LIMIT)
    assert by_risk["high"].suppressed
    assert by_risk["medium"].suppressed  # the smallest other cell
    assert not by_risk["standard"].suppressed
    assert total is not None and total.json == 68


def test_it_hides_the_total_when_the_only_cell_is_hidden():
    by_risk, total = suppress_series({"high": 3}, limit=LIMIT)
    assert by_risk["high"].suppressed and total is not None and total.suppressed


def test_it_shows_a_series_of_large_counts_untouched():
    by_source, total = suppress_series({"police": 120, "gp": 15}, limit=LIMIT)
    assert [f.json for f in by_source.values()] == [120, 15] and total is not None and total.json == 135


def test_it_rejects_a_ragged_table():
    with pytest.raises(ValueError, match="same number of cells"):
        suppress_table([[1, 2], [3]])


def _variables(table, rows: int, cols: int, row_totals: bool, col_totals: bool) -> list:
    out = [table.cells[i][j] for i in range(rows) for j in range(cols)]
    out += table.row_totals if row_totals else []
    out += table.col_totals if col_totals else []
    out += [table.grand_total] if table.grand_total is not None else []
    return out


def _equations(rows: int, cols: int, row_totals: bool, col_totals: bool) -> list[dict[int, int]]:
    cell = lambda i, j: i * cols + j  # noqa: E731
    row_base = rows * cols
    col_base = row_base + (rows if row_totals else 0)
    grand = col_base + (cols if col_totals else 0)
    eqs = []
    if row_totals:
        eqs += [{**{cell(i, j): 1 for j in range(cols)}, row_base + i: -1} for i in range(rows)]
        eqs.append({**{row_base + i: 1 for i in range(rows)}, grand: -1})
    if col_totals:
        eqs += [{**{cell(i, j): 1 for i in range(rows)}, col_base + j: -1} for j in range(cols)]
        eqs.append({**{col_base + j: 1 for j in range(cols)}, grand: -1})
    return eqs


def _determined(equations: list[dict[int, int]], hidden: list[int]) -> set[int]:
    """Hidden variables fixed by the equations: reduce the system over the hidden variables to
    row echelon form with fractions; a variable is fixed when some row of the reduced row
    echelon form has it as its only non-zero entry."""
    rows = [[Fraction(eq.get(v, 0)) for v in hidden] for eq in equations]
    pivot_row = 0
    for col in range(len(hidden)):
        pivot = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if pivot is None:
            continue
        rows[pivot_row], rows[pivot] = rows[pivot], rows[pivot_row]
        lead = rows[pivot_row][col]
        rows[pivot_row] = [x / lead for x in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivot_row += 1
    fixed = set()
    for row in rows:
        nonzero = [k for k, x in enumerate(row) if x != 0]
        if len(nonzero) == 1:
            fixed.add(hidden[nonzero[0]])
    return fixed


tables = st.integers(min_value=1, max_value=5).flatmap(
    lambda rows: st.integers(min_value=1, max_value=5).flatmap(
        lambda cols: st.lists(
            st.lists(st.integers(min_value=0, max_value=40), min_size=cols, max_size=cols),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(matrix=tables, row_totals=st.booleans(), col_totals=st.booleans())
def test_no_hidden_value_can_be_recovered_from_what_is_shown(matrix, row_totals, col_totals):
    rows, cols = len(matrix), len(matrix[0])
    table = suppress_table(matrix, row_totals=row_totals, col_totals=col_totals, limit=LIMIT)
    figures = _variables(table, rows, cols, row_totals, col_totals)
    hidden = [k for k, f in enumerate(figures) if f.suppressed]
    assert not _determined(_equations(rows, cols, row_totals, col_totals), hidden)


@settings(max_examples=300, deadline=None)
@given(matrix=tables, row_totals=st.booleans(), col_totals=st.booleans())
def test_every_small_count_is_hidden_and_every_shown_figure_is_true(matrix, row_totals, col_totals):
    table = suppress_table(matrix, row_totals=row_totals, col_totals=col_totals, limit=LIMIT)
    for i, row in enumerate(matrix):
        for j, value in enumerate(row):
            figure = table.cells[i][j]
            assert figure.suppressed or figure.value == value
            assert not (0 < value < LIMIT) or figure.suppressed
    for i, figure in enumerate(table.row_totals):
        assert figure.suppressed or figure.value == sum(matrix[i])
    for j, figure in enumerate(table.col_totals):
        assert figure.suppressed or figure.value == sum(r[j] for r in matrix)
    if table.grand_total is not None and not table.grand_total.suppressed:
        assert table.grand_total.value == sum(map(sum, matrix))
