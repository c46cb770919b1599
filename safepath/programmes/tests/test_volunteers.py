"""Volunteers: assignment by managers, the volunteer's own pages (only what they need), sessions
and the safe-contact rule for phone sessions; a case's groups and volunteers section."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from safepath.cases.models import VolunteerAssignment
from safepath.cases.services import case_allocate
from safepath.core.roles import OrganisationType, Role
from safepath.people.models import Person, SafeContact
from safepath.people.services_records import child_add
from safepath.programmes import services
from safepath.programmes.models import VolunteerSession
from safepath.programmes.tests import factories as f
from safepath.testing import OrganisationFactory, assert_constant_queries, refused

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def hub():
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def provider():
    return OrganisationFactory(type=OrganisationType.PROVIDER)


@pytest.fixture
def manager(member, provider):
    return member(Role.TEAM_MANAGER, provider, full_name="Mari Manager")


@pytest.fixture
def key_worker(member, provider):
    return member(Role.CASEWORKER, provider, full_name="Kit Keyworker")


@pytest.fixture
def volunteer(member, provider):
    return member(Role.VOLUNTEER, provider, full_name="Val Volunteer")


@pytest.fixture
def case(hub, provider, key_worker):
    case = f.open_case(hub, provider, "Angharad", "Tregenna", "volunteer")
    Person.objects.filter(pk=case.person_id).update(address="12 Hidden Lane, Lutterworth", postcode="LE17 4AB")
    SafeContact.objects.filter(person_id=case.person_id).update(
        phone_safe=False, letters_safe=True, safe_times="Weekday mornings", safe_phone="07700 900456"
    )
    case_allocate(request=None, case=case, worker=key_worker)
    return case


@pytest.fixture
def assignment(case, volunteer):
    return services.volunteer_assign(request=None, case=case, volunteer=volunteer, started_on=date(2026, 1, 1))


def session_data(**overrides):
    return {
        "token": f.token(),
        "on_day": "2",
        "on_month": "3",
        "on_year": "2026",
        "time": "10:30",
        "minutes": "60",
        "mode": "face_to_face",
        "note": "Went to the GP together.",
    } | overrides


# --- services -----------------------------------------------------------------------------


def test_it_assigns_only_an_active_volunteer_of_the_cases_provider(case, member):
    outsider = member(Role.VOLUNTEER, OrganisationFactory(type=OrganisationType.PROVIDER))
    caseworker = member(Role.CASEWORKER, case.provider)
    for user in (outsider, caseworker):
        with pytest.raises(ValidationError):
            services.volunteer_assign(request=None, case=case, volunteer=user)
    assert not VolunteerAssignment.objects.exists()


def test_it_assigns_once_and_ends_an_assignment_once(case, volunteer):
    first = services.volunteer_assign(request=None, case=case, volunteer=volunteer)
    assert services.volunteer_assign(request=None, case=case, volunteer=volunteer) == first
    ended = services.assignment_end(request=None, assignment=first)
    again = services.assignment_end(request=None, assignment=first)
    assert ended.ended_on == again.ended_on is not None
    assert VolunteerAssignment.objects.count() == 1


@time_machine.travel(datetime(2026, 3, 3, 12, tzinfo=LONDON))
def test_it_refuses_a_phone_session_when_the_phone_is_not_safe(assignment, volunteer):
    with pytest.raises(ValidationError) as error:
        services.volunteer_session_record(
            request=None,
            assignment=assignment,
            volunteer=volunteer,
            token=f.token(),
            at=datetime(2026, 3, 3, 10, tzinfo=LONDON),
            minutes=30,
            mode="phone",
        )
    assert error.value.error_dict["mode"][0].messages == ["This person has said phone call is not safe."]
    assert not VolunteerSession.objects.exists()


@time_machine.travel(datetime(2026, 3, 3, 12, tzinfo=LONDON))
def test_it_records_a_phone_session_once_the_phone_is_safe(assignment, volunteer, case):
    SafeContact.objects.filter(person_id=case.person_id).update(phone_safe=True)
    token = f.token()
    values = {
        "request": None,
        "assignment": assignment,
        "volunteer": volunteer,
        "token": token,
        "at": datetime(2026, 3, 3, 10, tzinfo=LONDON),
        "minutes": 30,
        "mode": "phone",
    }
    session = services.volunteer_session_record(**values)
    assert services.volunteer_session_record(**values) == session
    case.refresh_from_db()
    assert VolunteerSession.objects.count() == 1 and case.last_contact_at == session.at


def test_it_refuses_a_session_for_an_assignment_that_is_not_the_volunteers(assignment, member, provider):
    other = member(Role.VOLUNTEER, provider)
    with pytest.raises(ValidationError):
        services.volunteer_session_record(
            request=None,
            assignment=assignment,
            volunteer=other,
            token=f.token(),
            at=datetime(2026, 3, 3, 10, tzinfo=LONDON),
            minutes=30,
            mode="face_to_face",
        )


# --- the volunteer's pages ----------------------------------------------------------------


def test_it_shows_a_volunteer_only_what_they_need(login, volunteer, assignment, case):
    harm = f.harm_person(case, "Gethin", "Blackwood")
    child_add(request=None, victim=case.person, token=f.token(), first_name="Bethan", last_name="Tregenna")
    html = login(volunteer).get("/programmes/volunteering/").content.decode()
    assert "Angharad" in html and "Kit Keyworker" in html
    assert 'data-testid="safe-contact"' in html and "Weekday mornings" in html and "07700 900456" in html
    for hidden in (
        "Tregenna",
        "Hidden Lane",
        "Lutterworth",
        "LE17 4AB",
        case.reference,
        "Gethin",
        "Blackwood",
        harm.last_name,
        "Bethan",
        "case-risk",
        "Risk:",
    ):
        assert hidden not in html, hidden


def test_it_shows_a_volunteer_none_of_the_people_assigned_to_others(
    login, volunteer, assignment, hub, provider, member
):
    other_case = f.open_case(hub, provider, "Morfudd", "Pennant", "volunteer")
    f.assign(other_case, member(Role.VOLUNTEER, provider))
    ended_case = f.open_case(hub, provider, "Heledd", "Owain", "volunteer")
    services.assignment_end(request=None, assignment=f.assign(ended_case, volunteer))
    html = login(volunteer).get("/programmes/volunteering/").content.decode()
    assert "Angharad" in html and "Morfudd" not in html and "Heledd" not in html


def test_it_gives_a_volunteer_404_on_someone_elses_assignment(login, volunteer, hub, provider, member):
    other = f.assign(f.open_case(hub, provider, "Morfudd", "Pennant", "volunteer"), member(Role.VOLUNTEER, provider))
    client = login(volunteer)
    assert client.get(f"/programmes/volunteering/{other.pk}/sessions/new/").status_code == 404
    assert client.post(f"/programmes/volunteering/{other.pk}/sessions/new/", session_data()).status_code == 404
    assert not VolunteerSession.objects.exists()


def test_it_gives_a_volunteer_404_once_their_assignment_has_ended(login, volunteer, assignment):
    services.assignment_end(request=None, assignment=assignment)
    assert login(volunteer).get(f"/programmes/volunteering/{assignment.pk}/sessions/new/").status_code == 404


@time_machine.travel(datetime(2026, 3, 3, 12, tzinfo=LONDON))
def test_it_refuses_a_phone_session_on_the_form_with_the_reason(login, volunteer, assignment):
    response = login(volunteer).post(
        f"/programmes/volunteering/{assignment.pk}/sessions/new/", session_data(mode="phone")
    )
    html = response.content.decode()
    assert response.status_code == 200 and "This person has said phone call is not safe." in html
    assert 'href="#id_mode"' in html and not VolunteerSession.objects.exists()


@time_machine.travel(datetime(2026, 3, 3, 12, tzinfo=LONDON))
def test_it_records_a_session_once_and_the_key_worker_sees_the_note(login, volunteer, key_worker, assignment, case):
    data = session_data()
    client = login(volunteer)
    assert (
        client.post(f"/programmes/volunteering/{assignment.pk}/sessions/new/", data)["Location"]
        == "/programmes/volunteering/"
    )
    client.post(f"/programmes/volunteering/{assignment.pk}/sessions/new/", data)
    session = VolunteerSession.objects.get()
    assert session.at == datetime(2026, 3, 2, 10, 30, tzinfo=LONDON) and session.recorded_by == volunteer
    assert "2 Mar 2026 10:30" in client.get("/programmes/volunteering/").content.decode()
    html = login(key_worker).get(f"/programmes/cases/{case.pk}/").content.decode()
    assert "Val Volunteer" in html and "Went to the GP together." in html


@time_machine.travel(datetime(2026, 3, 3, 12, tzinfo=LONDON))
def test_it_refuses_a_session_in_the_future(login, volunteer, assignment):
    response = login(volunteer).post(
        f"/programmes/volunteering/{assignment.pk}/sessions/new/", session_data(on_day="4")
    )
    assert "The session must be today or in the past." in response.content.decode()
    assert not VolunteerSession.objects.exists()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.TEAM_MANAGER, Role.COMMISSIONER])
def test_it_keeps_volunteer_pages_to_volunteers(member, login, provider, role, assignment):
    client = login(member(role, provider if role != Role.COMMISSIONER else None))
    assert client.get("/programmes/volunteering/").status_code == 403
    new_session = f"/programmes/volunteering/{assignment.pk}/sessions/new/"
    assert client.get(new_session).status_code == refused(role, new_session)


def test_it_refuses_a_volunteer_the_case_section_and_programme_pages(login, volunteer, assignment, case):
    client = login(volunteer)
    assert client.get(f"/programmes/cases/{case.pk}/").status_code == 403
    assert client.get("/programmes/").status_code == 403


# --- the case's section and managers' actions ---------------------------------------------


def test_it_lets_a_manager_assign_and_end_a_volunteer(login, manager, volunteer, case):
    client = login(manager)
    html = client.get(f"/programmes/cases/{case.pk}/volunteers/assign/").content.decode()
    assert "Val Volunteer" in html
    data = {"volunteer": volunteer.pk, "start_day": "1", "start_month": "1", "start_year": "2026"}
    assert client.post(f"/programmes/cases/{case.pk}/volunteers/assign/", data).status_code == 302
    assert client.post(f"/programmes/cases/{case.pk}/volunteers/assign/", data).status_code == 302
    assignment = VolunteerAssignment.objects.get()
    assert assignment.started_on == date(2026, 1, 1) and assignment.assigned_by == manager
    client.post(f"/programmes/volunteer-assignments/{assignment.pk}/end/")
    assignment.refresh_from_db()
    assert assignment.ended_on is not None


def test_it_refuses_a_caseworker_assigning_a_volunteer(login, key_worker, volunteer, case):
    client = login(key_worker)
    assert client.get(f"/programmes/cases/{case.pk}/volunteers/assign/").status_code == 403
    assert (
        client.post(f"/programmes/cases/{case.pk}/volunteers/assign/", {"volunteer": volunteer.pk}).status_code == 403
    )
    html = client.get(f"/programmes/cases/{case.pk}/").content.decode()
    assert "Assign a volunteer" not in html


def test_it_gives_another_providers_manager_404_on_the_case_section(login, member, case):
    outsider = member(Role.TEAM_MANAGER, OrganisationFactory(type=OrganisationType.PROVIDER))
    client = login(outsider)
    assert client.get(f"/programmes/cases/{case.pk}/").status_code == 404
    assert client.get(f"/programmes/cases/{case.pk}/volunteers/assign/").status_code == 404


def test_it_shows_the_case_section_in_a_constant_number_of_queries(login, key_worker, case, provider, member):
    programme = f.make_programme(provider)

    def grow(n):
        for _ in range(n):
            assignment = f.assign(case, member(Role.VOLUNTEER, provider))
            VolunteerSession.objects.create(
                assignment=assignment,
                at=case.opened_at,
                minutes=30,
                mode="other",
                recorded_by=assignment.volunteer,
                recorded_at=case.opened_at,
            )
            enrolment = services.enrolment_add(request=None, cohort=f.make_cohort(programme), case=case)
            enrolment.attendance.create(
                session=enrolment.cohort.sessions.first(), attended=True, recorded_at=case.opened_at
            )

    assert_constant_queries(login(key_worker), f"/programmes/cases/{case.pk}/", grow)


def test_it_shows_a_volunteers_people_in_a_constant_number_of_queries(login, volunteer, provider, key_worker):
    def grow(n):
        for case in f.bulk_cases(provider, n, pathway="volunteer", key_worker=key_worker):
            assignment = VolunteerAssignment.objects.create(case=case, volunteer=volunteer, started_on=date(2026, 1, 1))
            VolunteerSession.objects.create(
                assignment=assignment,
                at=case.opened_at,
                minutes=30,
                mode="other",
                recorded_by=volunteer,
                recorded_at=case.opened_at,
            )

    assert_constant_queries(login(volunteer), "/programmes/volunteering/", grow)
