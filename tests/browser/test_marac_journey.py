"""A MARAC meeting in a real browser: the coordinator adds a meeting, builds its agenda from the
waiting MARAC referrals (the repeat first) and releases it; the police representative records
their agency's research; the coordinator agrees actions, one of which is overdue. axe on every
page visited."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from safepath.core.roles import OrganisationType, Role
from safepath.marac.models import Research
from safepath.marac.tests import factories as f
from safepath.testing import AreaFactory, OrganisationFactory, make_member
from tests.browser.conftest import TIMEOUT_MS, axe_check, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    contexts: list[Any] = []

    def make() -> Any:
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    try:
        yield make
    finally:
        for context in contexts:
            context.close()




def _date(page: Any, prefix: str, day: Any) -> None:
    page.fill(f"#id_{prefix}_day", str(day.day))
    page.fill(f"#id_{prefix}_month", str(day.month))
    page.fill(f"#id_{prefix}_year", str(day.year))


def test_a_coordinator_runs_a_meeting_and_a_representative_shares_research(
    page: Any, new_page: Callable[..., Any]
) -> None:
    area = AreaFactory(name="Medway")
    marac = f.make_marac(area, name="Medway MARAC")
    police = OrganisationFactory(type=OrganisationType.REFERRING_AGENCY, name="Kent Police")
    coordinator = make_member(Role.MARAC_COORDINATOR, marac, full_name="Priya Kaur")
    rep = make_member(Role.MARAC_REPRESENTATIVE, police, full_name="Rob Ellis")
    now = timezone.now()
    f.marac_case(area, received_at=now - timedelta(days=30), person=f.make_person("Amira", "Khan"))
    f.marac_case(area, received_at=now - timedelta(days=25), person=f.make_person("Beth", "Lowe"))
    f.marac_case(area, received_at=now - timedelta(days=10), person=f.make_person("Cara", "Moss"), is_repeat=True)
    held = timezone.localdate() - timedelta(days=2)

    # --- the coordinator adds a meeting and builds its agenda --------------------------------------
    sign_in(page, coordinator.email)
    page.goto("/marac/")
    expect(page.locator("h1")).to_have_text("MARAC meetings")
    axe_check(page)
    page.get_by_text("Add a meeting", exact=True).click()
    axe_check(page)
    _date(page, "on", held)
    page.fill("#id_time", "10:00")
    page.fill("#id_chair", "DI Sam Patel, police")
    page.get_by_label("Kent Police").check()
    page.get_by_role("button", name="Add the meeting").click()
    expect(page.locator("[data-testid=empty-agenda]")).to_be_visible()
    page.locator("[data-testid=build-agenda]").click()
    rows = page.locator("[data-testid=agenda] tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Cara Moss")  # the repeat first
    expect(rows.first).to_contain_text("Repeat")
    expect(rows.nth(1)).to_contain_text("Amira Khan")  # then the oldest
    axe_check(page)
    page.locator("[data-testid=release-agenda]").click()
    expect(page.locator("[data-testid=agenda-state]")).to_contain_text("Released")
    meeting_url = page.url

    # --- the police representative records research ----------------------------------------------
    rep_page = new_page()
    sign_in(rep_page, rep.email)
    rep_page.goto("/marac/")
    axe_check(rep_page)
    rep_page.locator("[data-testid=meetings] a").first.click()
    rep_page.get_by_role("link", name="Amira Khan").click()
    expect(rep_page.locator("[data-testid=criteria]")).to_contain_text("Visible high risk")
    axe_check(rep_page)
    rep_page.locator("[data-testid=record-research]").click()
    axe_check(rep_page)
    rep_page.fill("#id_text", "Two call-outs in March; the second involved a weapon.")
    rep_page.get_by_role("button", name="Save the research").click()
    expect(rep_page.locator("[data-testid=research]")).to_contain_text("Kent Police")
    assert Research.objects.get().organisation == police

    # --- the coordinator agrees actions; one is already overdue ----------------------------------
    page.goto(meeting_url)
    page.get_by_role("link", name="Amira Khan").click()
    expect(page.locator("[data-testid=research]")).to_contain_text("weapon")
    for description, due in (
        ("Flag the address for a priority response.", held + timedelta(days=1)),
        ("Housing to assess for a sanctuary scheme.", held + timedelta(days=14)),
    ):
        page.locator("[data-testid=add-action]").click()
        axe_check(page)
        page.fill("#id_description", description)
        page.select_option("#id_owner", label="Kent Police")
        _date(page, "due", due)
        page.get_by_role("button", name="Agree the action").click()
    actions = page.locator("[data-testid=actions] tbody tr")
    expect(actions).to_have_count(2)
    axe_check(page)
    page.goto("/marac/actions/?show=overdue")
    overdue = page.locator("[data-testid=action-list] tbody tr")
    expect(overdue).to_have_count(1)
    expect(overdue.first).to_contain_text("Flag the address")
    expect(overdue.first.locator("[data-testid=state]")).to_have_text("Overdue")
    axe_check(page)

    # --- the representative sees the overdue action their agency owns ---------------------------
    rep_page.goto("/marac/actions/")
    expect(rep_page.locator("[data-testid=action-list] tbody tr")).to_have_count(2)
    axe_check(rep_page)
