"""The commissioner's dashboard: who may see it, which areas, what it shows and its cost."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from safepath.core.roles import OrganisationType, Role
from safepath.reporting.tests import factories as f
from safepath.testing import assert_constant_queries, make_member

URL = reverse("reporting:dashboard")


def _query(first: date, last: date, area: object = "") -> dict[str, str]:
    return {
        "from_day": str(first.day),
        "from_month": str(first.month),
        "from_year": str(first.year),
        "to_day": str(last.day),
        "to_month": str(last.month),
        "to_year": str(last.year),
        "area": str(getattr(area, "pk", area)),
    }


Q2 = (date(2025, 4, 1), date(2025, 6, 30))


@pytest.fixture
def county(db):
    county = f.area(name="Kentshire")
    town = f.area(parent=county, name="Hoo Peninsula")
    return county, town


@pytest.fixture
def commissioner(county):
    org = f.OrganisationFactory(type=OrganisationType.COMMISSIONER)
    org.areas.add(county[0])
    return make_member(Role.COMMISSIONER, org)


def _grow(hub, town, n: int, start: int = 0) -> None:
    for i in range(n):
        someone = f.person()
        referral = f.referral(
            hub=hub,
            person=someone,
            received=f.at(date(2025, 4, 1) + f.days((start + i) % 90)),
            area=town,
            risk_level=["standard", "medium", "high"][i % 3],
            is_marac_case=i % 3 == 2,
        )
        f.case(
            provider=hub,
            referral=referral,
            person=someone,
            code="idva",
            opened=referral.received_at,
            first_contact_at=referral.received_at + f.days(2),
        )


@pytest.mark.parametrize("role", [r for r in Role if r not in (Role.COMMISSIONER, Role.ADMINISTRATOR)])
def test_it_refuses_every_other_role(db, login, role):
    assert login(make_member(role)).get(URL).status_code == 403


def test_it_shows_a_commissioner_the_figures_for_a_period_and_area(login, commissioner, county):
    _grow(f.hub(), county[1], 30)
    response = login(commissioner).get(URL, _query(*Q2, county[1]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Hoo Peninsula" in page
    for section in ("Activity", "Outcomes", "Demand and reach", "Capacity"):
        assert f">{section}</h2>" in page
    assert "<svg" in page and "What it counts" in page


def test_it_shows_no_names(login, commissioner, county):
    _grow(f.hub(), county[1], 12)
    page = login(commissioner).get(URL, _query(*Q2)).content.decode()
    assert "Zephyrine" not in page and "Quixotic" not in page


def test_it_hides_small_numbers(login, commissioner, county):
    _grow(f.hub(), county[1], 3)
    page = login(commissioner).get(URL, _query(*Q2)).content.decode()
    assert "&lt;10" in page
    assert not re.search(r"numeric\">[1-9]</td>", page)


def test_it_refuses_an_area_outside_the_commissioners_organisation(login, commissioner, county):
    elsewhere = f.area(name="Faraway")
    hub = f.hub()
    _grow(hub, elsewhere, 15)
    response = login(commissioner).get(URL, _query(*Q2, elsewhere))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "Choose an area your organisation serves" in page
    assert "<svg" not in page


def test_it_covers_only_the_commissioners_areas_when_none_is_chosen(login, commissioner, county):
    hub = f.hub()
    _grow(hub, county[1], 12)
    _grow(hub, f.area(), 20)
    _grow(hub, None, 20)
    page = login(commissioner).get(URL, _query(*Q2)).content.decode()
    assert re.search(r"Referrals</th>\s*<td[^>]*>12</td>", page)


def test_it_lets_an_administrator_see_every_area(db, login, county):
    _grow(f.hub(), None, 12)
    page = login(make_member(Role.ADMINISTRATOR)).get(URL, _query(*Q2)).content.decode()
    assert re.search(r"Referrals</th>\s*<td[^>]*>12</td>", page)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"from_day": "31", "from_month": "2"}, "Start date must be a real date"),
        ({"to_year": "2024"}, "End date must be the same as or after the start date"),
        ({"from_day": ""}, "Start date must include a day"),
    ],
)
def test_it_validates_the_period(login, commissioner, change, message):
    response = login(commissioner).get(URL, _query(*Q2) | change)
    page = response.content.decode()
    assert "There is a problem" in page and message in page and "<svg" not in page


def test_it_defaults_to_the_last_quarter(login, commissioner):
    response = login(commissioner).get(URL)
    assert response.status_code == 200 and "<svg" in response.content.decode()


def test_it_downloads_the_figures(login, commissioner, county):
    _grow(f.hub(), county[1], 12)
    response = login(commissioner).get(reverse("reporting:download", args=["csv"]), _query(*Q2))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="performance-2025-04-01-2025-06-30.csv"'
    assert response.content.decode().startswith("section,figure,breakdown,value,rate,definition")


def test_it_keeps_its_query_count_as_data_grows(login, commissioner, county):
    hub = f.hub()
    client = login(commissioner)
    url = URL + "?" + "&".join(f"{k}={v}" for k, v in _query(*Q2).items())
    grown = [0]

    def grow(n: int) -> None:
        _grow(hub, county[1], n, grown[0])
        grown[0] += n

    assert_constant_queries(client, url, grow)


def test_it_caches_a_closed_period_per_set_of_areas(login, commissioner, county, settings):
    from django.core.cache import cache

    settings.SAFEPATH_REPORT_CACHE_SECONDS = 60
    cache.clear()
    hub = f.hub()
    _grow(hub, county[1], 12)
    client = login(commissioner)
    first = client.get(URL, _query(*Q2)).content.decode()
    _grow(hub, county[1], 12)
    assert re.search(r"Referrals</th>\s*<td[^>]*>12</td>", client.get(URL, _query(*Q2)).content.decode())
    # Another set of areas is another entry: the town alone is computed afresh.
    assert re.search(r"Referrals</th>\s*<td[^>]*>24</td>", client.get(URL, _query(*Q2, county[1])).content.decode())
    assert "<svg" in first
    cache.clear()


def test_it_downloads_the_committee_paper(login, commissioner, county):
    _grow(f.hub(), county[1], 12)
    response = login(commissioner).get(reverse("reporting:download", args=["docx"]), _query(*Q2))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="performance-2025-04-01-2025-06-30.docx"'
    assert response.content[:2] == b"PK"


def test_it_refuses_an_unknown_download_format(login, commissioner):
    assert login(commissioner).get(reverse("reporting:download", args=["pdf"]), _query(*Q2)).status_code == 404
