"""A triage worker takes a high-risk referral from the queue to an IDVA provider; every page passes axe."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import Pathway
from safepath.referrals.tests.url_table_triage import make_referral, make_work_item, reference_data
from safepath.testing import PASSWORD, OrganisationFactory, make_member
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


def test_triage_worker_routes_a_high_risk_referral_to_an_idva(page: Any, live_server: Any) -> None:
    reference_data()  # browser tests flush the tables, and the migrations' data with them
    hub = OrganisationFactory(type=OrganisationType.HUB, name="Medway Domestic Abuse Hub")
    idva_service = OrganisationFactory(type=OrganisationType.PROVIDER, name="Medway IDVA Service")
    Pathway.objects.get(code="idva").providers.add(idva_service)
    worker = make_member(Role.TRIAGE_WORKER, organisation=hub)
    referral = make_referral(hub, first_name="Jane", last_name="Smith", dash_score=16, safe=("phone",))
    make_referral(hub, first_name="Ann", last_name="Lee", dash_score=3)

    _sign_in(page, worker.email)
    page.get_by_role("link", name="Triage", exact=True).click()
    expect(page.locator("h1")).to_have_text("Referrals to triage")
    first_row = page.locator("[data-testid=triage-queue] tbody tr").first
    expect(first_row).to_contain_text(referral.reference)  # highest risk first
    expect(first_row).to_contain_text("Jane S.")
    axe_check(page)

    page.get_by_role("link", name=referral.reference).click()
    expect(page.locator("[data-testid=safe-contact]")).to_be_visible()
    expect(page.locator("[data-testid=risk-level]")).to_have_text("High")
    axe_check(page)

    page.get_by_role("button", name="Start triage").click()
    expect(page.locator("[data-testid=status]")).to_have_text("In triage")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Triage started.")
    axe_check(page)

    page.get_by_role("link", name="Record a contact attempt").click()
    expect(page.locator("h1")).to_have_text("Record a contact attempt")
    axe_check(page)
    page.get_by_label("Text message").check()
    page.get_by_label("Spoke to the person").check()
    page.get_by_role("button", name="Record the attempt").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Nobody has confirmed that text message is safe")
    axe_check(page)
    page.get_by_label("Phone call").check()
    page.get_by_label("Spoke to the person").check()
    page.get_by_role("button", name="Record the attempt").click()
    expect(page.locator("[data-testid=contact-attempts]")).to_contain_text("Phone call")
    axe_check(page)

    page.get_by_role("link", name="Accept and route to a pathway").click()
    expect(page.locator("[data-testid=prompt]").first).to_contain_text("MARAC")
    expect(page.get_by_role("checkbox", name="IDVA (high risk) (proposed)")).to_be_checked()
    axe_check(page)
    page.get_by_label("Provider for IDVA (high risk)").select_option(label="Medway IDVA Service")
    page.get_by_role("button", name="Accept and route").click()

    expect(page.locator("[data-testid=status]")).to_have_text("Accepted and routed")
    expect(page.locator("[data-testid=work-items]")).to_contain_text("Medway IDVA Service")
    axe_check(page)
    assert page.console_errors == [], page.console_errors


def test_closing_pages_and_the_provider_inbox_pass_axe(page: Any, live_server: Any) -> None:
    reference_data()
    hub = OrganisationFactory(type=OrganisationType.HUB)
    provider = OrganisationFactory(type=OrganisationType.PROVIDER, name="Medway IDVA Service")
    worker = make_member(Role.TRIAGE_WORKER, organisation=hub)
    manager = make_member(Role.TEAM_MANAGER, organisation=provider)
    referral = make_referral(hub, dash_score=4)
    item = make_work_item(hub, provider, dash_score=15, first_name="Mia", last_name="Jones")

    known = make_referral(hub, date_of_birth=date(1990, 4, 7), postcode="ME4 4AB")
    duplicate = make_referral(hub, first_name="Jayne", date_of_birth=date(1990, 4, 7), postcode="ME4 4AB")
    contact = duplicate.person.safe_contact
    contact.safe_word = "bluebell"
    contact.save()

    _sign_in(page, worker.email)
    page.goto(reverse("referrals:triage_detail", args=[duplicate.pk]))
    expect(page.locator(f"[data-candidate='{known.person.pk}']")).to_contain_text("same date of birth")
    expect(page.get_by_text("bluebell")).not_to_be_visible()
    page.get_by_text("Show the safe word").click()
    expect(page.get_by_text("bluebell")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name=f"This is the same person as person {known.person.pk}").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Linked to the known person")
    axe_check(page)
    for name, button, error in [
        ("triage_decline", "Decline the referral", "Choose why the referral is declined."),
        ("triage_signpost", "Close as signposted", "Enter where the person was signposted to."),
        ("triage_withdraw", "Close the referral", "Choose whether the person withdrew"),
    ]:
        page.goto(reverse(f"referrals:{name}", args=[referral.pk]))
        axe_check(page)
        page.get_by_role("button", name=button).click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(error)
        axe_check(page)
    page.goto(reverse("referrals:triage_decline", args=[referral.pk]))
    page.get_by_label("No capacity").check()
    page.get_by_role("button", name="Decline the referral").click()
    expect(page.locator("[data-testid=status]")).to_have_text("Declined")
    axe_check(page)
    page.get_by_role("button", name="Sign out").click()

    _sign_in(page, manager.email)
    page.get_by_role("link", name="Routed to us").click()
    expect(page.locator("[data-testid=work-items]")).to_contain_text(item.referral.reference)
    axe_check(page)
    page.get_by_role("link", name=item.referral.reference).click()
    expect(page.locator("[data-testid=safe-contact]")).to_be_visible()
    axe_check(page)
    page.get_by_label("No, decline it").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose why you cannot take this referral.")
    axe_check(page)
    page.get_by_label("Yes, accept it").check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator("[data-testid=status]")).to_have_text("Accepted")
    axe_check(page)
    assert page.console_errors == [], page.console_errors
