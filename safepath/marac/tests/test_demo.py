"""The demo's MARAC records, on factory referrals shaped like the demo's (the full scenario is
tested by safepath/demo's own slow tests)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from safepath.core.roles import OrganisationType
from safepath.marac.demo import demo_load
from safepath.marac.exports import dataset_rows
from safepath.marac.models import Action, AgendaItem, MaracReferral, Meeting, Research
from safepath.marac.tests import factories as f
from safepath.referrals.models import Referral
from safepath.testing import AreaFactory, OrganisationFactory

LONDON = ZoneInfo("Europe/London")
END = datetime(2026, 3, 31, 17, 0, tzinfo=LONDON)


@pytest.fixture
def loaded(db: Any) -> dict[str, Any]:
    rng = random.Random(1)  # noqa: S311 - test data
    whole = AreaFactory(name="Leicester and Leicestershire", adult_women=447_000)
    city = AreaFactory(name="Leicester", parent=whole, adult_women=147_900)
    district = AreaFactory(name="Melton", parent=whole, adult_women=21_420)
    orgs = {
        "hub": OrganisationFactory(type=OrganisationType.HUB),
        "provider": OrganisationFactory(type=OrganisationType.PROVIDER),
        "referrer": OrganisationFactory(type=OrganisationType.REFERRING_AGENCY),
        "marac": f.make_marac(whole, name="Leicester and Leicestershire MARAC"),
    }
    people = [f.make_person(f"P{n}") for n in range(300)]
    rows = []
    for _ in range(600):
        received = END - timedelta(days=rng.randint(0, 364), hours=rng.randint(0, 8))
        rows.append(
            f.referral(
                person=rng.choice(people),
                area=rng.choice([city, district]),
                received_at=received,
                is_marac_case=rng.random() < 0.5,
                is_repeat=rng.random() < 0.3,
                hub_org=orgs["hub"],
                source=rng.choice(["police", "police", "health"]),
                save=False,
            )
        )
    Referral.objects.bulk_create(rows)  # bulk-written, as the demo's records may be
    with timezone.override(LONDON):
        demo_load(scenario=SimpleNamespace(name="leicestershire", title="Leicester"), organisations=orgs, end=END)
    return {"orgs": orgs, "city": city, "district": district}


def test_it_gives_leicestershire_two_marac_areas_with_a_year_of_meetings(loaded: dict[str, Any]) -> None:
    county = loaded["orgs"]["marac"]
    city = MaracReferral.objects.filter(referral__area=loaded["city"]).values_list("marac__name", flat=True).distinct()
    assert list(city) == ["Leicester City MARAC"]
    for name in ("Leicester City MARAC", county.name):
        meetings = Meeting.objects.filter(marac__name=name)
        assert 27 <= meetings.count() <= 29  # fortnightly for a year, and what is to come
        assert AgendaItem.objects.filter(meeting__marac__name=name).exists()
    assert Research.objects.exists()


def test_it_makes_a_marac_referral_for_every_qualifying_referral(loaded: dict[str, Any]) -> None:
    assert MaracReferral.objects.count() == Referral.objects.filter(is_marac_case=True).count()


def test_it_leaves_some_actions_overdue(loaded: dict[str, Any]) -> None:
    overdue = Action.objects.filter(completed_at__isnull=True, due_on__lt=END.date())
    assert overdue.exists()
    assert Action.objects.filter(completed_at__isnull=False).count() > overdue.count()


def test_it_lists_repeats_before_older_referrals_on_each_agenda(loaded: dict[str, Any]) -> None:
    for meeting in Meeting.objects.all()[:10]:
        flags = [
            i.marac_referral.is_repeat for i in meeting.items.select_related("marac_referral").order_by("position")
        ]
        assert flags == sorted(flags, reverse=True)


def test_its_dataset_matches_the_records(loaded: dict[str, Any]) -> None:
    start, end = date(2025, 4, 1), date(2026, 3, 31)
    rows = {r["area"]: r for r in dataset_rows(date_from=start, date_to=end, suppress=False)}
    for name, area in (
        ("Leicester City MARAC", loaded["city"]),
        ("Leicester and Leicestershire MARAC", loaded["district"]),
    ):
        cases = Referral.objects.filter(
            area=area,
            is_marac_case=True,
            received_at__gte=datetime(2025, 4, 1, tzinfo=LONDON),
            received_at__lt=datetime(2026, 4, 1, tzinfo=LONDON),
        )
        assert rows[name]["cases"].value == cases.count()
        assert rows[name]["referrals_police"].value == cases.filter(source="police").count()
        repeats = MaracReferral.objects.filter(referral__in=cases, is_repeat=True).count()
        assert rows[name]["repeats"].value == repeats
    assert rows["Leicester and Leicestershire MARAC"]["adult_women"] == 447_000 - 147_900


def test_the_medway_demo_dataset_matches_its_records(db: Any, monkeypatch: Any) -> None:
    """The real demo (fewer referrals): its MARAC figures recounted from the records."""
    from dataclasses import replace

    import time_machine
    from django.core.management import call_command

    from safepath.accounts.models import User
    from safepath.areas.models import Area
    from safepath.core.roles import Role
    from safepath.demo import scenarios
    from safepath.demo.scenarios import demo_email
    from safepath.marac.selectors import meetings_for

    monkeypatch.setitem(scenarios.SCENARIOS, "medway", replace(scenarios.MEDWAY, referrals_per_year=700))
    end = datetime(2026, 11, 20, 17, tzinfo=LONDON)
    with time_machine.travel(end, tick=False):
        call_command("demo", no_serve=True)
        rep = User.objects.get(email=demo_email(Role.MARAC_REPRESENTATIVE))
        rep.current_membership = rep.memberships.get()
        assert meetings_for(rep).exists()  # the meeting coming up, released a week before
    start, stop = date(2025, 11, 21), date(2026, 11, 20)
    (row,) = dataset_rows(date_from=start, date_to=stop, suppress=False)
    medway = Area.objects.get(name="Medway")
    areas = [medway.pk, *medway.children.values_list("pk", flat=True)]
    cases = Referral.objects.filter(
        area_id__in=areas,
        is_marac_case=True,
        received_at__gte=datetime(2025, 11, 21, tzinfo=LONDON),
        received_at__lt=datetime(2026, 11, 21, tzinfo=LONDON),
    )
    assert row["area"] == "Medway MARAC" and row["cases"].value == cases.count() > 0
    assert row["referrals_police"].value == cases.filter(source="police").count()
    assert row["male"].value == cases.filter(person__sex="male").count()
    assert row["repeats"].value == MaracReferral.objects.filter(referral__in=cases, is_repeat=True).count()
    assert Action.objects.filter(completed_at__isnull=True, due_on__lt=stop).exists()
    assert Meeting.objects.filter(minutes_recorded_at__isnull=False).count() >= 25
