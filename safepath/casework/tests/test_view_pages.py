"""Notes, safety plan, tasks, consent and sharing pages: the journeys through the views."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from safepath.cases.models import Case
from safepath.casework.models import CaseNote, Consent, SafetyPlan, SharingRecord, Task
from safepath.casework.services import ActionInput, ConsentInput, consent_record, safety_plan_revise
from safepath.casework.tests.conftest import NOW
from safepath.casework.tests.url_table_casework import token
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, assert_constant_queries

pytestmark = pytest.mark.django_db


def url(name, *args) -> str:
    return reverse(f"casework:{name}", args=list(args))


# --- notes -------------------------------------------------------------------------------------


def test_it_adds_a_private_note_and_offers_no_sharing_without_consent(case, worker, login):
    client = login(worker)
    html = client.get(url("notes", case.pk)).content.decode()
    assert 'data-testid="no-sharing-consent"' in html and 'name="shared"' not in html
    assert client.post(url("notes", case.pk), {"token": token(), "text": "Called back"}).status_code == 302
    assert CaseNote.objects.get().author == worker


def test_it_refuses_a_note_posted_as_shared_without_consent(case, worker, login):
    response = login(worker).post(url("notes", case.pk), {"token": token(), "text": "x", "shared": "on"})
    assert "This note cannot be shared" in response.content.decode() and not CaseNote.objects.exists()


def test_it_lets_a_note_be_shared_with_consent_to_share_the_full_case(case, worker, login):
    data = ConsentInput(recipient="consortium", scopes=["full_case"], given_on=date(2026, 3, 1))
    consent_record(request=None, case=case, token=token(), data=data, by=worker)
    client = login(worker)
    assert 'name="shared"' in client.get(url("notes", case.pk)).content.decode()
    client.post(url("notes", case.pk), {"token": token(), "text": "Safe at her sister's", "shared": "on"})
    assert CaseNote.objects.get().shared


def test_it_keeps_a_constant_number_of_queries_as_notes_grow(case, worker, login):
    def grow(n: int) -> None:
        CaseNote.objects.bulk_create(CaseNote(case=case, text=f"note {i}", author=worker, at=NOW) for i in range(n))

    assert_constant_queries(login(worker), url("notes", case.pk), grow)


# --- safety plan -------------------------------------------------------------------------------


def plan_form(version: int, tok=None, **actions) -> dict:
    data = {
        "token": tok or token(),
        "version": str(version),
        "summary": "Stay with her sister; the school knows who may collect the children.",
        "review_day": "1",
        "review_month": "6",
        "review_year": "2026",
        "actions-TOTAL_FORMS": "2",
        "actions-INITIAL_FORMS": "0",
        "actions-MIN_NUM_FORMS": "0",
        "actions-MAX_NUM_FORMS": "30",
        "actions-0-text": "Keep a phone charged",
        "actions-0-who": "The person",
        "actions-0-due_day": "1",
        "actions-0-due_month": "4",
        "actions-0-due_year": "2026",
        "actions-1-text": "",
        "actions-1-who": "",
    }
    return data | actions


def test_it_writes_then_revises_the_plan_keeping_the_old_version(case, worker, login):
    client = login(worker)
    assert "Write a safety plan" in client.get(url("safety_plan_revise", case.pk)).content.decode()
    assert client.post(url("safety_plan_revise", case.pk), plan_form(0)).status_code == 302
    revise_page = client.get(url("safety_plan_revise", case.pk)).content.decode()
    assert 'name="version" value="1"' in revise_page and "Keep a phone charged" in revise_page
    more = {"actions-1-text": "Apply for a non-molestation order", "actions-1-who": "IDVA"}
    assert client.post(url("safety_plan_revise", case.pk), plan_form(1, **more)).status_code == 302
    page = client.get(url("safety_plan", case.pk)).content.decode()
    assert "Version 2" in page and page.count('data-testid="plan-version"') == 1
    assert Case.objects.get(pk=case.pk).next_action_on == date(2026, 4, 1)


def test_it_tells_the_second_writer_the_plan_changed_and_saves_nothing(case, worker, login):
    safety_plan_revise(
        request=None,
        case=case,
        token=token(),
        version=0,
        review_on=date(2026, 6, 1),
        actions=[ActionInput("Call", "IDVA")],
        by=worker,
    )
    response = login(worker).post(url("safety_plan_revise", case.pk), plan_form(0))
    assert "Someone else revised this safety plan" in response.content.decode()
    assert SafetyPlan.objects.count() == 1


def test_it_shows_an_incomplete_action_beside_its_boxes(case, worker, login):
    response = login(worker).post(url("safety_plan_revise", case.pk), plan_form(0, **{"actions-0-who": ""}))
    html = response.content.decode()
    assert "Enter who does it." in html and 'href="#id_actions-0-who"' in html
    assert not SafetyPlan.objects.exists()


def test_it_keeps_a_constant_number_of_queries_as_plan_versions_grow(case, worker, login):
    state = {"version": 0}

    def grow(n: int) -> None:
        for _ in range(min(n, 12)):
            safety_plan_revise(
                request=None,
                case=case,
                token=token(),
                version=state["version"],
                review_on=date(2026, 6, 1),
                actions=[ActionInput("Call", "IDVA")] * 3,
                by=worker,
            )
            state["version"] += 1

    assert_constant_queries(login(worker), url("safety_plan", case.pk), grow)


# --- tasks -------------------------------------------------------------------------------------


def test_it_adds_a_task_shows_it_overdue_and_marks_it_done(case, worker, login, clock):
    client = login(worker)
    data = {
        "token": token(),
        "title": "Chase the housing officer",
        "due_day": "13",
        "due_month": "3",
        "due_year": "2026",
        "assigned_to": str(worker.pk),
    }
    assert client.post(url("tasks", case.pk), data).status_code == 302
    task = Task.objects.get()
    clock.shift(timedelta(days=2))
    client = login(worker)  # signed out meanwhile by the idle timeout
    assert 'data-testid="overdue"' in client.get(url("tasks", case.pk)).content.decode()
    assert client.post(url("task_done", case.pk, task.pk)).status_code == 302
    assert Task.objects.get().done_by == worker and Case.objects.get(pk=case.pk).next_action_on is None


def test_it_offers_only_the_providers_workers_for_a_task(case, worker, member, provider, login):
    outsider = member(Role.CASEWORKER)
    volunteer = member(Role.VOLUNTEER, provider)
    html = login(worker).get(url("tasks", case.pk)).content.decode()
    assert worker.full_name in html and outsider.full_name not in html and volunteer.full_name not in html


def test_it_keeps_a_constant_number_of_queries_as_tasks_grow(case, worker, member, provider, login):
    people = [worker, member(Role.TEAM_MANAGER, provider)]

    def grow(n: int) -> None:
        Task.objects.bulk_create(
            Task(
                case=case,
                title=f"task {i}",
                due_on=date(2026, 3, 1 + i % 28),
                assigned_to=people[i % 2],
                created_by=worker,
                created_at=NOW,
                done_at=NOW if i % 3 == 0 else None,
                done_by=people[i % 2] if i % 3 == 0 else None,
            )
            for i in range(n)
        )

    assert_constant_queries(login(worker), url("tasks", case.pk), grow)


# --- consent and sharing ------------------------------------------------------------------------


def test_it_records_consent_and_its_withdrawal(case, worker, login):
    client = login(worker)
    data = {
        "token": token(),
        "recipient": "agency",
        "agency_name": "Victim Support",
        "scopes": ["risk_information", "safety_plan"],
        "given_day": "1",
        "given_month": "3",
        "given_year": "2026",
    }
    assert client.post(url("consent_add", case.pk), data).status_code == 302
    consent = Consent.objects.get()
    assert sorted(consent.scopes.values_list("code", flat=True)) == ["risk_information", "safety_plan"]
    page = client.get(url("consent", case.pk)).content.decode()
    assert "Victim Support" in page and "In force" in page
    withdraw = {"withdrawn_day": "10", "withdrawn_month": "3", "withdrawn_year": "2026"}
    assert client.post(url("consent_withdraw", case.pk, consent.pk), withdraw).status_code == 302
    assert "Withdrawn 10 Mar 2026" in client.get(url("consent", case.pk)).content.decode()


def test_it_refuses_sharing_without_consent_in_plain_words(case, worker, login):
    data = {
        "token": token(),
        "agency_name": "Victim Support",
        "scope": "risk_information",
        "what": "The Dash",
        "basis": "consent",
    }
    html = login(worker).post(url("sharing_add", case.pk), data).content.decode()
    assert "There is no record of the person&#39;s consent to share with this agency." in html
    assert not SharingRecord.objects.exists()


def test_it_takes_a_request_to_share_outside_the_consortium_to_a_manager(
    case, worker, manager, member, provider, login, client
):
    police = OrganisationFactory(type=OrganisationType.REFERRING_AGENCY, name="Constabulary")
    data = {
        "token": token(),
        "organisation": str(police.pk),
        "scope": "risk_information",
        "what": "The Dash",
        "basis": "safeguarding",
        "safeguarding_reason": "He has a weapon and knows where she is",
    }
    assert login(worker).post(url("sharing_add", case.pk), data).status_code == 302
    record = SharingRecord.objects.get()
    assert record.status == "pending"
    assert login(worker).get(url("sharing_approve", record.pk)).status_code == 403
    assert login(member(Role.TEAM_MANAGER)).get(url("sharing_approve", record.pk)).status_code == 404
    manager_client = login(manager)
    assert f'data-request="{record.pk}"' in manager_client.get(url("sharing_requests")).content.decode()
    refused = manager_client.post(url("sharing_approve", record.pk), {"decision": "refuse"})
    assert "Explain why the request is refused." in refused.content.decode()
    assert manager_client.post(url("sharing_approve", record.pk), {"decision": "approve"}).status_code == 302
    assert SharingRecord.objects.get().status == "approved"
    assert f'data-request="{record.pk}"' not in manager_client.get(url("sharing_requests")).content.decode()


def test_it_shows_a_manager_their_own_request_without_a_decision_form(case, manager, login):
    data = {
        "token": token(),
        "agency_name": "Housing options",
        "scope": "contact_details",
        "what": "Her new address",
        "basis": "safeguarding",
        "safeguarding_reason": "Emergency rehousing tonight",
    }
    client = login(manager)
    client.post(url("sharing_add", case.pk), data)
    html = client.get(url("sharing_approve", SharingRecord.objects.get().pk)).content.decode()
    assert "another team manager must decide" in html and 'data-testid="decision-form"' not in html


def test_it_keeps_a_constant_number_of_queries_on_the_consent_page_and_the_requests(case, worker, manager, login):
    def grow(n: int) -> None:
        for i in range(n):
            SharingRecord.objects.create(
                case=case,
                agency_name=f"Agency {i}",
                scope="risk_information",
                what="x",
                basis="safeguarding",
                safeguarding_reason="y",
                within_consortium=False,
                status="pending",
                requested_at=NOW,
                requested_by=worker,
            )
            if i % 5 == 0:
                data = ConsentInput(
                    recipient="agency", scopes=["full_case"], given_on=date(2026, 3, 1), agency_name=f"Agency {i}"
                )
                consent_record(request=None, case=case, token=token(), data=data, by=worker)

    assert_constant_queries(login(worker), url("consent", case.pk), grow)
    assert_constant_queries(login(manager), url("sharing_requests"), grow)
