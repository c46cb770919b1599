"""The MARAC dataset equals counts made independently from the records."""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.urls import reverse

from safepath.core.roles import OrganisationType, Role
from safepath.marac.exports import dataset_rows, marac_dataset
from safepath.marac.tests import factories as f
from safepath.people.models import Person, Relationship
from safepath.referrals.models import Referral
from safepath.testing import AreaFactory, OrganisationFactory, make_member

LONDON = ZoneInfo("Europe/London")
START, END = date(2025, 4, 1), date(2025, 6, 30)
SOURCES = ["police"] * 12 + ["health", "health", "children_social_care", "housing", "gp"]
ETHNICITIES = ["white_british", "white_british", "asian_pakistani", "black_african", "unknown", "white_other"]


def _world(rng: random.Random, area: Any, count: int) -> None:
    for n in range(count):
        received = datetime.combine(START - timedelta(days=20), time(9), tzinfo=LONDON) + timedelta(
            days=rng.randint(0, 120), hours=rng.randint(0, 12)
        )
        age = rng.choice([16, 17, 25, 40, None])
        dob = received.date().replace(year=received.year - age) - timedelta(days=1) if age else None
        person = Person.objects.create(
            first_name=f"P{n}",
            last_name="Test",
            date_of_birth=dob,
            age_estimate=None if dob else rng.choice([None, 17, 30]),
            sex=rng.choice(["female", "female", "female", "male", "unknown"]),
            ethnicity=rng.choice(ETHNICITIES),
            disability=rng.choice(["yes", "no", "unknown"]),
            sexual_orientation=rng.choice(["heterosexual", "heterosexual", "bisexual", "unknown"]),
            gender_identity=rng.choice(["same_as_sex", "same_as_sex", "same_as_sex", "trans_woman"]),
        )
        perpetrator = None
        if rng.random() < 0.7:
            perpetrator = Person.objects.create(
                first_name="H", age_estimate=rng.choice([15, 17, 18, 35]), kind="person_causing_harm"
            )
        children = rng.choice([None, 0, 1, 2, 3])
        if children is None and rng.random() < 0.5:
            kid = Person.objects.create(first_name="C", kind="child")
            Relationship.objects.create(victim=person, other=kid, kind="child", lives_in_household=True)
        made = f.referral(
            person=person,
            area=area,
            received_at=received,
            source=rng.choice(SOURCES),
            is_marac_case=rng.random() < 0.85,
            is_repeat=rng.random() < 0.3,
            children=children,
            perpetrator=perpetrator,
        )
        from safepath.marac.services import marac_referrals_from_referrals

        marac_referrals_from_referrals([made])


def _expected(marac_areas: set[int]) -> dict[str, Any]:
    """Counted straight from the referral and person records, without the dataset code."""
    start = datetime.combine(START, time.min, tzinfo=LONDON)
    end = datetime.combine(END + timedelta(days=1), time.min, tzinfo=LONDON)
    cases = Referral.objects.filter(
        area_id__in=marac_areas, received_at__gte=start, received_at__lt=end, is_marac_case=True
    )
    out = {
        "cases": 0,
        "repeats": 0,
        "children": 0,
        "police": 0,
        "minoritised": 0,
        "lgbt": 0,
        "disabled": 0,
        "male": 0,
        "aged_16_17": 0,
        "perp_17": 0,
    }
    for r in cases.select_related("person", "perpetrator"):
        p = r.person
        day = r.received_at.astimezone(LONDON).date()
        out["cases"] += 1
        out["repeats"] += r.marac_referral.is_repeat
        if r.children_in_household is not None:
            out["children"] += r.children_in_household
        else:
            out["children"] += Relationship.objects.filter(victim=p, kind="child", lives_in_household=True).count()
        out["police"] += r.source == "police"
        out["minoritised"] += p.ethnicity not in ("white_british", "unknown", "prefer_not_to_say")
        out["lgbt"] += p.sexual_orientation in ("gay_lesbian", "bisexual", "other") or p.gender_identity in (
            "trans_woman",
            "trans_man",
            "non_binary",
            "other",
        )
        out["disabled"] += p.disability == "yes"
        out["male"] += p.sex == "male"
        out["aged_16_17"] += p.age_on(day) in (16, 17)
        out["perp_17"] += (
            r.perpetrator is not None and r.perpetrator.age_on(day) is not None and r.perpetrator.age_on(day) <= 17
        )
    return out


@pytest.fixture
def two_maracs(db: Any) -> dict[str, Any]:
    rng = random.Random(5)  # noqa: S311 - test data
    county = AreaFactory(name="Shire", adult_women=200_000)
    city = AreaFactory(name="Shire City", parent=county, adult_women=80_000)
    town = AreaFactory(name="Shire Town", parent=county, adult_women=40_000)
    county_marac = f.make_marac(county, name="Shire MARAC")
    city_marac = f.make_marac(city, name="City MARAC")
    _world(rng, town, 90)
    _world(rng, county, 20)
    _world(rng, city, 140)
    return {"county": county_marac, "city": city_marac, "areas": {"county": {county.pk, town.pk}, "city": {city.pk}}}


def test_it_matches_counts_made_from_the_records(two_maracs: dict[str, Any]) -> None:
    rows = {r["area"]: r for r in dataset_rows(date_from=START, date_to=END, suppress=False)}
    assert set(rows) == {"Shire MARAC", "City MARAC"}
    for name, key, women in (("Shire MARAC", "county", 120_000), ("City MARAC", "city", 80_000)):
        row, expected = rows[name], _expected(two_maracs["areas"][key])
        assert expected["cases"] > 10
        assert row["cases"].value == expected["cases"]
        assert row["repeats"].value == expected["repeats"]
        assert row["repeat_rate"] == round(expected["repeats"] / expected["cases"], 3)
        assert row["children"].value == expected["children"]
        assert row["referrals_police"].value == expected["police"]
        assert row["non_police"].value == expected["cases"] - expected["police"]
        for col in ("minoritised", "lgbt", "disabled", "male", "aged_16_17"):
            assert row[col].value == expected[col], col
        assert row["perpetrators_17_or_under"].value == expected["perp_17"]
        assert row["adult_women"] == women  # the county less the city it does not hear
        assert row["cases_per_10000_adult_women"] == round(expected["cases"] * 10_000 / women, 1)


def test_it_starts_with_the_interface_columns_and_writes_csv(two_maracs: dict[str, Any], capsys: Any) -> None:
    table = marac_dataset(date_from=START, date_to=END, area=None, suppress=True)
    assert list(table.header[:5]) == ["area", "cases", "repeats", "repeat_rate", "children"]
    call_command("export", "marac-dataset", "--from", START.isoformat(), "--to", END.isoformat())
    lines = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert lines[0][:5] == ["area", "cases", "repeats", "repeat_rate", "children"]
    assert len(lines) == 3


def test_it_suppresses_small_counts_for_commissioners(two_maracs: dict[str, Any]) -> None:
    plain = {r["area"]: r for r in dataset_rows(date_from=START, date_to=END, suppress=False)}
    hidden = {r["area"]: r for r in dataset_rows(date_from=START, date_to=END, suppress=True)}
    small = [
        (a, c)
        for a, r in plain.items()
        for c in ("aged_16_17", "perpetrators_17_or_under", "referrals_gp")
        if 0 < r[c].value < 10
    ]
    assert small, "the factory data should give some small counts"
    for area, col in small:
        assert hidden[area][col].suppressed and hidden[area][col].text == "<10"
        if not col.startswith("referrals_"):
            assert hidden[area][f"{col}_rate"] is None


def test_it_restricts_to_an_area(two_maracs: dict[str, Any]) -> None:
    town = two_maracs["county"].areas.get().children.get(name="Shire Town")
    rows = dataset_rows(date_from=START, date_to=END, area=town, suppress=False)
    assert [r["area"] for r in rows] == ["Shire Town"]
    assert rows[0]["cases"].value == _expected({town.pk})["cases"]


def test_it_shows_the_coordinator_their_own_marac_unsuppressed(client: Any, two_maracs: dict[str, Any]) -> None:
    coordinator = make_member(Role.MARAC_COORDINATOR, two_maracs["city"])
    client.force_login(coordinator, backend="allauth.account.auth_backends.AuthenticationBackend")
    query = "start_day=1&start_month=4&start_year=2025&end_day=30&end_month=6&end_year=2025"
    page = client.get(f"{reverse('marac:dataset')}?{query}").content.decode()
    assert "City MARAC" in page and "Shire MARAC" not in page
    assert ("National" in page and "31.0%" in page) or "31" in page
    download = client.get(f"{reverse('marac:dataset')}?{query}&format=csv")
    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.content.decode())))
    assert rows[1][0] == "City MARAC" and "<10" not in rows[1]


def test_it_shows_commissioners_every_marac_suppressed(client: Any, two_maracs: dict[str, Any]) -> None:
    commissioner = make_member(Role.COMMISSIONER, OrganisationFactory(type=OrganisationType.COMMISSIONER))
    client.force_login(commissioner, backend="allauth.account.auth_backends.AuthenticationBackend")
    query = "start_day=1&start_month=4&start_year=2025&end_day=30&end_month=6&end_year=2025"
    page = client.get(f"{reverse('marac:dataset')}?{query}").content.decode()
    assert "City MARAC" in page and "Shire MARAC" in page and "&lt;10" in page
