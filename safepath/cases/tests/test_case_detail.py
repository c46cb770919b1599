"""The case overview and status changes: key facts, history with reopenings, a re-referral's
previous case, the person's other open cases here only; who may change what; stale forms and
double submissions; and who may see a case at all."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from safepath.cases.choices import CaseStatus
from safepath.cases.models import Case, VolunteerAssignment
from safepath.cases.services import case_allocate, case_change_status, case_open
from safepath.cases.tests.url_table_caseload import ROWS, held_case, open_case
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import Pathway
from safepath.testing import OrganisationFactory, refused

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
S = CaseStatus


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=LONDON), tick=False) as traveller:
        yield traveller


@pytest.fixture
def hub(db):
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def provider(db):
    return OrganisationFactory(type=OrganisationType.PROVIDER)


@pytest.fixture
def worker(member, provider):
    return member(Role.CASEWORKER, provider, full_name="Nia Worker")


@pytest.fixture
def manager(member, provider):
    return member(Role.TEAM_MANAGER, provider, full_name="Mo Manager")


def detail(case: Case) -> str:
    return reverse("cases:detail", args=[case.pk])


def status_url(case: Case) -> str:
    return reverse("cases:change_status", args=[case.pk])


def fact(html: str, key: str) -> str:
    match = re.search(
        rf'<dt class="govuk-summary-list__key">{key}</dt><dd class="govuk-summary-list__value">([^<]*)<', html
    )
    assert match, key
    return match.group(1)


# --- the overview -----------------------------------------------------------------------


def test_it_shows_the_key_facts_and_audits_the_view(login, hub, provider, worker):
    case = held_case(
        hub,
        provider,
        worker,
        "Ffion",
        "Carrow",
        first_contact_at=datetime(2026, 3, 11, 9, tzinfo=LONDON),
        engaged_at=datetime(2026, 3, 11, 9, tzinfo=LONDON),
        support_ends_on=date(2026, 3, 20),
    )
    html = login(worker).get(detail(case)).content.decode()
    assert "Ffion Carrow" in html and case.reference in html
    assert fact(html, "Opened") == "10 Mar 2026 12:00"
    assert fact(html, "Allocated") == "10 Mar 2026 12:00"
    assert fact(html, "Engaged") == "11 Mar 2026 09:00"
    assert fact(html, "Support ends") == "20 Mar 2026 – step-down plan due"
    assert fact(html, "Next action due") == "Not yet"
    assert 'aria-current="page">Overview<' in html
    assert AuditEvent.objects.filter(action="view", object_type="cases.case", object_id=str(case.pk)).exists()


def test_it_shows_the_closure_and_labels_reopenings_in_the_history(login, hub, provider, worker, manager, frozen):
    case = held_case(hub, provider, worker, "Ffion", "Carrow")
    case_change_status(request=None, case=case, to_status=S.CLOSED, reason_code="moved_away", note="Moved to Leeds")
    html = login(manager).get(detail(case)).content.decode()
    assert fact(html, "Closure reason") == "Moved away" and fact(html, "Closed") == "10 Mar 2026 12:00"
    assert "Moved to Leeds" in html
    frozen.shift(86400)
    case_change_status(request=None, case=case, to_status=S.WAITING)
    html = login(manager).get(detail(case)).content.decode()
    history = html[html.index('data-testid="status-history"') :]
    assert history.count('data-reopening="true"') == 1 and "Reopened: Waiting" in history
    assert (
        history.index("Reopened: Waiting") < history.index("Closed (was Allocated)") < history.index("Opened: Waiting")
    )


def test_it_links_the_previous_case_of_a_re_referral_in_scope(login, hub, provider, worker):
    previous = held_case(hub, provider, worker, "Ffion", "Carrow")
    case_change_status(request=None, case=previous, to_status=S.CLOSED, reason_code="risk_reduced")
    case = case_open(
        request=None, person=previous.person, pathway=previous.pathway, provider_id=provider.pk, risk_level="high"
    )
    html = login(worker).get(detail(case)).content.decode()
    section = html[html.index('data-testid="previous-case"') :]
    assert f'href="{detail(previous)}"' in section and "Risk reduced" in section
    assert 'data-testid="rereferral"' in html
    assert AuditEvent.objects.filter(object_id=str(previous.pk), reason=f"previous case of case {case.pk}").exists()


def test_it_shows_a_previous_case_elsewhere_without_a_link(login, hub, provider, worker, member):
    other = OrganisationFactory(type=OrganisationType.PROVIDER, name="Northern Refuge")
    previous = held_case(hub, other, member(Role.CASEWORKER, other), "Ffion", "Carrow")
    case_change_status(request=None, case=previous, to_status=S.CLOSED, reason_code="transferred")
    case = case_open(
        request=None, person=previous.person, pathway=previous.pathway, provider_id=provider.pk, risk_level="high"
    )
    html = login(worker).get(detail(case)).content.decode()
    section = html[html.index('data-testid="previous-case"') :]
    assert "Northern Refuge" in section and "Transferred to another service" in section
    assert detail(previous) not in html
    assert login(worker).get(detail(previous)).status_code == 404


def test_it_lists_the_persons_other_open_cases_at_this_provider_only(login, hub, provider, worker, member):
    case = held_case(hub, provider, worker, "Ffion", "Carrow")
    here = case_open(
        request=None,
        person=case.person,
        pathway=Pathway.objects.get(code="children"),
        provider_id=provider.pk,
        risk_level="high",
    )
    other = OrganisationFactory(type=OrganisationType.PROVIDER)
    there = case_open(request=None, person=case.person, pathway=case.pathway, provider_id=other.pk, risk_level="high")
    html = login(worker).get(detail(case)).content.decode()
    section = html[html.index('data-testid="other-cases"') :]
    assert here.reference in section and there.reference not in html


# --- status changes ---------------------------------------------------------------------


def options(html: str) -> list[str]:
    return re.findall(r'name="to_status" type="radio" value="(\w+)"', html)


def test_it_offers_caseworkers_active_and_stepping_down_only(login, hub, provider, worker):
    case = held_case(hub, provider, worker, "Ffion", "Carrow", status=S.ACTIVE)
    html = login(worker).get(status_url(case)).content.decode()
    assert options(html) == ["stepping_down"]
    assert "ask a team manager" in html


def test_it_offers_managers_closure_and_reopening(login, hub, provider, worker, manager):
    case = held_case(hub, provider, worker, "Ffion", "Carrow")
    client = login(manager)
    assert options(client.get(status_url(case)).content.decode()) == ["active", "waiting", "closed"]
    case_change_status(request=None, case=case, to_status=S.CLOSED, reason_code="declined")
    assert options(client.get(status_url(case)).content.decode()) == ["waiting", "allocated"]


def test_it_steps_a_case_down_with_a_note(login, hub, provider, worker):
    case = held_case(hub, provider, worker, "Ffion", "Carrow", status=S.ACTIVE)
    response = login(worker).post(
        status_url(case), {"to_status": "stepping_down", "note": "Plan agreed", "version": case.version}
    )
    assert response.status_code == 302 and response["Location"] == detail(case)
    case.refresh_from_db()
    assert case.status == S.STEPPING_DOWN and case.status_changes.last().note == "Plan agreed"


def test_it_refuses_a_caseworker_closing_a_case(login, hub, provider, worker):
    case = held_case(hub, provider, worker, "Ffion", "Carrow", status=S.ACTIVE)
    data = {"to_status": "closed", "reason_code": "risk_reduced", "note": "Done", "version": case.version}
    html = login(worker).post(status_url(case), data).content.decode()
    assert "Choose one of the statuses listed." in html
    case.refresh_from_db()
    assert case.status == S.ACTIVE


def test_it_needs_a_reason_and_a_note_to_close(login, hub, provider, worker, manager):
    case = held_case(hub, provider, worker, "Ffion", "Carrow", status=S.ACTIVE)
    html = login(manager).post(status_url(case), {"to_status": "closed", "version": case.version}).content.decode()
    assert "govuk-error-summary" in html
    assert "Choose why the case is closing." in html and "Enter a note saying why." in html
    assert 'href="#id_reason_code"' in html
    case.refresh_from_db()
    assert case.status == S.ACTIVE


def test_it_closes_and_reopens(login, hub, provider, worker, manager):
    case = held_case(hub, provider, worker, "Ffion", "Carrow", status=S.ACTIVE)
    client = login(manager)
    client.post(
        status_url(case),
        {"to_status": "closed", "reason_code": "support_complete", "note": "Safe", "version": case.version},
    )
    case.refresh_from_db()
    assert (case.status, case.closure_reason) == (S.CLOSED, "support_complete")
    response = client.post(
        status_url(case), {"to_status": "allocated", "note": "New incident", "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.key_worker) == (S.ALLOCATED, worker)


def test_it_shows_a_stale_form_as_an_error_and_saves_nothing(login, hub, provider, worker, manager):
    case = held_case(hub, provider, worker, "Ffion", "Carrow", status=S.ACTIVE)
    stale = case.version
    case_allocate(request=None, case=case, worker=manager)  # a colleague changes it meanwhile
    data = {"to_status": "stepping_down", "note": "Plan agreed", "version": stale}
    response = login(worker).post(status_url(case), data)
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Someone else changed this case while you were working on it." in html
    assert "Plan agreed" in html  # what was typed is kept
    case.refresh_from_db()
    assert case.status == S.ACTIVE and case.status_changes.filter(to_status=S.STEPPING_DOWN).count() == 0
    assert f'name="version" value="{case.version}"' in html


def test_it_treats_a_double_submission_as_done(login, hub, provider, worker):
    case = held_case(hub, provider, worker, "Ffion", "Carrow", status=S.ACTIVE)
    client = login(worker)
    data = {"to_status": "stepping_down", "note": "Plan agreed", "version": case.version}
    client.post(status_url(case), data)
    response = client.post(status_url(case), data)
    assert response.status_code == 302
    assert case.status_changes.filter(to_status=S.STEPPING_DOWN).count() == 1


def test_it_explains_when_a_caseworker_has_nothing_to_change(login, hub, provider, worker):
    case = open_case(hub, provider, "Ffion", "Carrow")
    html = login(worker).get(status_url(case)).content.decode()
    assert 'data-testid="no-options"' in html and "allocates it" in html


# --- who may see a case -----------------------------------------------------------------


def test_it_hides_another_providers_case(login, hub, worker, manager, member):
    other = OrganisationFactory(type=OrganisationType.PROVIDER)
    theirs = held_case(hub, other, member(Role.CASEWORKER, other), "Ffion", "Carrow")
    for user in (worker, manager):
        client = login(user)
        assert client.get(detail(theirs)).status_code == 404
        assert client.get(status_url(theirs)).status_code == 404
        assert client.post(status_url(theirs), {"to_status": "stepping_down", "version": 1}).status_code == 404


def test_it_refuses_a_volunteer_the_case_pages(login, hub, provider, worker, member):
    volunteer = member(Role.VOLUNTEER, provider)
    case = held_case(hub, provider, worker, "Ffion", "Carrow")
    VolunteerAssignment.objects.create(case=case, volunteer=volunteer, started_on=date(2026, 3, 1))
    client = login(volunteer)
    for url in (detail(case), status_url(case), reverse("cases:caseload")):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize(
    "role", [Role.COMMISSIONER, Role.TRIAGE_WORKER, Role.REFERRING_PROFESSIONAL, Role.MARAC_COORDINATOR]
)
def test_it_refuses_people_outside_providers_every_cases_url(role, login, hub, provider, worker, member):
    case = held_case(hub, provider, worker, "Ffion", "Carrow")
    world = {
        "caseload_manager_case": case,
        "caseload_worker_case": case,
        "caseload_volunteer_case": case,
        "caseload_other_case": case,
        "colleague": worker,
        "caseload_other_worker": worker,
        "caseload_team": None,
        "caseload_other_team": None,
        "caseload_pathway": case.pathway,
    }
    client = login(member(role))
    for row in ROWS:
        if row.name.startswith("cases:team_edit"):
            url = reverse(row.name, args=[1])
        else:
            url = row.url(world)
        data = row.data(world) if callable(row.data) else row.data
        assert getattr(client, row.method)(url, data).status_code == refused(role, url), row.name
    case.refresh_from_db()
    assert case.status == S.ALLOCATED
