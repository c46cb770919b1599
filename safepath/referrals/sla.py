"""Working-day arithmetic for triage deadlines. Pure functions, no Django.

A referral's age is the number of working days after the day it arrived, up to and
including today: one that came in on a Friday evening is 1 working day old on the
Monday. It is overdue once its age is more than its risk level's SLA (TriageSla): with a
1-day SLA, Monday's referral is due by the end of Tuesday and overdue on Wednesday.

Working days exclude weekends and England and Wales bank holidays. The holidays come
from `govuk-bank-holidays`' bundled copy only (`use_cached_holidays=True`): safepath
never downloads anything at run time. The bundled list ends in the year printed by
`holidays_known_until()`; upgrading the package extends it.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import lru_cache

ONE_DAY = timedelta(days=1)
# Far more than any SLA; stops a loop if someone configures a silly number of days.
MAX_SCAN_DAYS = 3660


@lru_cache(maxsize=1)
def england_and_wales_holidays() -> frozenset[date]:
    """England and Wales bank holidays from the package's bundled data (never downloaded)."""
    from govuk_bank_holidays.bank_holidays import BankHolidays

    holidays = BankHolidays(use_cached_holidays=True)
    return frozenset(h["date"] for h in holidays.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


def holidays_known_until() -> date:
    return max(england_and_wales_holidays())


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def working_days_between(start: date, end: date, holidays: Collection[date]) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not after `start`)."""
    if end <= start:
        return 0
    whole_weeks, extra = divmod((end - start).days, 7)
    count = whole_weeks * 5
    day = start + timedelta(days=whole_weeks * 7)
    for _ in range(extra):
        day += ONE_DAY
        count += day.weekday() < 5
    return count - sum(1 for h in holidays if start < h <= end and h.weekday() < 5)


def add_working_days(start: date, days: int, holidays: Collection[date]) -> date:
    """The day that is `days` working days after `start` (`start` itself when days is 0)."""
    day = start
    remaining = days
    for _ in range(MAX_SCAN_DAYS):
        if remaining <= 0:
            return day
        day += ONE_DAY
        remaining -= is_working_day(day, holidays)
    raise ValueError("too many working days")


def overdue_before(today: date, sla_days: int, holidays: Collection[date]) -> date:
    """Referrals that arrived on a day before the returned date are overdue today.

    Age > sla_days means at least sla_days + 1 working days fall after the arrival day,
    up to today; so the arrival day must be before the (sla_days + 1)-th most recent
    working day on or before today.
    """
    day = today
    found = 0
    for _ in range(MAX_SCAN_DAYS):
        if is_working_day(day, holidays):
            found += 1
            if found == sla_days + 1:
                return day
        day -= ONE_DAY
    raise ValueError("too many working days")


def is_overdue(received: date, today: date, sla_days: int, holidays: Collection[date]) -> bool:
    return working_days_between(received, today, holidays) > sla_days
