"""Reporting periods: whole days in local time (Europe/London), first and last day included.

Pure helpers (no database). A period runs from 00:00 local time on its first day to 00:00 on
the day after its last day, so a referral received at 23:30 on 31 March belongs to March.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise ValueError("A period must start on or before its last day.")

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=LOCAL)

    @property
    def end(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=LOCAL)

    def months(self) -> list[date]:
        """The first day of every calendar month the period touches, in order."""
        out, day = [], self.first.replace(day=1)
        while day <= self.last:
            out.append(day)
            day = (day + timedelta(days=32)).replace(day=1)
        return out


def quarter_of(day: date) -> Period:
    """The calendar quarter containing `day`."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    first = date(day.year, first_month, 1)
    last = (first + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    return Period(first, last)


def previous_quarter(day: date) -> Period:
    """The last complete calendar quarter before `day`'s quarter."""
    return quarter_of(quarter_of(day).first - timedelta(days=1))


def financial_year_of(day: date) -> Period:
    """The UK financial year (1 April to 31 March) containing `day`."""
    year = day.year if day.month >= 4 else day.year - 1
    return Period(date(year, 4, 1), date(year + 1, 3, 31))


def age_band_bounds(on: date, low: int, high: int | None) -> tuple[date | None, date]:
    """Dates of birth giving an age from `low` to `high` (inclusive) on `on`: born after the
    first date (None: no lower limit) and on or before the second."""
    latest = _years_before(on, low)
    earliest = None if high is None else _years_before(on, high + 1)
    return earliest, latest


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)
