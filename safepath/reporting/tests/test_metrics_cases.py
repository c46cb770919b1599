"""IDVA, waiting, capacity, outcomes and demand metrics against counts worked out here."""

from __future__ import annotations

import random
import statistics
from datetime import date, datetime

import pytest

from safepath.cases.models import PathwaySettings
from safepath.outcomes.models import Measure, Recording
from safepath.programmes.tests import factories as pf
from safepath.referrals.models import WorkItem
from safepath.reporting.metrics import activity, capacity, demand, outcomes
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.periods import Period
from safepath.reporting.tests import factories as f

PERIOD = Period(date(2025, 4, 1), date(2025, 6, 30))


def _inside(moment: datetime | None) -> bool:
    return moment is not None and PERIOD.start <= moment < PERIOD.end


@pytest.fixture
def cases(db):
    rng = random.Random(11)  # noqa: S311 - test data, not security
    hub, provider = f.hub(), f.OrganisationFactory()
    mine, other = f.area(), f.area()
    made = []
    for _ in range(120):
        opened = f.at(date(2025, 2, 1) + f.days(rng.randrange(200)), rng.randrange(8, 18))
        code = rng.choice(["idva", "idva", "outreach"])
        referral = f.referral(hub=hub, person=f.person(), received=opened - f.days(1), area=rng.choice([mine, other]))
        first = opened + f.days(rng.random() * 12) if rng.random() < 0.8 else None
        engaged = first if first and rng.random() < 0.7 else None
        made.append(
            f.case(
                provider=provider,
                referral=referral,
                person=referral.person,
                code=code,
                opened=opened,
                first_contact_at=first,
                engaged_at=engaged,
            )
        )
    return {"cases": made, "mine": mine, "other": other, "provider": provider, "hub": hub}


def _area(case) -> int | None:
    return case.referral.area_id if case.referral else case.person.area_id


def test_it_counts_idva_referrals_and_engagement(cases):
    idva = [c for c in cases["cases"] if c.pathway.code == "idva" and _inside(c.opened_at)]
    counts = activity.idva_counts(Scope(PERIOD))
    assert (counts.referrals, counts.engaged) == (len(idva), sum(1 for c in idva if c.engaged_at))


def test_it_limits_idva_counts_to_the_area(cases):
    mine = cases["mine"].pk
    idva = [c for c in cases["cases"] if c.pathway.code == "idva" and _inside(c.opened_at) and _area(c) == mine]
    assert activity.idva_counts(Scope.for_areas(PERIOD, [mine])).referrals == len(idva)


def test_it_takes_the_median_days_to_first_contact(cases):
    waits = [
        (c.first_contact_at - c.opened_at).total_seconds() / 86400
        for c in cases["cases"]
        if _inside(c.opened_at) and c.first_contact_at
    ]
    median = capacity.median_days_to_first_contact(Scope(PERIOD))
    assert median.cases == len(waits)
    assert median.days == round(statistics.median(waits), 1)


def test_it_takes_the_median_of_an_even_and_an_odd_number(db):
    provider = f.OrganisationFactory()
    opened = f.at(date(2025, 5, 1))
    for n in (1, 2, 4, 10):
        someone = f.person()
        f.case(
            provider=provider,
            referral=None,
            person=someone,
            code="idva",
            opened=opened,
            first_contact_at=opened + f.days(n),
        )
    assert capacity.median_days_to_first_contact(Scope(PERIOD)).days == 3.0
    someone = f.person()
    f.case(
        provider=provider,
        referral=None,
        person=someone,
        code="idva",
        opened=opened,
        first_contact_at=opened + f.days(7),
    )
    assert capacity.median_days_to_first_contact(Scope(PERIOD)).days == 4.0
    assert capacity.median_days_to_first_contact(Scope(Period(date(2020, 1, 1), date(2020, 1, 2)))).days is None


def test_it_counts_waiting_lists_at_the_end_of_the_period_and_caseloads_now(cases):
    worker = f.make_member_worker(cases["provider"])
    opened = f.at(date(2025, 5, 1))
    for _ in range(3):
        f.case(
            provider=cases["provider"],
            referral=None,
            person=f.person(),
            code="idva",
            opened=opened,
            allocated_at=opened,
            key_worker=worker,
            status="active",
        )
    end = PERIOD.end
    expected = {}
    for c in cases["cases"] + list(f.Case.objects.filter(referral__isnull=True)):
        if (
            c.opened_at < end
            and (c.allocated_at is None or c.allocated_at >= end)
            and (c.closed_at is None or c.closed_at >= end)
        ):
            expected[c.pathway.code] = expected.get(c.pathway.code, 0) + 1
    rows = {r.code: r for r in capacity.pathway_capacity(Scope(PERIOD))}
    assert {code: r.waiting_at_end for code, r in rows.items() if r.waiting_at_end} == expected
    assert (rows["idva"].workers, rows["idva"].open_cases, rows["idva"].average_caseload) == (1, 3, 3.0)
    settings = PathwaySettings.objects.get(pathway__code="idva")
    assert rows["idva"].benchmark_high == settings.caseload_high


def test_it_counts_declines_for_no_capacity(cases):
    referral = cases["cases"][0].referral
    decided = f.at(date(2025, 5, 5))
    for code, reason, when in (
        ("outreach", "no_capacity", decided),
        ("children", "other", decided),
        ("safe-accommodation", "no_capacity", f.at(date(2025, 8, 1))),
    ):
        WorkItem.objects.create(
            referral=referral,
            pathway=f.pathway(code),
            provider=cases["provider"],
            status="declined",
            decline_reason=reason,
            decided_at=when,
        )
    assert activity.declined_no_capacity(Scope(PERIOD)) == 1


def _answer(case, measure, moment, value, when):
    return Recording.objects.create(
        case=case,
        measure=measure,
        moment=moment,
        value=value,
        skip_reason="" if value is not None else "declined",
        recorded_at=when,
        token=f"t{Recording.objects.count()}",
    )


def test_it_counts_change_from_intake_to_exit(db):
    hub, provider = f.hub(), f.OrganisationFactory()
    safety = Measure.objects.get(framework__code="medway", code="safety")
    abuse = Measure.objects.get(framework__code="abuse-change", code="overall")
    rng = random.Random(3)  # noqa: S311 - test data, not security
    expected = {"better": 0, "same": 0, "worse": 0}
    reduced = answered = 0
    for i in range(40):
        opened = f.at(date(2025, 1, 10))
        closed = f.at(date(2025, 5, 1)) if i % 4 else f.at(date(2025, 8, 1))  # a quarter closed later
        referral = f.referral(hub=hub, person=f.person(), received=opened, risk_level="high")
        c = f.case(
            provider=provider,
            referral=referral,
            person=referral.person,
            code="idva",
            opened=opened,
            status="closed",
            closed_at=closed,
            closure_reason="support_complete",
        )
        intake = [rng.choice([None, 1, 2, 3, 4, 5]) for _ in range(rng.randrange(0, 3))]
        exits = [rng.choice([None, 1, 2, 3, 4, 5]) for _ in range(rng.randrange(0, 3))]
        for k, v in enumerate(intake):
            _answer(c, safety, "intake", v, opened + f.days(k))
        for k, v in enumerate(exits):
            _answer(c, safety, "exit", v, closed - f.days(3 - k))
        first = next((v for v in intake if v is not None), None)
        last = next((v for v in reversed(exits) if v is not None), None)
        if _inside(closed) and first is not None and last is not None:
            expected["better" if last > first else "same" if last == first else "worse"] += 1
        said = rng.choice([None, 1, 2, 3, 4])
        _answer(c, abuse, "exit", said, closed)
        if _inside(closed) and said is not None:
            answered += 1
            reduced += said >= 3
    rows = {m.code: m for m in outcomes.measure_changes(Scope(PERIOD))}
    got = rows["safety"]
    assert (got.better, got.same, got.worse) == (expected["better"], expected["same"], expected["worse"])
    assert got.cases == sum(expected.values())
    change = outcomes.abuse_stopped_or_reduced(Scope(PERIOD))
    assert (change.answered, change.stopped_or_reduced) == (answered, reduced)


def test_it_counts_risk_level_change(db):
    hub, provider = f.hub(), f.OrganisationFactory()
    pairs = [("high", "medium"), ("high", "high"), ("medium", "high"), ("standard", "standard"), ("high", "standard")]
    for start, end in pairs:
        referral = f.referral(hub=hub, person=f.person(), received=f.at(date(2025, 1, 5)), risk_level=start)
        f.case(
            provider=provider,
            referral=referral,
            person=referral.person,
            code="idva",
            opened=f.at(date(2025, 1, 6)),
            risk_level=end,
            status="closed",
            closed_at=f.at(date(2025, 6, 1)),
            closure_reason="risk_reduced",
        )
    change = outcomes.risk_level_change(Scope(PERIOD))
    assert (change.cases, change.lower, change.same, change.higher) == (5, 2, 2, 1)


def test_it_profiles_people_by_age_band_and_sex(db):
    hub = f.hub()
    last = PERIOD.last
    specs = [
        (date(2009, 6, 30), None, "female", "16_19"),  # 16 on the last day
        (date(2009, 7, 1), None, "female", "under_16"),  # 16 the day after
        (date(2005, 7, 1), None, "male", "16_19"),  # 19 until tomorrow
        (date(2005, 6, 30), None, "male", "20_24"),
        (None, 40, "female", "35_44"),
        (None, None, "unknown", "unknown"),
        (date(1950, 1, 1), None, "female", "65_plus"),
    ]
    expected: dict[tuple[str, str], int] = {}
    for dob, estimate, sex, band in specs:
        someone = f.person(date_of_birth=dob, age_estimate=estimate, sex=sex)
        f.referral(hub=hub, person=someone, received=f.at(date(2025, 5, 1)))
        f.referral(hub=hub, person=someone, received=f.at(date(2025, 6, 1)))  # people, not referrals
        expected[(band, sex)] = expected.get((band, sex), 0) + 1
    profile = demand.people_profile(Scope(PERIOD))
    assert {k: v for k, v in profile.by_band_and_sex.items() if v} == expected
    assert profile.total == len(specs)
    assert last == date(2025, 6, 30)


def test_it_takes_population_from_the_area_or_the_areas_inside_it(db):
    county = f.area(adult_women=0, adult_men=0)
    f.area(parent=county, adult_women=100, adult_men=90)
    f.area(parent=county, adult_women=50, adult_men=40)
    city = f.area(adult_women=1000, adult_men=900)
    f.area(parent=city, adult_women=10, adult_men=10)
    assert demand.population([county.pk]) == demand.Population(150, 130)
    assert demand.population([city.pk]) == demand.Population(1000, 900)


def test_it_counts_group_programme_attendance(db):
    hub, provider = f.hub(), f.OrganisationFactory()
    case = pf.open_case(hub, provider, "Ffion", "Rees")
    programme = pf.make_programme(provider)
    cohort = pf.make_cohort(programme, starts_on=date(2025, 5, 6))
    enrolment = pf.services.enrolment_add(request=None, cohort=cohort, case=case)
    sessions = list(cohort.sessions.order_by("number"))
    from safepath.programmes.models import Attendance

    for s, came in zip(sessions, [True, True, False, True], strict=False):
        Attendance.objects.create(session=s, enrolment=enrolment, attended=came, recorded_at=s.starts_at)
    inside = [s for s, came in zip(sessions, [True, True, False, True], strict=False) if came and _inside(s.starts_at)]
    counts = activity.programme_counts(Scope(PERIOD))
    assert (counts.attendees, counts.attendances) == (1 if inside else 0, len(inside))


def test_it_counts_coverage_per_area_and_rural_against_urban(db):
    from safepath.areas.models import RuralUrbanClass
    from safepath.reporting.report import build_report

    hub = f.hub()
    council = f.area(adult_women=0, adult_men=0)
    town = f.area(parent=council, adult_women=10_000, adult_men=10_000)
    village = f.area(
        parent=council, adult_women=2_000, adult_men=3_000, rural_urban_class=RuralUrbanClass.RURAL_VILLAGE_DISPERSED
    )
    people = [f.person() for _ in range(30)]
    for i, someone in enumerate(people):
        f.referral(hub=hub, person=someone, received=f.at(date(2025, 5, 1)), area=town if i < 18 else village)
        if i < 4:  # four people referred twice
            f.referral(hub=hub, person=someone, received=f.at(date(2025, 6, 1)), area=town)
    report = build_report(Scope.for_areas(PERIOD, [council.pk]), suppress=False)
    rows = {row["area"]: row for row in report.coverage["by_area"]}
    assert set(rows) == {town.name, village.name}  # the council is shown through its parts
    assert (rows[town.name]["referrals"].value, rows[town.name]["people"].value) == (22, 18)
    assert rows[town.name]["referrals_per_1000"] == round(22 * 1000 / 20_000, 2)
    assert rows[village.name]["people_per_1000"] == round(12 * 1000 / 5_000, 2)
    rural = report.coverage["rural_urban"]["rural"]
    assert (rural["adults"], rural["referrals"].value) == (5_000, 12)
    assert report.coverage["rural_urban"]["urban"]["adults"] == 20_000
