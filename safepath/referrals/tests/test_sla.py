"""Working days for triage deadlines: weekends and England and Wales bank holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from safepath.referrals import sla
from safepath.referrals.presenters import referral_age

LONDON = ZoneInfo("Europe/London")
HOLIDAYS = sla.england_and_wales_holidays()
SLAS = {"high": 1, "medium": 2, "standard": 5}


def test_it_reads_the_bundled_bank_holidays_and_never_downloads(monkeypatch):
    import requests

    def no_network(*args, **kwargs):
        raise AssertionError("safepath must not download bank holidays")

    monkeypatch.setattr(requests, "get", no_network)
    sla.england_and_wales_holidays.cache_clear()
    try:
        holidays = sla.england_and_wales_holidays()
    finally:
        sla.england_and_wales_holidays.cache_clear()
    assert date(2026, 12, 25) in holidays and date(2026, 12, 28) in holidays  # Boxing Day falls on a Saturday
    assert date(2026, 4, 3) in holidays and date(2026, 4, 6) in holidays  # Good Friday, Easter Monday
    assert date(2026, 8, 31) in holidays  # England and Wales summer bank holiday, not Scotland's
    assert sla.holidays_known_until() >= date(2027, 12, 31)


def test_it_counts_working_days_after_the_day_received():
    monday = date(2026, 3, 9)
    assert sla.working_days_between(monday, monday, HOLIDAYS) == 0
    assert sla.working_days_between(monday, monday + timedelta(days=1), HOLIDAYS) == 1
    assert sla.working_days_between(monday, monday + timedelta(days=7), HOLIDAYS) == 5


def test_it_skips_the_weekend():
    friday, monday = date(2026, 3, 13), date(2026, 3, 16)
    assert sla.working_days_between(friday, monday, HOLIDAYS) == 1
    saturday = date(2026, 3, 14)
    assert sla.working_days_between(saturday, monday, HOLIDAYS) == 1
    assert sla.add_working_days(friday, 1, HOLIDAYS) == monday


def test_it_skips_christmas_and_the_substitute_boxing_day():
    christmas_eve = date(2026, 12, 24)  # a Thursday; 25th Friday, Boxing Day Saturday → Monday 28th off
    assert sla.working_days_between(christmas_eve, date(2026, 12, 28), HOLIDAYS) == 0
    assert sla.working_days_between(christmas_eve, date(2026, 12, 29), HOLIDAYS) == 1
    assert sla.add_working_days(christmas_eve, 1, HOLIDAYS) == date(2026, 12, 29)
    assert sla.add_working_days(christmas_eve, 3, HOLIDAYS) == date(2026, 12, 31)
    assert sla.add_working_days(christmas_eve, 4, HOLIDAYS) == date(2027, 1, 4)  # New Year's Day is a Friday


def test_it_skips_easter():
    maundy_thursday = date(2026, 4, 2)
    assert sla.add_working_days(maundy_thursday, 1, HOLIDAYS) == date(2026, 4, 7)
    assert sla.working_days_between(maundy_thursday, date(2026, 4, 6), HOLIDAYS) == 0


def test_it_finds_the_day_before_which_a_referral_is_overdue():
    wednesday = date(2026, 3, 11)
    # 1 working day allowed: Monday's referral is due by the end of Tuesday, overdue on Wednesday.
    assert sla.overdue_before(wednesday, 1, HOLIDAYS) == date(2026, 3, 10)
    assert sla.is_overdue(date(2026, 3, 9), wednesday, 1, HOLIDAYS)
    assert not sla.is_overdue(date(2026, 3, 10), wednesday, 1, HOLIDAYS)
    # Over Christmas: on 29 December, a referral from 23 December is 2 working days old.
    assert sla.overdue_before(date(2026, 12, 29), 1, HOLIDAYS) == date(2026, 12, 24)


@given(
    start=st.dates(min_value=date(2015, 1, 1), max_value=date(2028, 12, 31)),
    days=st.integers(min_value=0, max_value=400),
    sla_days=st.integers(min_value=0, max_value=20),
)
def test_it_agrees_with_counting_day_by_day(start, days, sla_days):
    end = start + timedelta(days=days)
    slow = sum(1 for n in range(1, days + 1) if sla.is_working_day(start + timedelta(days=n), HOLIDAYS))
    assert sla.working_days_between(start, end, HOLIDAYS) == slow
    cutoff = sla.overdue_before(end, sla_days, HOLIDAYS)
    assert sla.is_overdue(start, end, sla_days, HOLIDAYS) == (start < cutoff)
    due = sla.add_working_days(start, sla_days, HOLIDAYS)
    assert sla.working_days_between(start, due, HOLIDAYS) == sla_days


@pytest.mark.parametrize(
    ("received", "now", "level", "age", "overdue"),
    [
        # A high-risk referral on a Friday evening is 1 working day old on Monday: not yet overdue.
        (datetime(2026, 3, 13, 18, 30), datetime(2026, 3, 16, 9, 0), "high", 1, False),
        (datetime(2026, 3, 13, 18, 30), datetime(2026, 3, 17, 9, 0), "high", 2, True),
        # Christmas: received on Christmas Eve, still on time on 29 December for medium risk.
        (datetime(2026, 12, 24, 10, 0), datetime(2026, 12, 29, 12, 0), "medium", 1, False),
        (datetime(2026, 12, 24, 10, 0), datetime(2026, 12, 31, 12, 0), "medium", 3, True),
        # Easter: standard risk on the Thursday before Good Friday.
        (datetime(2026, 4, 2, 10, 0), datetime(2026, 4, 13, 10, 0), "standard", 5, False),
        (datetime(2026, 4, 2, 10, 0), datetime(2026, 4, 14, 10, 0), "standard", 6, True),
    ],
)
def test_it_ages_a_referral_against_its_sla_with_a_frozen_clock(received, now, level, age, overdue):
    with time_machine.travel(now.replace(tzinfo=LONDON), tick=False):
        from django.utils import timezone

        result = referral_age(received.replace(tzinfo=LONDON), level, SLAS, timezone.localdate())
    assert (result.working_days, result.overdue) == (age, overdue)


def test_it_uses_the_london_date_of_a_referral_received_just_after_midnight():
    # 00:30 on Monday in London (summer time) is still Sunday in UTC; the London date counts.
    received = datetime(2026, 6, 8, 0, 30, tzinfo=LONDON)
    assert received.astimezone(ZoneInfo("UTC")).date() == date(2026, 6, 7)
    with time_machine.travel(datetime(2026, 6, 9, 12, 0, tzinfo=LONDON), tick=False):
        from django.utils import timezone

        result = referral_age(received, "high", SLAS, timezone.localdate())
    assert result.working_days == 1 and not result.overdue
