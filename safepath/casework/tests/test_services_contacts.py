"""Recording contacts: safe-contact rules for every mode, case states, the case's contact facts."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from safepath.cases.choices import MODE_CHANNEL, CaseStatus, ContactMode
from safepath.cases.models import Case
from safepath.cases.services import case_allocate, case_change_status
from safepath.casework.models import Contact
from safepath.casework.services import ContactInput, contact_record
from safepath.casework.tests.conftest import LONDON, NOW, set_safe
from safepath.casework.tests.url_table_casework import token
from safepath.core.models import AuditEvent
from safepath.people.models import SafeContact

pytestmark = pytest.mark.django_db
CHANNEL_MODES = [mode for mode, channel in MODE_CHANNEL.items() if channel]
NO_CHANNEL_MODES = [mode for mode, channel in MODE_CHANNEL.items() if channel is None]
MODE_LABEL = {
    "phone": "phone call",
    "voicemail": "voicemail",
    "text": "text message",
    "letter": "letter",
    "email": "email",
}


def record(case, worker, *, mode="phone", made=True, at=None, tok=None, **extra):
    data = ContactInput(contact_type="check_in", mode=mode, made=made, at=at or NOW - timedelta(hours=1), **extra)
    return contact_record(request=None, case=case, token=tok or token(), data=data, by=worker)


def refusal(case, worker, **kwargs) -> dict:
    with pytest.raises(ValidationError) as caught:
        record(case, worker, **kwargs)
    return caught.value.message_dict


def test_it_knows_which_modes_need_a_channel():
    assert set(CHANNEL_MODES) == {"phone", "voicemail", "text", "letter", "email"}
    assert set(NO_CHANNEL_MODES) == {"face_to_face", "video"}


@pytest.mark.parametrize("mode", CHANNEL_MODES)
def test_it_records_a_contact_on_a_channel_marked_safe(case, worker, mode):
    set_safe(case, **{MODE_CHANNEL[mode]: True})
    contact = record(case, worker, mode=mode)
    assert contact.mode == mode and contact.by == worker


@pytest.mark.parametrize("mode", CHANNEL_MODES)
def test_it_refuses_a_channel_the_person_said_is_not_safe_and_saves_nothing(case, worker, mode):
    set_safe(case, **{MODE_CHANNEL[mode]: False})
    errors = refusal(case, worker, mode=mode)
    assert "is not safe" in errors["mode"][0]
    assert not Contact.objects.exists()
    assert Case.objects.get(pk=case.pk).last_contact_at is None
    assert not AuditEvent.objects.filter(object_type="cases.case", reason__startswith="contact").exists()


@pytest.mark.parametrize("mode", CHANNEL_MODES)
def test_it_refuses_a_channel_nobody_confirmed_safe(case, worker, mode):
    errors = refusal(case, worker, mode=mode)  # a new person: every channel unknown
    assert errors["mode"] == [f"Nobody has confirmed that {MODE_LABEL[mode]} is safe for this person."]


@pytest.mark.parametrize("mode", CHANNEL_MODES)
def test_it_refuses_every_channel_when_the_person_has_no_safe_contact_record(case, worker, mode):
    SafeContact.objects.filter(person=case.person).delete()
    errors = refusal(case, worker, mode=mode)
    assert "Nobody has recorded how this person can be contacted safely" in errors["mode"][0]


@pytest.mark.parametrize("mode", NO_CHANNEL_MODES)
@pytest.mark.parametrize("has_record", [True, False])
def test_it_allows_face_to_face_and_video_whatever_the_rules(case, worker, mode, has_record):
    if has_record:
        set_safe(case, phone=False, voicemail=False, text=False, letter=False, email=False)
    else:
        SafeContact.objects.filter(person=case.person).delete()
    assert record(case, worker, mode=mode).pk


def test_it_refuses_an_attempted_contact_on_an_unsafe_channel_too(case, worker):
    set_safe(case, phone=False)
    assert "not safe" in refusal(case, worker, mode="phone", made=False)["mode"][0]


def test_it_lets_a_letter_go_to_another_agency_about_a_person_who_must_get_no_letters(case, worker):
    set_safe(case, letter=False)
    contact = record(case, worker, mode="letter", with_whom="agency", agency_name="Children's social care")
    assert contact.agency_name == "Children's social care"


def test_it_needs_the_agency_named(case, worker):
    assert "agency_name" in refusal(case, worker, mode="face_to_face", with_whom="agency")


def test_it_records_contact_while_waiting_and_keeps_the_case_waiting(case, worker):
    set_safe(case, phone=True)
    at = NOW - timedelta(minutes=30)
    record(case, worker, at=at)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.status == CaseStatus.WAITING
    assert fresh.last_contact_at == at and fresh.first_contact_at == at and fresh.engaged_at == at


def test_it_makes_an_allocated_case_active_on_the_first_contact_made(case, worker):
    set_safe(case, phone=True)
    case_allocate(request=None, case=case, worker=worker, version=case.version)
    record(case, worker, made=False)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ALLOCATED  # an attempt is not contact
    record(case, worker)
    assert case.status == CaseStatus.ACTIVE  # the caller's copy follows
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACTIVE


def test_it_counts_engagement_by_the_pathways_rule(case, worker):
    set_safe(case, text=True, phone=True)
    record(case, worker, mode="text")  # made, but not a conversation (default rule: two-way contact)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.last_contact_at is not None and fresh.engaged_at is None
    record(case, worker, mode="phone", made=False)
    assert Case.objects.get(pk=case.pk).engaged_at is None
    record(case, worker, mode="phone", at=NOW - timedelta(minutes=5))
    assert Case.objects.get(pk=case.pk).engaged_at == NOW - timedelta(minutes=5)


@pytest.mark.parametrize("status", [CaseStatus.ALLOCATED, CaseStatus.ACTIVE, CaseStatus.STEPPING_DOWN])
def test_it_allows_contacts_on_every_open_status(case, worker, status):
    case_allocate(request=None, case=case, worker=worker, version=case.version)
    if status != CaseStatus.ALLOCATED:
        case_change_status(request=None, case=case, to_status=CaseStatus.ACTIVE, version=case.version)
    if status == CaseStatus.STEPPING_DOWN:
        case_change_status(request=None, case=case, to_status=status, version=case.version)
    assert record(case, worker, mode="face_to_face").pk


def test_it_refuses_a_contact_on_a_closed_case(case, worker):
    case_change_status(request=None, case=case, to_status="closed", version=case.version, reason_code="declined")
    with pytest.raises(ValidationError) as caught:
        record(case, worker, mode="face_to_face")
    assert "This case is closed" in caught.value.messages[0]
    assert not Contact.objects.exists()


def test_it_refuses_a_contact_in_the_future(case, worker):
    errors = refusal(case, worker, mode="face_to_face", at=NOW + timedelta(minutes=1))
    assert errors["at"] == ["The date and time of the contact must not be in the future."]


def test_it_refuses_a_contact_before_the_case_was_opened(case, worker):
    errors = refusal(case, worker, mode="face_to_face", at=datetime(2026, 3, 11, 23, 30, tzinfo=LONDON))
    assert errors["at"] == ["The contact must be on or after the day the case was opened."]


def test_it_records_a_double_submission_once(case, worker):
    tok = token()
    first = record(case, worker, mode="face_to_face", tok=tok)
    second = record(case, worker, mode="face_to_face", tok=tok)
    assert first == second and Contact.objects.count() == 1


def test_it_refuses_a_form_without_its_token(case, worker):
    with pytest.raises(ValidationError, match="This form has expired"):
        record(case, worker, mode="face_to_face", tok="not-a-token")


def test_it_audits_the_contact_on_the_case(case, worker):
    contact = record(case, worker, mode=ContactMode.VIDEO)
    event = AuditEvent.objects.get(object_type="cases.case", object_id=str(case.pk), reason__startswith="contact")
    assert event.reason.startswith(f"contact {contact.pk}; form ")
