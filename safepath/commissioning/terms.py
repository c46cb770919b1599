"""Contract terms: dates of extension periods and their decision deadlines. Pure: no Django imports."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(start: date, months: int) -> date:
    """The last day of a term of `months` starting on `start` (a 1 Apr start runs to 31 Mar)."""
    return add_months(start, months) - timedelta(days=1)


@dataclass(frozen=True)
class Period:
    sequence: int
    starts: date
    ends: date
    deadline: date  # the decision must be taken by this day


def option_periods(initial_end: date, months: list[int], lead_days: int) -> list[Period]:
    """Each extension option's period if every option before it is taken, and the day by which
    it must be decided: `lead_days` before the end of the term it would extend."""
    periods = []
    end = initial_end
    for sequence, length in enumerate(months, start=1):
        starts = end + timedelta(days=1)
        periods.append(Period(sequence, starts, term_end(starts, length), end - timedelta(days=lead_days)))
        end = periods[-1].ends
    return periods


def financial_year(day: date) -> int:
    """The UK public-sector financial year (1 April to 31 March) a day falls in, by its first year."""
    return day.year if day.month >= 4 else day.year - 1


def financial_year_label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def quarter_of(day: date) -> int:
    """Quarter 1 is April to June."""
    return (day.month - 4) % 12 // 3 + 1
