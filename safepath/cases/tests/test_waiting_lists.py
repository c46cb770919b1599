"""Waiting lists (priority order, expected wait from throughput, last contact) and allocating
from them (caseloads against the benchmark, double submission, stale forms)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from safepath.cases.choices import CaseStatus
from safepath.cases.models import Case, CaseStatusChange, Team
from safepath.cases.presenters import wait_estimate
from safepath.cases.services import case_allocate, case_change_status
from safepath.cases.tests.url_table_caseload import held_case, open_case
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import Pathway
from safepath.testing import OrganisationFactory, assert_constant_queries

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 10, 12, tzinfo=LONDON)
LISTS = reverse("cases:waiting_lists")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def hub(db):
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def provider(db):
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    Pathway.objects.get(code="idva").providers.add(provider)
    return provider


@pytest.fixture
def manager(member, provider):
    return member(Role.TEAM_MANAGER, provider, full_name="Mo Manager")


@pytest.fixture
def worker(member, provider):
    return member(Role.CASEWORKER, provider, full_name="Nia Worker")


def waiting(hub, provider, first, *, days_ago=0, risk="standard", pathway="idva", **fields):
    case = open_case(hub, provider, first, "Case", pathway)
    fields |= {"risk_level": risk, "waiting_since": NOW - timedelta(days=days_ago)}
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


def references(html: str) -> list[str]:
    return re.findall(r'<tr class="govuk-table__row" data-reference="([^"]+)"', html)


def test_it_orders_re_referrals_then_risk_then_the_longest_waiting(login, hub, provider, manager):
    old_standard = waiting(hub, provider, "A", days_ago=60)
    new_high = waiting(hub, provider, "B", days_ago=1, risk="high")
    old_high = waiting(hub, provider, "C", days_ago=20, risk="high")
    medium = waiting(hub, provider, "D", days_ago=30, risk="medium")
    rereferral = waiting(hub, provider, "E", days_ago=0, is_rereferral=True)
    html = login(manager).get(LISTS).content.decode()
    assert references(html) == [r.reference for r in (rereferral, old_high, new_high, medium, old_standard)]
    assert "Re-referral" in html and "8 weeks" in html  # A has waited 60 days


def test_it_shows_only_this_providers_list_for_the_chosen_pathway(login, hub, provider, manager):
    mine = waiting(hub, provider, "A")
    outreach = waiting(hub, provider, "B", pathway="outreach")
    waiting(hub, OrganisationFactory(type=OrganisationType.PROVIDER), "C")
    client = login(manager)
    html = client.get(LISTS).content.decode()
    assert references(html) == [mine.reference]
    assert 'data-pathway="idva"' in html and 'data-pathway="outreach"' in html
    html = client.get(LISTS, {"pathway": outreach.pathway_id}).content.decode()
    assert references(html) == [outreach.reference] and "Waiting for Community outreach" in html


def test_it_estimates_the_wait_from_allocations_in_the_last_90_days(login, hub, provider, manager, worker, frozen):
    client = login(manager)
    waiting(hub, provider, "Waits")
    html = client.get(LISTS).content.decode()
    assert "Not enough recent allocations to estimate" in html
    frozen.move_to(NOW - timedelta(days=100))
    case_allocate(request=None, case=open_case(hub, provider, "Old", "One"), worker=worker)  # too long ago
    frozen.move_to(NOW - timedelta(days=30))
    for i in range(6):  # 6 in 90 days: one every 15 days
        case_allocate(request=None, case=open_case(hub, provider, f"R{i}", "Case"), worker=worker)
    frozen.move_to(NOW)
    html = client.get(LISTS).content.decode()
    row = re.search(r'data-pathway="idva">(.*?)</tr>', html, re.S).group(1)
    assert re.search(r">\s*6\s*<", row)
    assert "About 4 weeks" in row  # 2nd in line: 30 days
    assert re.findall(r'data-column="expected">([^<]+)<', html)[-1] == "About 2 weeks"  # 1st in line: 15 days


def test_it_leaves_fast_tracked_and_reopened_allocations_out_of_the_rate(hub, provider, worker, login, manager):
    case = open_case(hub, provider, "A", "Case")
    case_allocate(request=None, case=case, worker=worker)
    case_change_status(request=None, case=case, to_status=CaseStatus.CLOSED, reason_code="declined")
    case_change_status(request=None, case=case, to_status=CaseStatus.ALLOCATED)  # a reopening
    fast = open_case(hub, provider, "B", "Case")
    CaseStatusChange.objects.create(
        case=fast, from_status="waiting", to_status="allocated", at=NOW, reason_code="rereferral_fast_track"
    )
    row = re.search(r'data-pathway="idva">(.*?)</tr>', login(manager).get(LISTS).content.decode(), re.S).group(1)
    assert re.search(r">\s*1\s*<", row)


@pytest.mark.parametrize(
    ("position", "allocations", "text"),
    [
        (1, 2, "Not enough recent allocations to estimate"),
        (1, 90, "Less than a week"),
        (6, 90, "Less than a week"),
        (7, 90, "About 1 week"),
        (10, 3, "About 43 weeks"),
        (3, 9, "About 4 weeks"),
    ],
)
def test_it_words_the_expected_wait(position, allocations, text):
    assert wait_estimate(position, allocations, 90) == text


def test_it_shows_the_last_contact_while_waiting_and_links_the_case(login, hub, provider, manager):
    case = waiting(hub, provider, "A", last_contact_at=datetime(2026, 3, 2, 15, 30, tzinfo=LONDON))
    html = login(manager).get(LISTS).content.decode()
    assert "2 Mar 2026 15:30" in html
    assert f'href="{reverse("cases:detail", args=[case.pk])}"' in html
    assert f'href="{reverse("cases:allocate", args=[case.pk])}"' in html
    assert AuditEvent.objects.filter(action="view", object_type="cases.case", object_id=str(case.pk)).exists()


def test_it_is_for_team_managers_only(login, worker):
    assert login(worker).get(LISTS).status_code == 403


def test_it_uses_a_constant_number_of_queries(login, hub, provider, manager, worker):
    def grow(n):
        for i in range(n):
            waiting(hub, provider, f"W{i}", days_ago=i, risk=("high", "medium", "standard")[i % 3])
            case_allocate(request=None, case=open_case(hub, provider, f"A{i}", "Case"), worker=worker)

    assert_constant_queries(login(manager), LISTS, grow)


# --- allocating -------------------------------------------------------------------------


def allocate_url(case: Case) -> str:
    return reverse("cases:allocate", args=[case.pk])


def test_it_shows_each_workers_caseload_against_the_benchmark(login, hub, provider, manager, worker):
    held_case(hub, provider, worker, "Held", "One")
    held_case(hub, provider, worker, "Held", "Two", pathway="outreach")
    case = waiting(hub, provider, "A")
    html = login(manager).get(allocate_url(case)).content.decode()
    assert "Nia Worker" in html and "Mo Manager" in html
    assert "1 open case: below the benchmark of 60–80" in html and "2 open cases in all." in html
    assert f'name="version" value="{case.version}"' in html


def test_it_allocates_and_goes_back_to_the_list(login, hub, provider, manager, worker):
    team = Team.objects.create(organisation=provider, name="IDVA team")
    case = waiting(hub, provider, "A")
    response = login(manager).post(allocate_url(case), {"worker": worker.pk, "team": team.pk, "version": case.version})
    assert response.status_code == 302 and response["Location"] == f"{LISTS}?pathway={case.pathway_id}"
    case.refresh_from_db()
    assert (case.status, case.key_worker, case.team) == (CaseStatus.ALLOCATED, worker, team)


def test_it_harmlessly_repeats_a_double_submission(login, hub, provider, manager, worker):
    case = waiting(hub, provider, "A")
    client = login(manager)
    data = {"worker": worker.pk, "team": "", "version": case.version}
    assert client.post(allocate_url(case), data).status_code == 302
    assert client.post(allocate_url(case), data).status_code == 302
    assert case.status_changes.filter(to_status=CaseStatus.ALLOCATED).count() == 1


def test_it_refuses_a_stale_form_with_the_message_and_saves_nothing(login, hub, provider, manager, worker, member):
    case = waiting(hub, provider, "A")
    stale = case.version
    colleague = member(Role.CASEWORKER, provider)
    case_allocate(request=None, case=case, worker=colleague)
    response = login(manager).post(allocate_url(case), {"worker": worker.pk, "version": stale})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Someone else changed this case while you were working on it" in html
    case.refresh_from_db()
    assert case.key_worker == colleague and case.version == stale + 1
    assert f'name="version" value="{case.version}"' in html  # a second try, after checking, goes through


@pytest.mark.parametrize(
    ("who", "message"),
    [
        ("outsider", "Choose a caseworker or team manager who works in your organisation."),
        ("volunteer", "Choose a caseworker or team manager who works in your organisation."),
        ("nobody", "Choose who will be the key worker."),
    ],
)
def test_it_refuses_a_worker_who_is_not_staff_here(who, message, login, hub, provider, manager, member):
    case = waiting(hub, provider, "A")
    if who == "outsider":
        worker_id = member(Role.CASEWORKER, OrganisationFactory(type=OrganisationType.PROVIDER)).pk
    elif who == "volunteer":
        worker_id = member(Role.VOLUNTEER, provider).pk
    else:
        worker_id = ""
    html = login(manager).post(allocate_url(case), {"worker": worker_id, "version": case.version}).content.decode()
    assert "govuk-error-summary" in html
    assert message in html
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING


def test_it_will_not_allocate_another_providers_case(login, hub, manager, worker):
    theirs = waiting(hub, OrganisationFactory(type=OrganisationType.PROVIDER), "A")
    assert login(manager).post(allocate_url(theirs), {"worker": worker.pk, "version": 1}).status_code == 404


def test_it_sends_a_closed_case_to_its_page(login, hub, provider, manager):
    case = waiting(hub, provider, "A")
    case_change_status(request=None, case=case, to_status=CaseStatus.CLOSED, reason_code="declined")
    response = login(manager).get(allocate_url(case))
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
