"""A commissioner opens the performance dashboard for a quarter and one of their areas, in a
real browser: figures, definitions and charts with their tables, small numbers hidden, an area
of another council refused, and a person's record out of reach (404). axe on each page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from safepath.core.roles import OrganisationType, Role
from safepath.reporting.tests import factories as f
from safepath.testing import PASSWORD, make_member
from tests.browser.conftest import axe_check, totp_code

pytestmark = pytest.mark.browser


def _sign_in(page: Any, email: str) -> None:
    page.goto("/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) [type=submit]").first.click()
    page.fill("#id_code", totp_code())
    page.locator("form:has(#id_code) [type=submit]").first.click()
    expect(page.locator("h1")).to_be_visible()


def _period(page: Any, first: date, last: date) -> None:
    for prefix, day in (("from", first), ("to", last)):
        page.fill(f"#id_{prefix}_day", str(day.day))
        page.fill(f"#id_{prefix}_month", str(day.month))
        page.fill(f"#id_{prefix}_year", str(day.year))


def test_a_commissioner_reads_the_dashboard_for_a_quarter_and_an_area(
    page: Any, transactional_db: Any, settings: Any
) -> None:
    settings.SAFEPATH_REPORT_CACHE_SECONDS = 0  # this test's records, not an earlier test's figures
    county = f.area(name="Medway Towns")
    town = f.area(parent=county, name="Strood")
    elsewhere = f.area(name="Far County")
    council = f.OrganisationFactory(type=OrganisationType.COMMISSIONER, name="Medway Towns Council")
    council.areas.add(county)
    commissioner = make_member(Role.COMMISSIONER, council)
    hub = f.hub()
    someone = None
    for i in range(24):
        someone = f.person()
        f.referral(
            hub=hub,
            person=someone,
            received=f.at(date(2025, 4, 3) + f.days(i * 3)),
            area=town,
            risk_level="high" if i % 2 else "medium",
            is_marac_case=bool(i % 2),
        )

    _sign_in(page, commissioner.email)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Performance", exact=True).click()
    expect(page.locator("h1")).to_have_text("Performance, outcomes, demand and reach")
    _period(page, date(2025, 4, 1), date(2025, 6, 30))
    page.select_option("#id_area", label="Strood")
    page.get_by_role("button", name="Show figures").click()

    expect(page.locator("#summary")).to_contain_text("1 April 2025 to 30 June 2025, Strood")
    activity = page.locator("#activity-table")
    expect(activity.get_by_role("row", name="Referrals", exact=False).first).to_contain_text("24")
    expect(activity).to_contain_text("What it counts")
    expect(page.locator("#chart-trend svg")).to_be_visible()
    expect(page.locator("#chart-trend table")).to_contain_text("Apr 2025")
    assert someone.last_name not in page.content()
    axe_check(page)

    # Another council's area is a form error, not figures.
    page.goto(
        reverse("reporting:dashboard")
        + f"?from_day=1&from_month=4&from_year=2025&to_day=30&to_month=6&to_year=2025&area={elsewhere.pk}"
    )
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose an area your organisation serves")
    expect(page.locator("#activity-table")).to_have_count(0)
    axe_check(page)

    # A person's record is out of reach for a commissioner.
    response = page.goto(reverse("people:detail", args=[someone.pk]))
    assert response is not None and response.status in (403, 404)
