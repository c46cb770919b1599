"""Activity metrics against counts worked out here, in Python, from the records the test made."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest

from safepath.referrals.choices import RiskLevel, Source
from safepath.reporting.metrics import activity
from safepath.reporting.metrics.scope import Scope, with_descendants
from safepath.reporting.periods import LOCAL, Period
from safepath.reporting.tests import factories as f
from safepath.risk.rules import within_months_before

PERIOD = Period(date(2025, 4, 1), date(2025, 6, 30))
NEEDS = ["mental_health", "substance_misuse", "limited_english"]


def _inside(moment: datetime) -> bool:
    return PERIOD.start <= moment < PERIOD.end


@pytest.fixture
def world(db):
    rng = random.Random(7)  # noqa: S311 - test data, not security
    hub = f.hub()
    county = f.area()
    town = f.area(parent=county)
    village = f.area(parent=town)
    elsewhere = f.area()
    areas = [county, town, village, elsewhere, None]
    people = [f.person() for _ in range(40)]
    # Two records later found to be the same person as another: merged, not repointed.
    people[1].merged_into = people[0]
    people[1].save()
    people[3].merged_into = people[2]
    people[3].save()
    edges = [
        datetime(2025, 3, 31, 23, 30, tzinfo=LOCAL),
        datetime(2025, 4, 1, 0, 0, tzinfo=LOCAL),
        datetime(2025, 6, 30, 23, 30, tzinfo=LOCAL),
        datetime(2025, 7, 1, 0, 0, tzinfo=LOCAL),
    ]
    referrals = []
    for i in range(260):
        received = (
            edges[i] if i < len(edges) else f.at(date(2024, 6, 1) + f.days(rng.randrange(420)), rng.randrange(24))
        )
        marac = rng.random() < 0.3
        referrals.append(
            f.referral(
                hub=hub,
                person=rng.choice(people),
                received=received,
                area=rng.choice(areas),
                risk_level=rng.choice(RiskLevel.values),
                source=rng.choice(Source.values),
                is_marac_case=marac,
                is_repeat=marac and rng.random() < 0.4,
                children_in_household=rng.choice([None, 0, 1, 3]),
                complex_needs=rng.sample(NEEDS, rng.randrange(3)),
            )
        )
    return {"county": county, "town": town, "village": village, "elsewhere": elsewhere, "referrals": referrals}


def _who(referral) -> int:
    return referral.person.merged_into_id or referral.person_id


def _expected(referrals):
    return [r for r in referrals if _inside(r.received_at)]


def test_it_counts_referrals_by_risk_and_source(world):
    inside = _expected(world["referrals"])
    counts = activity.referral_counts(Scope(PERIOD))
    assert counts.total == len(inside)
    assert counts.by_risk == {r: sum(1 for x in inside if x.risk_level == r) for r in RiskLevel.values}
    assert counts.by_source == {s: sum(1 for x in inside if x.source == s) for s in Source.values}
    assert sum(counts.by_risk.values()) == counts.total


def test_it_counts_the_period_in_local_time(world):
    counts = activity.referral_counts(Scope(PERIOD))
    inside = [
        r for r in world["referrals"] if date(2025, 4, 1) <= r.received_at.astimezone(LOCAL).date() <= date(2025, 6, 30)
    ]
    assert counts.total == len(inside)


def test_it_counts_people_after_matching(world):
    inside = _expected(world["referrals"])
    assert activity.referral_counts(Scope(PERIOD)).unique_people == len({_who(r) for r in inside})


def test_it_counts_re_referrals_within_twelve_months(world):
    everything = world["referrals"]
    expected = sum(
        1
        for r in _expected(everything)
        if any(_who(e) == _who(r) and within_months_before(e.received_at, r.received_at, 12) for e in everything)
    )
    assert activity.referral_counts(Scope(PERIOD)).re_referrals_12m == expected


def test_it_counts_marac_cases_and_repeats(world):
    inside = _expected(world["referrals"])
    counts = activity.referral_counts(Scope(PERIOD))
    assert counts.marac_cases == sum(1 for r in inside if r.is_marac_case)
    assert counts.marac_repeats == sum(1 for r in inside if r.is_marac_case and r.is_repeat)


def test_it_counts_children_and_complex_needs(world):
    inside = _expected(world["referrals"])
    counts = activity.referral_counts(Scope(PERIOD))
    assert counts.with_children == sum(1 for r in inside if (r.children_in_household or 0) > 0)
    assert counts.children == sum(r.children_in_household or 0 for r in inside)
    assert counts.with_complex_needs == sum(1 for r in inside if r.complex_needs)
    by_need = activity.complex_needs_counts(Scope(PERIOD), NEEDS + ["fgm"])
    assert by_need == {n: sum(1 for r in inside if n in r.complex_needs) for n in NEEDS} | {"fgm": 0}


def test_it_limits_to_an_area_and_the_areas_inside_it(world):
    town = world["town"]
    scope = Scope.for_areas(PERIOD, [town.pk])
    assert scope.area_ids == {town.pk, world["village"].pk}
    inside = [r for r in _expected(world["referrals"]) if r.area_id in scope.area_ids]
    counts = activity.referral_counts(scope)
    assert counts.total == len(inside)
    assert counts.by_risk["high"] == sum(1 for r in inside if r.risk_level == "high")


def test_it_finds_areas_at_any_depth(world):
    found = with_descendants([world["county"].pk])
    assert found == {world["county"].pk, world["town"].pk, world["village"].pk}


def test_it_counts_every_month_of_the_period(world):
    inside = _expected(world["referrals"])
    months = activity.referrals_by_month(Scope(PERIOD))
    assert [m.month for m in months] == [date(2025, 4, 1), date(2025, 5, 1), date(2025, 6, 1)]
    for m in months:
        mine = [r for r in inside if r.received_at.astimezone(LOCAL).month == m.month.month]
        assert (m.referrals, m.high_risk, m.marac_cases) == (
            len(mine),
            sum(1 for r in mine if r.risk_level == "high"),
            sum(1 for r in mine if r.is_marac_case),
        )


def test_it_counts_a_year_back_from_29_february(db):
    hub, someone = f.hub(), f.person()
    later = f.referral(hub=hub, person=someone, received=datetime(2024, 2, 29, 12, tzinfo=LOCAL))
    f.referral(hub=hub, person=someone, received=datetime(2023, 2, 28, 12, 30, tzinfo=LOCAL))
    assert within_months_before(datetime(2023, 2, 28, 12, 30, tzinfo=LOCAL), later.received_at, 12)
    scope = Scope(Period(date(2024, 2, 1), date(2024, 2, 29)))
    assert activity.re_referrals_12m(scope) == 1


def test_it_does_not_count_a_referral_just_over_a_year_before(db):
    hub, someone = f.hub(), f.person()
    f.referral(hub=hub, person=someone, received=datetime(2024, 5, 10, 12, tzinfo=LOCAL))
    f.referral(hub=hub, person=someone, received=datetime(2023, 5, 10, 11, 59, tzinfo=LOCAL))
    scope = Scope(Period(date(2024, 5, 1), date(2024, 5, 31)))
    assert activity.re_referrals_12m(scope) == 0
