"""Period arithmetic (pure) and server-drawn charts."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepath.reporting import charts
from safepath.reporting.periods import Period, age_band_bounds, financial_year_of, previous_quarter, quarter_of


def test_it_finds_quarters_and_financial_years():
    assert quarter_of(date(2025, 5, 17)) == Period(date(2025, 4, 1), date(2025, 6, 30))
    assert previous_quarter(date(2025, 1, 3)) == Period(date(2024, 10, 1), date(2024, 12, 31))
    assert financial_year_of(date(2018, 3, 31)) == Period(date(2017, 4, 1), date(2018, 3, 31))


def test_it_refuses_a_period_that_ends_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2025, 2, 1), date(2025, 1, 31))


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_it_puts_every_day_in_a_quarter_of_about_three_months(day):
    quarter = quarter_of(day)
    assert quarter.first <= day <= quarter.last
    assert len(quarter.months()) == 3 and quarter.first.day == 1


@given(
    st.dates(min_value=date(1920, 1, 1), max_value=date(2020, 12, 31)),
    st.dates(min_value=date(2021, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=0, max_value=90),
)
def test_it_bands_ages_as_a_birthday_would(born, on, low):
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    earliest, latest = age_band_bounds(on, low, low + 4)
    inside = born <= latest and (earliest is None or born > earliest)
    assert inside == (low <= age <= low + 4)


def test_it_draws_svg_with_ids_of_its_own_and_nothing_from_elsewhere():
    one = charts.bar_chart("one", "First", ["a", "b"], [3, None])
    two = charts.line_chart("two", "Second", ["Apr", "May"], {"x": [1, 2]})
    ids_one = set(re.findall(r'id="([^"]+)"', one))
    ids_two = set(re.findall(r'id="([^"]+)"', two))
    assert ids_one and ids_two and not ids_one & ids_two
    assert all(i.startswith("one-") for i in ids_one)
    for svg in (one, two):
        assert svg.startswith("<svg") and 'role="img"' in svg
        assert not re.search(r'(href|src)="https?:', svg)  # nothing fetched from elsewhere
        assert "<metadata>" not in svg


def test_it_draws_png_for_documents():
    assert charts.stacked_bar_chart("s", "Parts", ["q"], {"a": [1], "b": [None]}, "png")[:4] == b"\x89PNG"
