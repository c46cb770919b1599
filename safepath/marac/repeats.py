"""Repeat MARAC referrals ("flag and tag"): pure rules, no Django (DOMAIN.md, criterion 4).

A MARAC referral is a repeat when the person had an earlier MARAC referral and this one comes
within the window (default 12 calendar months) of the *last* of them, whatever the risk score.
The window boundary matches `safepath.risk.rules.within_months_before`: a referral exactly
12 calendar months after the last one is still a repeat; one day later it is not.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, datetime

DEFAULT_WINDOW_MONTHS = 12


def months_before(moment: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def last_before(received: date | datetime, earlier: Iterable[date | datetime]) -> date | datetime | None:
    """The latest of `earlier` strictly before `received`, or None."""
    return max((when for when in earlier if when < received), default=None)


def is_repeat(
    received: date | datetime,
    earlier: Iterable[date | datetime],
    *,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> bool:
    """True when the last earlier MARAC referral is no more than `window_months` before `received`."""
    if window_months < 1:
        raise ValueError("the repeat window must be at least one month")
    last = last_before(received, earlier)
    if last is None:
        return False
    return months_before(received, window_months) <= last < received


def flag_repeats(
    referrals: Iterable[tuple[object, date | datetime]],
    history: Iterable[date | datetime] = (),
    *,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> dict[object, bool]:
    """For one person's referrals (key, received), in any order, whether each is a repeat of an
    earlier one in `history` or among themselves."""
    seen = sorted(history)
    flags: dict[object, bool] = {}
    for key, received in sorted(referrals, key=lambda item: item[1]):
        flags[key] = is_repeat(received, seen, window_months=window_months)
        seen.append(received)
    return flags
