"""A commissioner records an extension decision through the approval rule (refused when the
body named lacks the authority, recorded when it has it), then views the funding flow for the
year: the diagram and the same figures as tables. axe on every page visited."""

from __future__ import annotations

import importlib
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from safepath.commissioning import services, terms
from safepath.commissioning.tests.factories import make_contract, make_funding
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, make_member
from tests.browser.conftest import axe_check, sign_in

pytestmark = pytest.mark.browser




def _world() -> tuple[Any, Any, int]:
    # A live-server test may run after another has emptied the tables: reload the defaults.
    importlib.import_module("safepath.commissioning.migrations.0002_default_configuration").load(apps, None)
    council = OrganisationFactory(type=OrganisationType.COMMISSIONER, name="Medway Council Public Health")
    provider = OrganisationFactory(type=OrganisationType.PROVIDER, name="Medway Integrated DA Service")
    partner = OrganisationFactory(type=OrganisationType.PROVIDER, name="Hoo Peninsula Outreach")
    user = make_member(Role.COMMISSIONER, council, email="commissioner@example.test")
    today = timezone.localdate()
    contract = make_contract(
        council,
        provider,
        partners=[(partner, Decimal("20"))],
        start=today - timedelta(days=500),
        initial_end=today + timedelta(days=200),
        options=[24, 12],
        first_approved_by="cabinet",
        title="Integrated domestic abuse service",
    )
    year = terms.financial_year(today)
    council_money = make_funding(council, Decimal("120000.00"), year=year, name="Council public health grant")
    nhs_money = make_funding(council, Decimal("80000.00"), year=year, name="NHS contribution")
    services.allocation_create(request=None, funding_year=council_money, contract=contract, amount=Decimal("115000.00"))
    services.allocation_create(request=None, funding_year=nhs_money, contract=contract, amount=Decimal("75000.00"))
    return user, contract, year


def test_a_commissioner_records_an_extension_through_the_rule_and_views_the_funding_flow(page: Any) -> None:
    user, contract, year = _world()
    sign_in(page, user.email)

    page.goto("/commissioning/contracts/")
    expect(page.locator("h1")).to_have_text("Contracts")
    axe_check(page)
    page.get_by_role("link", name=contract.reference).first.click()
    expect(page.locator("h1")).to_have_text(contract.title)
    axe_check(page)

    page.get_by_role("link", name="Record the decision on option 1").click()
    expect(page.get_by_test_id("required-body")).to_contain_text("Cabinet (the executive)")
    axe_check(page)
    page.get_by_label("Approve the extension").check()
    page.get_by_label("Director", exact=True).check()
    page.get_by_label("Evidence").fill("Cabinet minute 2025/41")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Director cannot take this decision: it needs Cabinet")
    axe_check(page)

    page.get_by_label("Cabinet (the executive)").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("h1")).to_have_text(contract.title)
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    expect(page.locator('[data-option="1"]')).to_contain_text("Approved")
    axe_check(page)

    page.goto(f"/commissioning/funding/flow/?year={year}")
    expect(page.get_by_test_id("flow-diagram")).to_be_visible()
    expect(page.get_by_test_id("stage1-total")).to_have_text("£190,000.00")
    expect(page.get_by_test_id("providers-total")).to_have_text("£190,000.00")
    expect(page.get_by_test_id("flow-providers")).to_contain_text("Hoo Peninsula Outreach")
    axe_check(page)
    assert not page.console_errors, page.console_errors
