"""What keeps the dashboard fast as records grow: a fixed number of queries whatever the number of
records, areas and months, and charts drawn once for the same figures (never a stale chart).

Speed itself is measured by `bench/report.py`, not asserted here."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from safepath.core.roles import OrganisationType, Role
from safepath.reporting import charts
from safepath.reporting.tests import factories as f
from safepath.testing import count_queries, make_member

URL = reverse("reporting:dashboard")
YEAR = (date(2025, 1, 1), date(2025, 12, 31))


def _url(first: date, last: date, area: object = "") -> str:
    parts = {
        "from_day": first.day,
        "from_month": first.month,
        "from_year": first.year,
        "to_day": last.day,
        "to_month": last.month,
        "to_year": last.year,
        "area": getattr(area, "pk", area),
    }
    return URL + "?" + "&".join(f"{k}={v}" for k, v in parts.items())


@pytest.fixture
def county(db):
    return f.area(name="Kentshire")


@pytest.fixture
def commissioner(county):
    org = f.OrganisationFactory(type=OrganisationType.COMMISSIONER)
    org.areas.add(county)
    return make_member(Role.COMMISSIONER, org)


@pytest.fixture(autouse=True)
def _fresh_charts():
    charts.clear_cache()
    yield
    charts.clear_cache()


# The dashboard's own charts (presenters.py); charts other sections draw are not counted here.
DASHBOARD_CHARTS = {"sources", "trend", "outcomes", "ages", "c", "sources-2"}


@pytest.fixture
def draws(monkeypatch):
    """The charts actually drawn (not taken from the cache), by key."""
    calls: list[str] = []
    render = charts._render

    def counting(fig, key, title, fmt, **kwargs):  # type: ignore[no-untyped-def]
        if key in DASHBOARD_CHARTS:
            calls.append(key)
        return render(fig, key, title, fmt, **kwargs)

    monkeypatch.setattr(charts, "_render", counting)
    return calls


def _referrals(hub, area, n: int, *, year: int = 2025, start: int = 0) -> None:
    """n referrals spread over the year's months, each with a case, a third of them a person
    referred again (so re-referrals, distinct people and outcomes all have rows to count)."""
    people = [f.person() for _ in range(max(1, n * 2 // 3))]
    for i in range(n):
        who = people[i % len(people)]
        referral = f.referral(
            hub=hub,
            person=who,
            received=f.at(date(year, 1 + (start + i) % 12, 1 + (start + i) % 28)),
            area=area,
            risk_level=["standard", "medium", "high"][i % 3],
            is_marac_case=i % 3 == 2,
            source=["police", "health", "self"][i % 3],
        )
        f.case(
            provider=hub,
            referral=referral,
            person=who,
            code="idva" if i % 2 else "outreach",
            opened=referral.received_at,
            first_contact_at=referral.received_at + f.days(1 + i % 5),
            status="closed" if i % 4 == 0 else "active",
            closure_reason="support_complete" if i % 4 == 0 else "",
            closed_at=referral.received_at + f.days(20) if i % 4 == 0 else None,
        )


def test_the_query_count_does_not_grow_with_records_areas_or_history(login, commissioner, county):
    """A year's dashboard over a county: ten times the records, more districts inside the county
    and years of earlier history change nothing in the number of queries."""
    hub = f.hub()
    town = f.area(parent=county, name="Hoo Peninsula")
    client = login(commissioner)
    url = _url(*YEAR)
    _referrals(hub, town, 6)
    client.get(url)  # per-session caches warmed
    small = count_queries(client, url)
    _referrals(hub, town, 60, start=6)
    for i in range(6):
        district = f.area(parent=county, name=f"District {i}")
        _referrals(hub, district, 12)
        _referrals(hub, district, 12, year=2023)  # history before the year (re-referral look-back)
    large = count_queries(client, url)
    assert small == large, f"{small} queries with little data, {large} with more"


def test_the_query_count_does_not_grow_with_the_months_shown(login, commissioner, county):
    hub = f.hub()
    _referrals(hub, county, 24)
    client = login(commissioner)
    client.get(_url(date(2025, 4, 1), date(2025, 6, 30)))
    quarter = count_queries(client, _url(date(2025, 4, 1), date(2025, 6, 30)))
    three_years = count_queries(client, _url(date(2023, 1, 1), date(2025, 12, 31)))
    assert quarter == three_years


def test_a_page_asked_for_again_with_the_same_figures_draws_no_chart(login, commissioner, county, draws):
    _referrals(f.hub(), county, 30)
    client = login(commissioner)
    first = client.get(_url(*YEAR)).content.decode()
    drawn = len(draws)
    assert drawn >= 3  # sources, trend, ages (outcomes when there are any)
    second = client.get(_url(*YEAR)).content.decode()
    assert len(draws) == drawn
    assert _svgs(first) == _svgs(second)


def test_new_figures_are_drawn_again_never_taken_from_an_older_chart(login, commissioner, county, draws):
    """The cache is keyed by the figures themselves: new referrals change the totals by source,
    so that chart is drawn again and the page shows the new figures. (The months stay below the
    disclosure threshold, hidden before and after: the trend chart is the same, and may be reused.)"""
    hub = f.hub()
    _referrals(hub, county, 30)
    client = login(commissioner)
    before = client.get(_url(*YEAR)).content.decode()
    drawn = list(draws)
    _referrals(hub, county, 12, start=30)
    after = client.get(_url(*YEAR)).content.decode()
    again = draws[len(drawn) :]
    assert "sources" in again
    assert _svgs(before)["sources"] != _svgs(after)["sources"]
    assert re.search(r"Referrals</th>\s*<td[^>]*>42</td>", after)


def test_a_cached_chart_is_the_chart_a_fresh_drawing_gives(draws):
    labels, values = ["Police", "Health", "Self-referral"], [25, None, 12]
    one = charts.bar_chart("sources", "Referrals by source", labels, values)
    assert charts.bar_chart("sources", "Referrals by source", labels, values) is one
    assert draws == ["sources"]
    charts.clear_cache()
    assert charts.bar_chart("sources", "Referrals by source", labels, values) == one
    assert draws == ["sources", "sources"]


@pytest.mark.parametrize(
    "change",
    [
        {"values": [25, 11, 12]},  # a hidden figure shown
        {"values": [26, None, 12]},
        {"labels": ["Police", "Health", "Self"]},
        {"title": "Referrals by who sent them"},
        {"key": "sources-2"},  # another place in the page: its element ids differ
        {"fmt": "png"},
    ],
)
def test_any_change_in_what_a_chart_shows_draws_it_again(draws, change):
    args = {"key": "sources", "title": "Referrals by source", "labels": ["Police", "Health", "Self-referral"]}
    args |= {"values": [25, None, 12], "fmt": "svg"}
    first = charts.bar_chart(**args)
    changed = charts.bar_chart(**(args | change))
    assert len(draws) == 2 and changed != first


def test_the_cache_keeps_a_bounded_number_of_drawings(monkeypatch, draws):
    monkeypatch.setattr(charts, "CACHE_SIZE", 3)
    for n in range(5):
        charts.bar_chart("c", "Chart", ["a"], [n])
    assert len(charts._cache) == 3
    charts.bar_chart("c", "Chart", ["a"], [0])  # the oldest was dropped: drawn again
    assert len(draws) == 6


def _svgs(page: str) -> dict[str, str]:
    """Each chart's SVG in the page, by its key (the id of the chart's block)."""
    return dict(re.findall(r'id="chart-([\w-]+)".*?(<svg.*?</svg>)', page, flags=re.S))
