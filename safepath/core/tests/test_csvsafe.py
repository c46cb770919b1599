import csv
import io

import pytest

from safepath.core.csvsafe import safe_cell, safe_row, write_csv


@pytest.mark.parametrize("value", ["=1+1", "+44 7700 900000", "-5", "@SUM(A1)", '=HYPERLINK("http://x")', "\tx", "\rx"])
def test_it_makes_formula_cells_text(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "expected"), [("Jane", "Jane"), ("", ""), (None, ""), (12, "12"), ("a=b", "a=b"), ("O'Brien", "O'Brien")]
)
def test_it_leaves_other_cells_alone(value, expected):
    assert safe_cell(value) == expected


def test_it_escapes_negative_numbers_too_as_the_contract_says():
    assert safe_row([-3, 4]) == ["'-3", "4"]


def test_it_writes_a_safe_csv_from_sequences_and_mappings():
    out = io.StringIO(newline="")
    write_csv(out, ["name", "=total"], [["=cmd()", 1], {"name": "@me", "=total": "+2"}])
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows == [["name", "'=total"], ["'=cmd()", "1"], ["'@me", "'+2"]]
    assert out.getvalue().endswith("\r\n")
