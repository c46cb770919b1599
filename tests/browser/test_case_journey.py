"""A case from the waiting list to closure, and the person's re-referral fast-tracked, in a real
browser: a team manager allocates, the caseworker records contacts (a letter refused by the
person's safe-contact rules, a phone call recorded with JavaScript off) and outcomes at intake
and plans the step-down, the manager closes the case and accepts the re-referral, which goes to
the top of the waiting list with the previous case visible. axe on every page visited."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.apps import apps
from django.urls import reverse
from playwright.sync_api import expect

from safepath.cases.models import Case
from safepath.cases.services import case_open_from_work_item
from safepath.casework.models import Contact
from safepath.core.roles import OrganisationType, Role
from safepath.outcomes.models import Recording
from safepath.referrals.choices import Status
from safepath.referrals.models import Pathway, Referral, WorkItem
from safepath.referrals.tests.url_table_triage import make_referral, make_work_item, reference_data
from safepath.testing import OrganisationFactory, make_member
from tests.browser.conftest import TIMEOUT_MS, axe_check, sign_in

pytestmark = pytest.mark.browser

MIGRATIONS_DATA = (
    "safepath.cases.migrations.0002_reference_data",
    "safepath.casework.migrations.0002_reference_data",
    "safepath.outcomes.migrations.0002_reference_data",
)


def _reference_data() -> None:
    """Pathways, closure reasons, pathway settings, contact types and outcome frameworks, as the
    migrations load them (a live-server test runs after another one has emptied the tables)."""
    reference_data()
    for module in MIGRATIONS_DATA:
        importlib.import_module(module).load(apps, None)


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """More signed-in people at once, each in their own browser context (allauth refuses a TOTP
    code used twice by the same person, so nobody signs in twice within one test)."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(base_url=live_server.url, locale="en-GB", **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        made = context.new_page()
        errors: list[str] = []

        def on_console(message: Any) -> None:
            if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
                errors.append(f"{message.text} ({message.location.get('url', '')})")

        made.on("console", on_console)
        made.on("pageerror", lambda error: errors.append(str(error)))
        made.console_errors = errors
        return made

    try:
        yield make
    finally:
        for context in contexts:
            context.close()




def _axe_without_javascript(page: Any, checker: Any) -> None:
    """axe needs JavaScript; the page under test has none. Check a copy of exactly what it
    shows (its scripts removed) in a page of the same origin where axe can run."""
    html = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S | re.I)
    checker.set_content(html, wait_until="load")
    axe_check(checker)


def _nav(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True).click()


def _banner(page: Any) -> Any:
    return page.locator(".govuk-notification-banner")


def _rereferral(person: Any, hub: Any, provider: Any) -> WorkItem:
    """The same person referred again and routed to the same provider and pathway."""
    again = make_referral(hub, first_name="Jane", last_name="Smith")
    Referral.objects.filter(pk=again.pk).update(person=person, status=Status.ACCEPTED)
    return WorkItem.objects.create(referral=again, pathway=Pathway.objects.get(code="idva"), provider=provider)


def test_a_case_runs_from_the_waiting_list_to_closure_and_a_re_referral_is_fast_tracked(
    page: Any, new_page: Callable[..., Any]
) -> None:
    _reference_data()
    hub = OrganisationFactory(type=OrganisationType.HUB, name="Medway Domestic Abuse Hub")
    provider = OrganisationFactory(type=OrganisationType.PROVIDER, name="Medway IDVA Service")
    manager = make_member(Role.TEAM_MANAGER, organisation=provider, full_name="Priya Shah")
    worker = make_member(Role.CASEWORKER, organisation=provider, full_name="Sam Okafor")
    item = make_work_item(hub, provider, first_name="Jane", last_name="Smith", safe=("phone",))
    person = item.referral.person
    safe_contact = person.safe_contact
    safe_contact.letters_safe = False
    safe_contact.save()
    case = case_open_from_work_item(request=None, item=item)
    # Someone at high risk waits too: the re-referral must still come first.
    case_open_from_work_item(
        request=None, item=make_work_item(hub, provider, first_name="Ann", last_name="Lee", dash_score=16)
    )

    # --- the team manager allocates from the waiting list ------------------------------------
    manager_page = page
    sign_in(manager_page, manager.email)
    _nav(manager_page, "Waiting lists")
    expect(manager_page.locator("h1")).to_have_text("Waiting lists")
    waiting = manager_page.locator("[data-testid=waiting-list] tbody tr")
    expect(waiting).to_have_count(2)
    expect(waiting.first).to_contain_text("Ann Lee")  # high risk first
    axe_check(manager_page)
    jane = manager_page.locator(f"[data-testid=waiting-list] tr[data-reference='{case.reference}']")
    jane.get_by_role("link", name=re.compile("^Allocate")).click()
    expect(manager_page.locator("[data-testid=allocate]")).to_be_visible()
    axe_check(manager_page)
    manager_page.get_by_role("button", name="Allocate the case").click()
    expect(manager_page.locator(".govuk-error-summary")).to_contain_text("Choose who will be the key worker.")
    axe_check(manager_page)
    manager_page.get_by_label("Sam Okafor").check()
    manager_page.get_by_role("button", name="Allocate the case").click()
    expect(_banner(manager_page)).to_contain_text("Sam Okafor is now the key worker.")
    expect(waiting).to_have_count(1)
    axe_check(manager_page)

    # --- the caseworker: caseload, case, contacts -------------------------------------------
    worker_page = new_page()
    sign_in(worker_page, worker.email)
    _nav(worker_page, "Your caseload")
    row = worker_page.locator(f"[data-testid=caseload] tr[data-reference='{case.reference}']")
    expect(row).to_contain_text("Allocated")
    axe_check(worker_page)
    row.get_by_role("link").first.click()
    expect(worker_page.locator("[data-testid=case-heading]")).to_contain_text("Jane Smith")
    expect(worker_page.locator("[data-testid=case-status]")).to_have_text("Allocated")
    axe_check(worker_page)

    worker_page.get_by_role("navigation", name="Case sections").get_by_role("link", name="Contacts").click()
    expect(worker_page.locator("[data-testid=contact-form]")).to_be_visible()
    axe_check(worker_page)
    worker_page.get_by_label("Type of contact").select_option(label="Support session")
    worker_page.get_by_label("Letter", exact=True).check()
    worker_page.get_by_role("button", name="Record the contact").click()
    refusal = "This person has said letter is not safe."
    expect(worker_page.locator("#id_mode-error")).to_contain_text(refusal)  # next to the field
    expect(worker_page.locator(".govuk-error-summary")).to_contain_text(refusal)
    axe_check(worker_page)
    assert not Contact.objects.exists()

    # The phone call, recorded with JavaScript off (same session, copied into a no-JS context).
    no_js = new_page(java_script_enabled=False, storage_state=worker_page.context.storage_state())
    no_js.goto(reverse("casework:contacts", args=[case.pk]))
    expect(no_js.locator("body")).not_to_have_class(re.compile(r"govuk-frontend-supported"))
    _axe_without_javascript(no_js, worker_page)
    no_js.get_by_label("Type of contact").select_option(label="Support session")
    no_js.get_by_label("Phone", exact=True).check()
    no_js.get_by_label("Duration in minutes").fill("25")
    no_js.get_by_role("button", name="Record the contact").click()
    expect(_banner(no_js)).to_contain_text("Contact recorded.")
    expect(no_js.locator("[data-testid=contacts]")).to_contain_text("Phone")
    expect(no_js.locator("[data-testid=case-status]")).to_have_text("Active")  # first contact made
    _axe_without_javascript(no_js, worker_page)
    assert Contact.objects.get().mode == "phone"

    # --- outcomes at intake: some answered, one skipped with a reason -----------------------
    worker_page.goto(reverse("outcomes:case", args=[case.pk]))
    expect(worker_page.locator("[data-testid=due-summary]")).to_contain_text("at intake")
    axe_check(worker_page)
    worker_page.get_by_role("button", name="Record outcomes").click()
    expect(worker_page.get_by_label("Intake")).to_be_checked()
    axe_check(worker_page)
    worker_page.get_by_role("button", name="Continue").click()
    expect(worker_page.get_by_test_id("question-safety")).to_be_visible()
    axe_check(worker_page)
    worker_page.get_by_test_id("question-safety").get_by_label("Not very safe").check()
    worker_page.get_by_test_id("question-emotional-safety").get_by_label("Somewhat safe").check()
    worker_page.get_by_test_id("question-rights-services").get_by_label("Partly").check()
    worker_page.get_by_test_id("question-health-access").get_by_role("combobox").select_option(
        label="The person chose not to answer"
    )
    worker_page.get_by_role("button", name="Save answers").click()
    expect(_banner(worker_page)).to_contain_text("recorded at intake")
    axe_check(worker_page)
    recorded = {r.measure.code: (r.value, r.skip_reason) for r in Recording.objects.select_related("measure")}
    assert recorded == {
        "safety": (2, ""),
        "emotional-safety": (3, ""),
        "rights-services": (1, ""),
        "health-access": (None, "chose_not_to_answer"),
    }

    # --- the step-down plan ------------------------------------------------------------------
    worker_page.get_by_role("navigation", name="Case sections").get_by_role("link", name="Risk and reviews").click()
    axe_check(worker_page)
    worker_page.get_by_role("link", name="Plan the step-down").first.click()
    expect(worker_page.get_by_role("heading", name="Plan the step-down")).to_be_visible()
    axe_check(worker_page)
    worker_page.get_by_label("Step-down plan").fill("Monthly check-in calls until March, then the helpline.")
    worker_page.get_by_role("button", name="Save the step-down plan").click()
    expect(_banner(worker_page)).to_contain_text("the case is stepping down")
    expect(worker_page.locator("[data-testid=case-status]")).to_have_text("Stepping down")
    axe_check(worker_page)

    # --- the manager closes the case ---------------------------------------------------------
    manager_page.goto(reverse("cases:detail", args=[case.pk]))
    expect(manager_page.locator("[data-testid=case-status]")).to_have_text("Stepping down")
    axe_check(manager_page)
    manager_page.get_by_role("link", name="Change the status").click()
    axe_check(manager_page)
    manager_page.get_by_label("Close the case").check()
    manager_page.get_by_role("button", name="Save the status").click()
    summary = manager_page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose why the case is closing.")
    expect(summary).to_contain_text("Enter a note saying why.")
    axe_check(manager_page)
    manager_page.get_by_label("Support complete").check()
    manager_page.get_by_label("Note").fill("Support plan completed; the helpline number is known.")
    manager_page.get_by_role("button", name="Save the status").click()
    expect(manager_page.locator("[data-testid=case-status]")).to_have_text("Closed")
    expect(manager_page.locator("[data-testid=key-facts]")).to_contain_text("Support complete")
    axe_check(manager_page)

    # --- the person is referred again: the manager accepts, the case jumps the queue ---------
    rereferral = _rereferral(person, hub, provider)
    _nav(manager_page, "Routed to us")
    expect(manager_page.locator("[data-testid=work-items]")).to_contain_text(rereferral.referral.reference)
    axe_check(manager_page)
    manager_page.get_by_role("link", name=rereferral.referral.reference).click()
    axe_check(manager_page)
    manager_page.get_by_label("Yes, accept it").check()
    manager_page.get_by_role("button", name="Save the decision").click()
    expect(manager_page.locator("[data-testid=status]")).to_have_text("Accepted")
    axe_check(manager_page)
    new_case = Case.objects.get(work_item=rereferral)
    # The default for a re-referral is the top of the waiting list, not straight back to a worker.
    assert new_case.is_rereferral and new_case.previous_case_id == case.pk and new_case.status == "waiting"

    _nav(manager_page, "Waiting lists")
    first = manager_page.locator("[data-testid=waiting-list] tbody tr").first
    expect(first).to_have_attribute("data-reference", new_case.reference)
    expect(first).to_contain_text("Re-referral")
    expect(manager_page.locator("[data-testid=waiting-list] tbody tr")).to_have_count(2)  # Ann still waits
    axe_check(manager_page)
    first.get_by_role("link", name="Jane Smith", exact=True).click()
    expect(manager_page.locator("[data-testid=rereferral]")).to_be_visible()
    expect(manager_page.locator("[data-testid=previous-case]")).to_contain_text("Support complete")
    axe_check(manager_page)
    manager_page.get_by_role("navigation", name="Case sections").get_by_role("link", name="Risk and reviews").click()
    axe_check(manager_page)
    manager_page.get_by_role("link", name="See the previous case").click()
    expect(manager_page.locator("[data-testid=previous-key-worker]")).to_have_text("Sam Okafor")
    history = manager_page.locator("[data-testid=previous-history]")
    expect(history).to_contain_text("Stepping down")
    expect(history).to_contain_text("Closed (Support complete)")
    axe_check(manager_page)

    for each in (manager_page, worker_page, no_js):
        assert each.console_errors == [], each.console_errors
