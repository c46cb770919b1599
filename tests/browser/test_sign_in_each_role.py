"""Every role signs in through the real pages (password, then authenticator code) and
lands on a home page that names their organisation; every page passes axe."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from safepath.core.roles import Role
from safepath.testing import PASSWORD, make_member
from tests.browser.conftest import axe_check, totp_code

pytestmark = pytest.mark.browser


def _submit(page: Any, field: str) -> None:
    page.locator(f"form:has({field}) [type=submit]").first.click()


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_each_role_signs_in_with_password_and_code(page: Any, live_server: Any, role: Role) -> None:
    user = make_member(role)
    organisation = user.memberships.get().organisation

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/account/login/"))
    expect(page.locator("#id_login")).to_be_visible()
    axe_check(page)

    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    _submit(page, "#id_password")

    expect(page.locator("#id_code")).to_be_visible()
    axe_check(page)
    page.fill("#id_code", totp_code())
    _submit(page, "#id_code")

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator(".govuk-header")).to_contain_text(organisation.name)
    expect(page.locator("h1")).to_contain_text(user.get_short_name())
    axe_check(page)
    assert page.console_errors == [], page.console_errors


def test_public_glossary_has_exit_this_page_and_passes_axe(page: Any) -> None:
    page.goto("/glossary/")
    expect(page.locator("h1")).to_be_visible()
    exit_link = page.locator("a.govuk-exit-this-page__button")
    expect(exit_link).to_be_visible()
    expect(exit_link).to_contain_text("Exit this page")
    expect(exit_link).to_have_attribute("href", settings.SAFEPATH_EXIT_PAGE_URL)
    axe_check(page)
    assert page.console_errors == [], page.console_errors


def test_exit_this_page_keyboard_shortcut_leaves_the_site(page: Any) -> None:
    """Pressing Shift three times leaves at once: this needs GOV.UK Frontend's JavaScript to run."""
    exit_url = settings.SAFEPATH_EXIT_PAGE_URL
    page.route(
        exit_url, lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Elsewhere</title>")
    )
    page.goto("/glossary/")
    expect(page.locator("body")).to_have_class(re.compile(r"\bgovuk-frontend-supported\b"))
    for _ in range(3):
        page.keyboard.press("Shift")
    expect(page).to_have_url(exit_url)
