"""Finding safe accommodation, in a real browser: a caseworker searches for a household's needs,
refers to the local refuge, which declines for no capacity; refers out of area (with the
reason) to a refuge in another council, which accepts, records the move-in and the move-on.
The referring caseworker sees each step on the case. axe on every page visited."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from playwright.sync_api import expect

from safepath.accommodation.choices import PlacementStatus
from safepath.accommodation.models import Placement
from safepath.accommodation.tests import factories as f
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.tests.url_table_triage import reference_data
from safepath.testing import OrganisationFactory, make_member
from tests.browser.conftest import axe_check, sign_in
from tests.browser.test_case_journey import new_page  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


def _reference_data() -> None:
    reference_data()
    importlib.import_module("safepath.accommodation.migrations.0002_reference_data").load(apps, None)


def _banner(page: Any) -> Any:
    return page.locator(".govuk-notification-banner")


def test_a_household_is_declined_locally_placed_out_of_area_and_moves_on(
    page: Any,
    new_page: Callable[..., Any],  # noqa: F811
) -> None:
    _reference_data()
    _kent, (medway,) = f.council("Kent", "Medway")
    _leics, (city,) = f.council("Leicestershire", "Leicester City")
    hub = OrganisationFactory(type=OrganisationType.HUB, name="Medway Domestic Abuse Hub")
    outreach = OrganisationFactory(type=OrganisationType.PROVIDER, name="Medway Outreach")
    haven = OrganisationFactory(type=OrganisationType.PROVIDER, name="Haven Trust")
    trent = OrganisationFactory(type=OrganisationType.PROVIDER, name="Trent Women's Aid")
    worker = make_member(Role.CASEWORKER, outreach, full_name="Sam Okafor")
    haven_worker = make_member(Role.CASEWORKER, haven, full_name="Ria Das")
    trent_worker = make_member(Role.CASEWORKER, trent, full_name="Lee Marsh")
    f.make_service(haven, medway, "Medway Refuge", spaces=1)
    f.make_service(trent, city, "Leicester Refuge", spaces=1)
    case = f.make_case(hub, outreach, "Jane", "Smith", area=medway)

    # --- the referring caseworker searches from the case and refers locally ------------------
    sign_in(page, worker.email)
    page.goto(f"/accommodation/cases/{case.pk}/")
    expect(page.locator("[data-testid=no-placements]")).to_be_visible()
    axe_check(page)
    page.get_by_role("main").get_by_role("link", name="Find safe accommodation").click()
    page.get_by_label("Girls' ages").fill("4")
    page.get_by_role("button", name="Search").click()
    results = page.locator("[data-testid=results] tbody tr")
    expect(results).to_have_count(2)
    expect(results.first).to_contain_text("Medway Refuge")  # local first
    expect(results.nth(1)).to_contain_text("Out of area")
    axe_check(page)
    page.get_by_role("link", name="Refer to Medway Refuge").click()
    expect(page.get_by_label("Girls' ages")).to_have_value("4")
    axe_check(page)
    page.get_by_role("button", name="Send the referral").click()
    expect(_banner(page)).to_contain_text("Referral sent to Medway Refuge.")
    expect(page.locator("[data-testid=placement-status]")).to_have_text("Referred")
    axe_check(page)

    # --- the local refuge declines: no capacity --------------------------------------------------
    haven_page = new_page()
    sign_in(haven_page, haven_worker.email)
    haven_page.goto("/accommodation/placements/")
    axe_check(haven_page)
    haven_page.locator("[data-testid=placements]").get_by_role("link", name="Jane Smith").click()
    haven_page.get_by_role("link", name="Accept or decline").click()
    haven_page.get_by_label("No, decline the referral").check()
    haven_page.get_by_role("button", name="Save the decision").click()
    expect(haven_page.locator(".govuk-error-summary")).to_contain_text("Choose why the referral is declined.")
    axe_check(haven_page)
    haven_page.get_by_label("No, decline the referral").check()
    haven_page.get_by_label("Why is it declined?").select_option(label="No capacity (no space free)")
    haven_page.get_by_role("button", name="Save the decision").click()
    expect(haven_page.locator("[data-testid=decline-reason]")).to_have_text("No capacity (no space free)")
    axe_check(haven_page)

    # --- the caseworker refers out of area, for safety ---------------------------------------------
    page.goto(f"/accommodation/cases/{case.pk}/")
    expect(page.locator("[data-testid=case-placements]")).to_contain_text("No capacity (no space free)")
    axe_check(page)
    page.get_by_role("main").get_by_role("link", name="Find safe accommodation").click()
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Refer to Leicester Refuge").click()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose why the household needs a place out of their area."
    )
    axe_check(page)
    page.get_by_label("Safety: the person needs to be away from the area").check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator("[data-testid=out-of-area]")).to_contain_text("Safety")

    # --- the refuge in the other council accepts, moves the household in, then on ------------------
    trent_page = new_page()
    sign_in(trent_page, trent_worker.email)
    trent_page.goto("/accommodation/placements/")
    trent_page.locator("[data-testid=placements]").get_by_role("link", name="Jane Smith").click()
    expect(trent_page.locator("[data-testid=out-of-area]")).to_contain_text("Safety")
    axe_check(trent_page)
    trent_page.get_by_role("link", name="Accept or decline").click()
    axe_check(trent_page)
    trent_page.get_by_label("Yes, accept the referral").check()
    trent_page.get_by_role("button", name="Save the decision").click()
    expect(trent_page.locator("[data-testid=placement-status]")).to_have_text("Accepted")
    trent_page.get_by_role("link", name="Record the move-in").click()
    axe_check(trent_page)
    trent_page.get_by_label("Space the household moved into").select_option(label="Room 1")
    trent_page.get_by_role("button", name="Save").click()
    expect(trent_page.locator("[data-testid=placement-status]")).to_have_text("Moved in or measures fitted")
    trent_page.goto("/accommodation/vacancies/")
    expect(trent_page.locator("[data-testid^=vacancies-]")).to_contain_text("Occupied")
    axe_check(trent_page)
    trent_page.goto("/accommodation/placements/")
    trent_page.locator("[data-testid=placements]").get_by_role("link", name="Jane Smith").click()
    trent_page.get_by_role("link", name="Record the move-on").click()
    axe_check(trent_page)
    trent_page.get_by_label("Why did the support end?").select_option(label="Planned move-on")
    trent_page.get_by_label("Where did the household go?").select_option(label="Own tenancy (social housing)")
    trent_page.get_by_role("button", name="Save").click()
    expect(trent_page.locator("[data-testid=ended]")).to_contain_text("Own tenancy")
    axe_check(trent_page)

    # --- the referring caseworker sees where things stand --------------------------------------------
    page.goto(f"/accommodation/cases/{case.pk}/")
    table = page.locator("[data-testid=case-placements]")
    expect(table).to_contain_text(re.compile("Moved on or support ended"))
    expect(table).to_contain_text("Own tenancy")
    axe_check(page)
    assert [p.status for p in Placement.objects.order_by("pk")] == [PlacementStatus.DECLINED, PlacementStatus.ENDED]
    assert not page.console_errors
