import re
from datetime import date

import pytest

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.people.matching import blocking_keys
from safepath.people.models import ChildDetails, Person, PersonKey, PersonName, Relationship, SafeContact
from safepath.people.tests.url_table_people import refer, route
from safepath.testing import AreaFactory, OrganisationFactory

DETAILS = {
    "first_name": "Morwenna",
    "last_name": "Tregarthen",
    "dob_day": "17",
    "dob_month": "5",
    "dob_year": "1988",
    "age_estimate": "",
    "sex": "female",
    "gender_identity": "same_as_sex",
    "ethnicity": "white_british",
    "disability": "no",
    "sexual_orientation": "heterosexual",
    "religion": "none",
    "first_language": "Cornish",
    "interpreter_needed": "on",
    "immigration_status": "british_irish",
    "no_recourse_to_public_funds": "no",
    "address": "1 Quay Street",
    "postcode": "me44ab",
    "area": "",
}


@pytest.fixture
def hub(db):
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def referral(hub):
    return refer(hub, "Morwenna", "Tregarthen", date(1988, 5, 17), "ME4 4AB")


@pytest.fixture
def person(referral):
    return referral.person


@pytest.fixture
def worker(hub, member, login):
    return login(member(Role.TRIAGE_WORKER, hub))


def token_of(response):
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)


def keys(person):
    return set(PersonKey.objects.filter(person=person).values_list("key", flat=True))


def test_it_saves_every_characteristic_and_audits_the_change(worker, person):
    area = AreaFactory(postcode_districts="ME4")
    response = worker.post(f"/people/{person.pk}/edit/", DETAILS | {"last_name": "Tregarthen-Hosking"})
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    person.refresh_from_db()
    assert person.last_name == "Tregarthen-Hosking" and person.ethnicity == "white_british"
    assert person.interpreter_needed and person.first_language == "Cornish" and person.no_recourse_to_public_funds == "no"
    assert person.postcode == "ME4 4AB" and person.area == area
    event = AuditEvent.objects.get(action="update", object_type="people.person", object_id=str(person.pk))
    assert "last_name" in event.reason and "Tregarthen" not in event.reason


def test_it_refreshes_matching_keys_when_the_name_changes(worker, person):
    before = keys(person)
    worker.post(f"/people/{person.pk}/edit/", DETAILS | {"first_name": "Jenifer"})
    person.refresh_from_db()
    assert keys(person) != before
    assert keys(person) == blocking_keys(person.identity())


def test_it_keeps_the_answers_and_explains_bad_ones(worker, person):
    response = worker.post(
        f"/people/{person.pk}/edit/", DETAILS | {"first_name": "Kerensa", "postcode": "NOT A POSTCODE", "dob_day": "31", "dob_month": "2"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a real postcode, like ME4 4AB." in page
    assert "Date of birth must be a real date" in page
    assert 'href="#id_dob_day"' in page and 'href="#id_postcode"' in page
    assert 'value="Kerensa"' in page and 'value="NOT A POSTCODE"' in page
    person.refresh_from_db()
    assert person.first_name == "Morwenna"


def test_it_refuses_a_date_of_birth_in_the_future(worker, person):
    page = worker.post(f"/people/{person.pk}/edit/", DETAILS | {"dob_year": "2999"}).content.decode()
    assert "Date of birth must be in the past." in page
    person.refresh_from_db()
    assert person.date_of_birth == date(1988, 5, 17)


def test_it_asks_for_the_missing_part_of_a_date(worker, person):
    page = worker.post(f"/people/{person.pk}/edit/", DETAILS | {"dob_month": ""}).content.decode()
    assert "Date of birth must include a month." in page


def test_it_keeps_volunteers_out_of_person_records(referral, person, member, login):
    """Volunteers see what they need on their own pages; the full record is not for them."""
    from safepath.cases.models import VolunteerAssignment
    from safepath.cases.services import case_open_from_work_item

    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    item = route(referral, provider, "volunteer")
    user = member(Role.VOLUNTEER, provider)
    volunteer = login(user)
    case = case_open_from_work_item(request=None, item=item)
    VolunteerAssignment.objects.create(case=case, volunteer=user, started_on=date(2026, 1, 5))
    assert volunteer.get(f"/people/{person.pk}/").status_code == 403
    for path in ("edit/", "safe-contact/", "children/add/", "people-causing-harm/add/", "other-names/add/"):
        assert volunteer.post(f"/people/{person.pk}/{path}", DETAILS).status_code == 403
    person.refresh_from_db()
    assert not person.interpreter_needed
    assert AuditEvent.objects.filter(action="permission_denied").exists()


def test_it_lets_a_caseworker_change_a_record_routed_to_them(referral, person, member, login):
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    route(referral, provider)
    response = login(member(Role.CASEWORKER, provider)).post(f"/people/{person.pk}/edit/", DETAILS)
    assert response.status_code == 302


def test_it_hides_the_edit_pages_from_another_hub(person, member, login):
    other = login(member(Role.TRIAGE_WORKER, OrganisationFactory(type=OrganisationType.HUB)))
    assert other.get(f"/people/{person.pk}/edit/").status_code == 404
    assert other.post(f"/people/{person.pk}/safe-contact/", {}).status_code == 404


SAFE = {
    "phone_safe": "yes",
    "voicemail_safe": "no",
    "text_safe": "unknown",
    "letters_safe": "no",
    "email_safe": "unknown",
    "safe_phone": "07700 900982",
    "safe_times": "Weekdays 10am to 2pm",
    "safe_word": "bluebell",
    "safe_email": "",
    "notes": "",
}


def test_it_records_the_safe_contact_rules(worker, person):
    response = worker.post(f"/people/{person.pk}/safe-contact/", SAFE)
    assert response.status_code == 302
    contact = SafeContact.objects.get(person=person)
    assert (contact.phone_safe, contact.voicemail_safe, contact.text_safe) == (True, False, None)
    assert contact.refusal("phone") is None and contact.refusal("letter") and contact.refusal("text")
    assert contact.safe_word == "bluebell"
    assert AuditEvent.objects.filter(action="update", object_id=str(person.pk), reason="changed safe contact").exists()


def test_it_refuses_a_safe_channel_with_nowhere_to_send_it(worker, person):
    page = worker.post(f"/people/{person.pk}/safe-contact/", SAFE | {"safe_phone": "", "email_safe": "yes"}).content.decode()
    assert "Enter a safe phone number" in page and "Enter a safe email address" in page
    assert SafeContact.objects.get(person=person).phone_safe is None


def test_it_refuses_a_phone_number_that_is_not_one(worker, person):
    page = worker.post(f"/people/{person.pk}/safe-contact/", SAFE | {"safe_phone": "call me"}).content.decode()
    assert "Enter a phone number" in page


def test_it_shows_the_current_rules_on_the_safe_contact_page(worker, person):
    SafeContact.objects.filter(person=person).update(letters_safe=False)
    page = worker.get(f"/people/{person.pk}/safe-contact/").content.decode()
    assert 'data-testid="safe-contact"' in page and "Not safe" in page
    assert re.search(r'name="letters_safe" type="radio" value="no" checked', page)


def test_it_adds_and_removes_another_name_and_refreshes_the_keys(worker, person):
    before = keys(person)
    response = worker.post(f"/people/{person.pk}/other-names/add/", {"first_name": "Wenna", "last_name": "Hosking", "kind": "previous"})
    assert response.status_code == 302
    worker.post(f"/people/{person.pk}/other-names/add/", {"first_name": "Wenna", "last_name": "Hosking", "kind": "previous"})
    name = PersonName.objects.get(person=person)
    assert name.kind == "previous"
    assert keys(person) > before
    page = worker.get(f"/people/{person.pk}/").content.decode()
    assert "Wenna Hosking" in page
    assert worker.get(f"/people/{person.pk}/other-names/{name.pk}/remove/").status_code == 200
    assert worker.post(f"/people/{person.pk}/other-names/{name.pk}/remove/").status_code == 302
    assert not PersonName.objects.filter(person=person).exists()
    assert keys(person) == before
    assert worker.post(f"/people/{person.pk}/other-names/{name.pk}/remove/").status_code == 302


def test_it_asks_for_some_part_of_another_name(worker, person):
    page = worker.post(f"/people/{person.pk}/other-names/add/", {"first_name": "", "last_name": "", "kind": "known_as"}).content.decode()
    assert "Enter the other first name or last name." in page


CHILD = {
    "first_name": "Tamsin",
    "last_name": "Tregarthen",
    "dob_day": "1",
    "dob_month": "2",
    "dob_year": "2019",
    "age_estimate": "",
    "sex": "female",
    "school": "Hillside Primary",
    "social_care": "child_protection",
    "lives_in_household": "yes",
}


def test_it_adds_a_child_once_however_often_the_form_is_sent(worker, person):
    token = token_of(worker.get(f"/people/{person.pk}/children/add/"))
    for _ in range(2):
        response = worker.post(f"/people/{person.pk}/children/add/", CHILD | {"token": token})
        assert response.status_code == 302
    relationship = Relationship.objects.get(victim=person, kind="child")
    child = relationship.other
    assert child.kind == "child" and child.date_of_birth == date(2019, 2, 1) and relationship.lives_in_household is True
    details = ChildDetails.objects.get(person=child)
    assert details.school == "Hillside Primary" and details.social_care == "child_protection"
    assert Person.objects.filter(kind="child").count() == 1
    assert AuditEvent.objects.filter(action="create", object_type="people.person", object_id=str(child.pk)).exists()


def test_it_refuses_the_same_child_from_a_second_form(worker, person):
    for _ in range(2):
        token = token_of(worker.get(f"/people/{person.pk}/children/add/"))
        response = worker.post(f"/people/{person.pk}/children/add/", CHILD | {"token": token})
    assert "already recorded" in response.content.decode()
    assert Relationship.objects.filter(victim=person, kind="child").count() == 1


def test_it_refuses_a_child_form_without_its_token(worker, person):
    response = worker.post(f"/people/{person.pk}/children/add/", CHILD | {"token": "forged"})
    assert response.status_code == 200 and "This form has expired" in response.content.decode()
    assert not Relationship.objects.exists()


def test_it_explains_a_bad_child_form_and_keeps_the_answers(worker, person):
    token = token_of(worker.get(f"/people/{person.pk}/children/add/"))
    page = worker.post(f"/people/{person.pk}/children/add/", CHILD | {"token": token, "first_name": "", "social_care": "nonsense"}).content.decode()
    assert "Hillside Primary" in page and token in page
    assert "Select a valid choice" in page and 'href="#id_first_name"' in page
    assert not Relationship.objects.exists()


def test_it_adds_a_person_causing_harm_with_the_relationship(worker, person):
    token = token_of(worker.get(f"/people/{person.pk}/people-causing-harm/add/"))
    data = {"token": token, "first_name": "Jory", "last_name": "Pascoe", "relationship": "ex_partner", "age_estimate": "41", "sex": "male", "lives_in_household": "no"}
    assert worker.post(f"/people/{person.pk}/people-causing-harm/add/", data).status_code == 302
    assert worker.post(f"/people/{person.pk}/people-causing-harm/add/", data).status_code == 302
    relationship = Relationship.objects.get(victim=person, kind="person_causing_harm")
    assert relationship.relationship == "ex_partner" and relationship.lives_in_household is False
    assert relationship.other.kind == "person_causing_harm" and relationship.other.age_estimate == 41
    assert "Jory Pascoe" in worker.get(f"/people/{person.pk}/").content.decode()


def test_it_asks_how_a_person_causing_harm_is_related(worker, person):
    token = token_of(worker.get(f"/people/{person.pk}/people-causing-harm/add/"))
    page = worker.post(f"/people/{person.pk}/people-causing-harm/add/", {"token": token, "first_name": "Jory", "sex": "male", "lives_in_household": "unknown"}).content.decode()
    assert 'href="#id_relationship"' in page
    assert not Relationship.objects.exists()


def test_it_audits_each_edit_page_it_shows(worker, person):
    worker.get(f"/people/{person.pk}/edit/")
    worker.get(f"/people/{person.pk}/safe-contact/")
    reasons = set(AuditEvent.objects.filter(action="view", object_id=str(person.pk)).values_list("reason", flat=True))
    assert {"edit details", "edit safe contact"} <= reasons
