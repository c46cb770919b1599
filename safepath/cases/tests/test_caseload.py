"""A worker's caseload, a manager's view of it and the team view: scope, flags, benchmarks,
filters and sorting, audit, and a constant number of queries."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from safepath.accounts.models import Membership
from safepath.cases.choices import CaseStatus
from safepath.cases.selectors import settings_for
from safepath.cases.tests.url_table_caseload import held_case, open_case
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, assert_constant_queries

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 10)
CASELOAD = reverse("cases:caseload")
TEAM = reverse("cases:team")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=LONDON), tick=False):
        yield


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


def references(html: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row" data-reference="([^"]+)"', html)


def test_it_lists_only_my_open_cases_here(login, hub, provider, worker, member):
    mine = held_case(hub, provider, worker, "Ffion", "Carrow")
    colleague = member(Role.CASEWORKER, provider)
    held_case(hub, provider, colleague, "Anwen", "Bray")
    elsewhere = OrganisationFactory(type=OrganisationType.PROVIDER)
    Membership.objects.create(user=worker, organisation=elsewhere, role=Role.CASEWORKER)
    held_case(hub, elsewhere, worker, "Betsan", "Cole")  # mine, but at the other organisation
    closed = held_case(hub, provider, worker, "Cerys", "Dyer", status=CaseStatus.CLOSED, closure_reason="died")
    open_case(hub, provider, "Dilys", "Evans")  # waiting, nobody's
    html = login(worker).get(CASELOAD).content.decode()
    assert references(html) == [mine.reference]
    assert "Ffion Carrow" in html and closed.reference not in html
    assert AuditEvent.objects.filter(action="view", object_type="cases.case", object_id=str(mine.pk)).exists()


def test_it_flags_overdue_reviews_and_actions_and_due_step_down_plans(login, hub, provider, worker):
    prompt = settings_for(held_case(hub, provider, worker, "Ffion", "Carrow").pathway).step_down_prompt_days
    due = held_case(
        hub,
        provider,
        worker,
        "Anwen",
        "Bray",
        review_due_on=TODAY - timedelta(days=1),
        support_ends_on=TODAY + timedelta(days=prompt),
    )
    not_yet = held_case(hub, provider, worker, "Betsan", "Cole", support_ends_on=TODAY + timedelta(days=prompt + 1))
    stepping = held_case(
        hub,
        provider,
        worker,
        "Cerys",
        "Dyer",
        status=CaseStatus.STEPPING_DOWN,
        support_ends_on=TODAY,
        next_action_on=TODAY - timedelta(days=2),
    )
    html = login(worker).get(CASELOAD).content.decode()
    rows = dict(re.findall(r'data-reference="([^"]+)">(.*?)</tr>', html, re.S))
    assert 'data-flag="review-overdue"' in rows[due.reference] and 'data-flag="step-down-due"' in rows[due.reference]
    assert "data-flag" not in rows[not_yet.reference]
    assert 'data-flag="action-overdue"' in rows[stepping.reference]
    assert 'data-flag="step-down-due"' not in rows[stepping.reference]  # already stepping down
    assert "Step-down plan due" in html and "Overdue" in html


def test_it_puts_overdue_reviews_first_then_the_next_action_due(login, hub, provider, worker):
    later = held_case(hub, provider, worker, "A", "One", next_action_on=TODAY + timedelta(days=5))
    soon = held_case(hub, provider, worker, "B", "Two", next_action_on=TODAY + timedelta(days=1))
    none = held_case(hub, provider, worker, "C", "Three")
    overdue = held_case(hub, provider, worker, "D", "Four", review_due_on=TODAY - timedelta(days=3))
    html = login(worker).get(CASELOAD).content.decode()
    assert references(html) == [overdue.reference, soon.reference, later.reference, none.reference]


def test_it_filters_and_sorts(login, hub, provider, worker):
    high = held_case(
        hub, provider, worker, "A", "Zed", risk_level="high", last_contact_at=datetime(2026, 3, 1, tzinfo=LONDON)
    )
    medium = held_case(
        hub, provider, worker, "B", "Young", risk_level="medium", review_due_on=TODAY - timedelta(days=1)
    )
    silent = held_case(
        hub, provider, worker, "C", "Xu", risk_level="standard", status=CaseStatus.ACTIVE, pathway="outreach"
    )
    client = login(worker)

    def refs(**query):
        return references(client.get(CASELOAD, query).content.decode())

    assert refs(risk_level="high") == [high.reference]
    assert refs(attention="overdue") == [medium.reference]
    assert set(refs(attention="no_contact")) == {medium.reference, silent.reference}
    assert refs(status="active") == [silent.reference]
    assert refs(pathway=silent.pathway_id) == [silent.reference]
    assert refs(sort="name") == [silent.reference, medium.reference, high.reference]
    assert refs(sort="risk") == [high.reference, medium.reference, silent.reference]
    assert refs(sort="nonsense")  # an unknown option is ignored, not an error
    html = client.get(CASELOAD, {"risk_level": "high"}).content.decode()
    assert 'value="high" selected' in html


def test_it_compares_the_caseload_with_the_benchmark(login, hub, provider, worker):
    settings = settings_for(held_case(hub, provider, worker, "A", "One").pathway)
    settings.caseload_low, settings.caseload_high = 1, 2
    settings.save()
    html = login(worker).get(CASELOAD).content.decode()
    assert 'data-benchmark="within"' in html and "1 open case: within the benchmark of 1–2" in html
    held_case(hub, provider, worker, "B", "Two")
    held_case(hub, provider, worker, "C", "Three")
    html = login(worker).get(CASELOAD).content.decode()
    assert "3 open cases: above the benchmark of 1–2" in html


def test_it_paginates(login, hub, provider, worker, monkeypatch):
    monkeypatch.setattr("safepath.cases.views_caseload.PAGE_SIZE", 2)
    for name in ("A", "B", "C"):
        held_case(hub, provider, worker, name, "Case")
    client = login(worker)
    first = client.get(CASELOAD, {"risk_level": "standard"}).content.decode()
    assert len(references(first)) == 2 and "?risk_level=standard&amp;page=2" in first
    assert len(references(client.get(CASELOAD, {"risk_level": "standard", "page": 2}).content.decode())) == 1


def test_it_uses_a_constant_number_of_queries(login, hub, provider, worker):
    def grow(n):
        for i in range(n):
            held_case(hub, provider, worker, f"P{i}", "Case", review_due_on=TODAY - timedelta(days=i % 3))

    assert_constant_queries(login(worker), CASELOAD, grow)


# --- a manager's views ------------------------------------------------------------------


def test_it_shows_a_manager_a_workers_caseload(login, hub, provider, worker, manager):
    case = held_case(hub, provider, worker, "Ffion", "Carrow")
    html = login(manager).get(reverse("cases:worker_caseload", args=[worker.pk])).content.decode()
    assert "Caseload: Nia Worker" in html and references(html) == [case.reference]


def test_it_hides_a_worker_of_another_organisation(login, manager, member):
    outsider = member(Role.CASEWORKER, OrganisationFactory(type=OrganisationType.PROVIDER))
    assert login(manager).get(reverse("cases:worker_caseload", args=[outsider.pk])).status_code == 404


def test_it_refuses_caseworkers_the_team_pages(login, worker):
    client = login(worker)
    assert client.get(TEAM).status_code == 403
    assert client.get(reverse("cases:worker_caseload", args=[worker.pk])).status_code == 403


def test_it_sums_each_workers_cases_on_the_team_view(login, hub, provider, worker, manager, member):
    held_case(hub, provider, worker, "A", "One", risk_level="high", review_due_on=TODAY - timedelta(days=1))
    held_case(hub, provider, worker, "B", "Two", risk_level="medium")
    held_case(hub, provider, worker, "C", "Three", status=CaseStatus.CLOSED, closure_reason="died")
    left = member(Role.CASEWORKER, provider, full_name="Lou Left")
    held_case(hub, provider, left, "D", "Four")
    Membership.objects.filter(user=left).update(is_active=False)
    member(Role.VOLUNTEER, provider, full_name="Val Volunteer")
    open_case(hub, provider, "E", "Five")
    html = login(manager).get(TEAM).content.decode()
    row = re.search(rf'data-worker="{worker.pk}">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r'data-column="(\w+)">(\d+)<', row) == [("open", "2"), ("high", "1"), ("overdue", "1")]
    assert 'data-benchmark="below"' in row and "2 open cases: below the benchmark of 60–80" in row
    assert f'href="{reverse("cases:worker_caseload", args=[worker.pk])}"' in row
    assert "Mo Manager" in html and "Val Volunteer" not in html
    assert "Lou Left" in html and "No longer works here" in html
    assert "1 person is waiting to be allocated." in html


def test_it_counts_the_team_in_a_constant_number_of_queries(login, hub, provider, manager, member):
    def grow(n):
        for i in range(n):
            someone = member(Role.CASEWORKER, provider)
            held_case(hub, provider, someone, f"P{i}", "Case", pathway="outreach" if i % 2 else "idva")

    assert_constant_queries(login(manager), TEAM, grow)
