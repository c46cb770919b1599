"""The contacts page: who may open it, recording a contact, safe-contact refusals, constant queries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from safepath.cases.models import VolunteerAssignment
from safepath.cases.services import case_change_status
from safepath.casework.models import Contact
from safepath.casework.tests.conftest import LONDON, NOW, set_safe
from safepath.casework.tests.url_table_casework import open_case, token
from safepath.core.models import AuditEvent
from safepath.core.roles import Role
from safepath.testing import assert_constant_queries

pytestmark = pytest.mark.django_db


def url(case) -> str:
    return reverse("casework:contacts", args=[case.pk])


def form(mode="phone", tok=None, **overrides) -> dict:
    data = {
        "token": tok or token(),
        "contact_type": "check_in",
        "mode": mode,
        "made": "made",
        "on_day": "12",
        "on_month": "3",
        "on_year": "2026",
        "time": "09:15",
        "duration_minutes": "20",
        "with_whom": "person",
        "agency_name": "",
        "note": "Talked through the court date",
    }
    return data | overrides


def test_it_shows_a_caseworker_the_contacts_with_the_safe_contact_rules(case, worker, login):
    response = login(worker).get(url(case))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="safe-contact"' in html and 'data-testid="contact-form"' in html
    assert "Nobody has recorded" not in html
    assert AuditEvent.objects.filter(
        object_type="cases.case", object_id=str(case.pk), action="view", reason="contacts"
    ).exists()


def test_it_records_a_contact_at_the_time_given_in_england(case, worker, login):
    set_safe(case, phone=True)
    response = login(worker).post(url(case), form())
    assert response.status_code == 302 and response["Location"] == url(case)
    contact = Contact.objects.get()
    assert contact.at == datetime(2026, 3, 12, 9, 15, tzinfo=LONDON) and contact.by == worker
    assert contact.duration_minutes == 20 and contact.made


def test_it_shows_the_refusal_next_to_the_mode_and_saves_nothing(case, worker, login):
    set_safe(case, letter=False)
    response = login(worker).post(url(case), form(mode="letter"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("This person has said letter is not safe.") == 2  # beside the field and in the summary
    assert 'href="#id_mode"' in html and 'id="id_mode-error"' in html
    assert not Contact.objects.exists()


def test_it_records_a_double_submission_once(case, worker, login):
    client = login(worker)
    data = form(mode="face_to_face")
    assert client.post(url(case), data).status_code == 302
    assert client.post(url(case), data).status_code == 302
    assert Contact.objects.count() == 1


def test_it_refuses_a_time_in_the_future(case, worker, login):
    response = login(worker).post(url(case), form(mode="face_to_face", time="10:01"))
    assert "The date and time of the contact must not be in the future." in response.content.decode()
    assert not Contact.objects.exists()


def test_it_refuses_a_time_that_is_not_a_time(case, worker, login):
    response = login(worker).post(url(case), form(mode="face_to_face", time="25:00"))
    assert "Enter the time as hours and minutes, for example 14:30." in response.content.decode()


def test_it_offers_no_form_on_a_closed_case_and_refuses_a_post(case, worker, login):
    case_change_status(request=None, case=case, to_status="closed", version=case.version, reason_code="declined")
    client = login(worker)
    html = client.get(url(case)).content.decode()
    assert 'data-testid="case-closed"' in html and 'data-testid="contact-form"' not in html
    response = client.post(url(case), form(mode="face_to_face"))
    assert "This case is closed" in response.content.decode() and not Contact.objects.exists()


def test_it_gives_another_providers_caseworker_404(case, member, login):
    assert login(member(Role.CASEWORKER)).get(url(case)).status_code == 404


def test_it_gives_an_assigned_volunteer_403(case, member, provider, login):
    volunteer = member(Role.VOLUNTEER, provider)
    VolunteerAssignment.objects.create(case=case, volunteer=volunteer, started_on=NOW.date())
    assert login(volunteer).get(url(case)).status_code == 403


def test_it_tells_a_commissioner_the_case_does_not_exist(case, member, login):
    assert login(member(Role.COMMISSIONER)).get(url(case)).status_code == 404
    assert login(member(Role.COMMISSIONER)).post(url(case), form()).status_code == 404


def test_it_lets_the_team_manager_record_contacts_too(case, manager, login):
    assert login(manager).post(url(case), form(mode="video")).status_code == 302


def test_it_keeps_a_constant_number_of_queries_as_contacts_grow(case, worker, member, provider, login, hub):
    colleagues = [member(Role.CASEWORKER, provider) for _ in range(3)]
    other = open_case(hub, provider, "Other", "Person")

    def grow(n: int) -> None:
        Contact.objects.bulk_create(
            Contact(
                case=target,
                contact_type="check_in",
                mode="face_to_face",
                made=True,
                at=NOW - timedelta(minutes=i),
                by=colleagues[i % 3],
                recorded_at=NOW,
            )
            for target in (case, other)
            for i in range(n)
        )

    assert_constant_queries(login(worker), url(case), grow)


def test_it_lists_newest_first_and_paginates(case, worker, login):
    Contact.objects.bulk_create(
        Contact(
            case=case,
            contact_type="crisis",
            mode="video",
            made=True,
            at=NOW - timedelta(hours=i),
            by=worker,
            recorded_at=NOW,
            note=f"contact number {i}",
        )
        for i in range(30)
    )
    client = login(worker)
    first = client.get(url(case)).content.decode()
    assert "contact number 0<" in first and "contact number 29<" not in first
    assert first.index("contact number 0<") < first.index("contact number 1<")
    assert "contact number 29<" in client.get(url(case) + "?page=2").content.decode()
