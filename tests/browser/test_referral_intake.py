"""Referral intake in a real browser: a self-referral on a phone with JavaScript off, and a
professional referral whose risk checklist makes it a MARAC case. axe on every page visited."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from playwright.sync_api import expect

from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import Referral
from safepath.testing import PASSWORD, OrganisationFactory, make_member
from tests.browser.conftest import TIMEOUT_MS, axe_check, totp_code

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 667}


@pytest.fixture
def reference_data(transactional_db: Any) -> None:
    """The checklist, thresholds and vocabularies (data migrations; a live-server test may
    run after another one has emptied the tables)."""
    for module in ("safepath.risk.migrations.0002_reference_data", "safepath.referrals.migrations.0002_reference_data"):
        importlib.import_module(module).load(apps, None)
    OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def phone_without_javascript(browser: Any, live_server: Any) -> Iterator[Any]:
    """A phone-sized page with JavaScript off, and `page.axe()` to check what it shows."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport=PHONE, is_mobile=True, java_script_enabled=False
    )
    checker_context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE, is_mobile=True)
    for each in (context, checker_context):
        each.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    checker = checker_context.new_page()
    checker.goto("/healthz")  # same origin, so the copied page's styles load
    page.axe = lambda: _axe_without_javascript(page, checker)
    try:
        yield page
    finally:
        context.close()
        checker_context.close()


def _axe_without_javascript(page: Any, checker: Any) -> None:
    """axe needs JavaScript to run; the page under test has none. Check a copy of exactly what
    it shows (its scripts removed, so nothing enhances it), in a page where axe can run."""
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S | re.I)
    checker.set_content(html, wait_until="load")
    axe_check(checker)


def _fits_the_screen(page: Any) -> None:
    """Nothing wider than the phone: no sideways scrolling (measured without page scripts)."""
    width = page.locator("main").bounding_box()["width"]
    assert width <= PHONE["width"], width


def _continue(page: Any) -> None:
    page.get_by_role("button", name="Continue").click()


def test_a_survivor_refers_themself_on_a_phone_without_javascript(
    phone_without_javascript: Any, reference_data: None, settings: Any
) -> None:
    settings.SAFEPATH_SELF_REFERRAL_MIN_SECONDS = 0
    page = phone_without_javascript
    page.goto("/referrals/get-help/")
    expect(page.locator("h1")).to_have_text("Ask for support with domestic abuse")
    expect(page.locator("a.govuk-exit-this-page__button")).to_be_visible()
    expect(page.locator("body")).not_to_have_class(re.compile(r"govuk-frontend-supported"))  # no JavaScript ran
    _fits_the_screen(page)
    page.axe()
    page.get_by_role("button", name="Start now").click()

    expect(page.locator("h1")).to_have_text("Contacting you safely")
    page.axe()
    page.get_by_label("A phone call").check()
    page.get_by_label("A text message").check()
    page.get_by_label("Safe phone number").fill("07700 900982")
    page.get_by_label("When is it safe to contact you?").fill("Weekday mornings")
    _continue(page)

    expect(page.locator("h1")).to_have_text("About you")
    page.axe()
    page.get_by_label("First name").fill("Morgan")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("1991")
    page.get_by_label("Postcode (optional)").fill("me4 4ab")
    _continue(page)

    expect(page.locator("h1")).to_have_text("What is happening")
    page.axe()
    page.get_by_label("Being controlled: who you see, where you go, what you do").check()
    _continue(page)

    expect(page.locator("h1")).to_have_text("Children")
    page.axe()
    page.get_by_label("Yes").check()
    page.get_by_label("How many children live with you? (optional)").fill("1")
    _continue(page)

    expect(page.locator("h1")).to_have_text("Your safety now")
    expect(page.get_by_test_id("call-999")).to_be_visible()
    page.axe()
    page.get_by_label("No").check()
    _continue(page)

    expect(page.locator("h1")).to_have_text("Check your answers")
    expect(page.locator("main")).to_contain_text("Morgan")
    _fits_the_screen(page)
    page.axe()
    page.get_by_role("button", name="Send").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Request sent")
    referral = Referral.objects.get()
    expect(page.get_by_test_id("reference")).to_have_text(referral.reference)
    expect(page.locator("main")).to_contain_text("Note it somewhere safe")
    expect(page.locator("a.govuk-exit-this-page__button")).to_be_visible()
    page.axe()
    assert referral.channel == "self" and referral.person.safe_contact.email_safe is False
    assert "Morgan" not in page.url


def _sign_in(page: Any, user: Any) -> None:
    page.goto("/")
    axe_check(page)
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("form:has(#id_password) [type=submit]").first.click()
    expect(page.locator("#id_code")).to_be_visible()
    axe_check(page)
    page.fill("#id_code", totp_code())
    page.locator("form:has(#id_code) [type=submit]").first.click()
    expect(page.locator(".govuk-header")).to_contain_text(user.memberships.get().organisation.name)
    axe_check(page)


def test_a_professional_refers_with_a_checklist_that_triggers_marac(page: Any, reference_data: None) -> None:
    from safepath.risk.selectors import current_instrument

    referrer = make_member(Role.REFERRING_PROFESSIONAL)
    codes = [indicator.code for indicator in current_instrument().indicators.all()]
    _sign_in(page, referrer)

    page.get_by_role("link", name="Make a referral").first.click()
    expect(page.locator("h1")).to_have_text("Make a referral")
    axe_check(page)
    page.fill("#id_first_name", "Casey")
    page.fill("#id_last_name", "Example")
    page.fill("#id_date_of_birth", "3")
    page.fill("#id_date_of_birth_month", "2")
    page.fill("#id_date_of_birth_year", "1987")
    page.check("#id_sex")  # Female
    page.check("#id_interpreter_needed-1")  # No
    page.fill("#id_safe_phone", "07700 900123")
    page.check("#id_phone_safe")  # Yes
    page.check("#id_abuse_types")  # Physical
    page.check("#id_accommodation_needed-1")  # No
    page.check("#id_consent")  # Yes
    page.check("#id_person_aware")  # Yes
    for code in codes[:14]:
        page.check(f"#id_dash_{code}")  # Yes
    page.fill("#id_reason", "Serious assault reported by the person at A&E.")
    page.select_option("#id_source", "hospital")
    page.get_by_role("button", name="Send referral").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Referral sent")
    referral = Referral.objects.get()
    expect(page.get_by_test_id("reference")).to_have_text(referral.reference)
    expect(page.get_by_test_id("marac-criteria")).to_contain_text("Visible high risk: 14 ‘yes’ answers")
    expect(page.locator("main")).to_contain_text("will refer the person to MARAC")
    axe_check(page)
    assert referral.is_marac_case and referral.risk_assessments.get().score == 14

    page.get_by_role("link", name="Follow this referral").click()
    expect(page.locator("h1")).to_have_text(referral.reference)
    axe_check(page)
    assert page.console_errors == [], page.console_errors
