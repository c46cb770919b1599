"""Repeat detection at the 12-month boundary: the pure rule and the service intake calls."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from hypothesis import given
from hypothesis import strategies as st

from safepath.marac import repeats
from safepath.marac.models import MaracReferral
from safepath.marac.services import marac_referrals_from_referrals
from safepath.marac.tests import factories as f
from safepath.testing import AreaFactory

LONDON = ZoneInfo("Europe/London")
LAST = datetime(2025, 3, 15, 10, 0, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (datetime(2026, 3, 14, 10, 0, tzinfo=LONDON), True),  # a day inside
        (datetime(2026, 3, 15, 10, 0, tzinfo=LONDON), True),  # exactly 12 months
        (datetime(2026, 3, 16, 10, 0, tzinfo=LONDON), False),  # a day outside
        (datetime(2025, 3, 15, 10, 0, tzinfo=LONDON), False),  # the same referral is not its own repeat
        (datetime(2025, 3, 15, 10, 1, tzinfo=LONDON), True),
    ],
)
def test_it_flags_a_repeat_within_12_months_of_the_last_marac_referral(received: datetime, expected: bool) -> None:
    assert repeats.is_repeat(received, [LAST]) is expected


def test_it_uses_the_last_of_several_earlier_referrals() -> None:
    earlier = [date(2023, 1, 1), date(2025, 6, 1), date(2024, 1, 1)]
    assert repeats.is_repeat(date(2026, 6, 1), earlier)
    assert not repeats.is_repeat(date(2026, 6, 2), earlier)


def test_it_ignores_later_referrals_and_no_history() -> None:
    assert not repeats.is_repeat(date(2025, 1, 1), [date(2025, 6, 1)])
    assert not repeats.is_repeat(date(2025, 1, 1), [])


def test_it_clamps_to_the_end_of_a_shorter_month() -> None:
    # 12 months before 29 February 2028 is 28 February 2027.
    assert repeats.is_repeat(date(2028, 2, 29), [date(2027, 2, 28)])
    assert not repeats.is_repeat(date(2028, 2, 29), [date(2027, 2, 27)])


def test_it_honours_a_configured_window() -> None:
    assert repeats.is_repeat(date(2025, 7, 1), [date(2025, 1, 1)], window_months=6)
    assert not repeats.is_repeat(date(2025, 7, 2), [date(2025, 1, 1)], window_months=6)
    with pytest.raises(ValueError):
        repeats.is_repeat(date(2025, 7, 1), [], window_months=0)


def test_it_flags_repeats_within_a_batch_in_date_order() -> None:
    flags = repeats.flag_repeats([("c", date(2026, 1, 1)), ("a", date(2024, 1, 1)), ("b", date(2024, 6, 1))])
    assert flags == {"a": False, "b": True, "c": False}


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=1, max_value=800),
)
def test_it_agrees_with_the_risk_rules(last: date, gap: int) -> None:
    from safepath.risk.rules import is_repeat as risk_is_repeat

    received = last + timedelta(days=gap)
    assert repeats.is_repeat(received, [last]) is risk_is_repeat(received, last)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("later", "expected"),
    [
        (datetime(2026, 3, 14, 10, 0, tzinfo=LONDON), True),
        (datetime(2026, 3, 15, 10, 0, tzinfo=LONDON), True),
        (datetime(2026, 3, 16, 10, 0, tzinfo=LONDON), False),
    ],
)
def test_it_tags_a_new_marac_referral_as_a_repeat_whatever_the_score(later: datetime, expected: bool) -> None:
    area = AreaFactory()
    f.make_marac(area)
    person = f.make_person()
    with time_machine.travel(LAST, tick=False):
        f.marac_case(area, received_at=LAST, person=person)
    with time_machine.travel(later, tick=False):
        # Not high risk on the score: it meets the criteria only as a repeat, which intake
        # found with its own clock; the MARAC service flags it from the history either way.
        new = f.referral(person=person, area=area, received_at=later, criteria=["professional_judgement"])
        made = marac_referrals_from_referrals([new])
    assert [m.is_repeat for m in made] == [expected]
    assert MaracReferral.objects.get(referral=new).is_repeat is expected


@pytest.mark.django_db
def test_it_makes_each_marac_referral_once() -> None:
    area = AreaFactory()
    marac = f.make_marac(area)
    person = f.make_person()
    referrals = [
        f.referral(person=person, area=area, received_at=LAST),
        f.referral(person=person, area=area, received_at=LAST + timedelta(days=1), is_marac_case=False),
    ]
    assert len(marac_referrals_from_referrals(referrals)) == 1
    assert marac_referrals_from_referrals(referrals) == []
    made = MaracReferral.objects.get()
    assert (made.marac_id, made.source, made.criteria) == (marac.pk, "criteria", ["visible_high_risk"])


@pytest.mark.django_db
def test_it_gives_a_sub_area_to_the_most_specific_marac() -> None:
    county = AreaFactory(name="County")
    city = AreaFactory(name="City", parent=county)
    village = AreaFactory(name="Village", parent=county)
    county_marac, city_marac = f.make_marac(county), f.make_marac(city)
    city_case = f.marac_case(city)
    village_case = f.marac_case(village)
    assert city_case.marac_id == city_marac.pk
    assert village_case.marac_id == county_marac.pk
