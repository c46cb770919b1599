"""Group programmes: setting up programmes and cohorts, enrolling, attendance and completion."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.programmes import services
from safepath.programmes.models import Attendance, Cohort, Enrolment, Programme
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
    return member(Role.TEAM_MANAGER, provider)


@pytest.fixture
def worker(member, provider):
    return member(Role.CASEWORKER, provider)


@pytest.fixture
def programme(provider):
    return f.make_programme(provider, sessions=4, needed=3)


@pytest.fixture
def cohort(programme):
    return f.make_cohort(programme, capacity=2)


@pytest.fixture
def case(hub, provider):
    return f.open_case(hub, provider, "Carys", "Mathias")


def mark_all(session, marks):
    return services.attendance_record(request=None, session=session, marks={e.pk: services.Mark(a) for e, a in marks})


# --- services -----------------------------------------------------------------------------


def test_it_creates_a_cohort_with_weekly_sessions_in_local_time(cohort):
    sessions = list(cohort.sessions.all())
    assert [s.number for s in sessions] == [1, 2, 3, 4]
    assert [s.starts_at.astimezone(LONDON).date() for s in sessions] == [
        date(2025, 1, 7),
        date(2025, 1, 14),
        date(2025, 1, 21),
        date(2025, 1, 28),
    ]
    assert all(s.starts_at.astimezone(LONDON).hour == 18 for s in sessions)


def test_it_refuses_a_completion_rule_above_the_number_of_sessions(provider):
    with pytest.raises(ValidationError) as error:
        services.programme_create(
            request=None,
            provider=provider,
            token=f.token(),
            name="Recovery",
            sessions_planned=6,
            sessions_to_complete=7,
        )
    assert "sessions_to_complete" in error.value.error_dict
    assert not Programme.objects.filter(name="Recovery").exists()


def test_it_completes_an_enrolment_when_attendance_reaches_the_programmes_number(cohort, case):
    enrolment = services.enrolment_add(request=None, cohort=cohort, case=case)
    one, two, three, four = cohort.sessions.all()
    mark_all(one, [(enrolment, True)])
    mark_all(two, [(enrolment, False)])
    mark_all(three, [(enrolment, True)])
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled"
    mark_all(four, [(enrolment, True)])
    enrolment.refresh_from_db()
    assert enrolment.status == "completed" and enrolment.completed_at is not None


def test_it_reverts_completion_when_attendance_is_corrected_below_the_number(cohort, case):
    enrolment = services.enrolment_add(request=None, cohort=cohort, case=case)
    sessions = list(cohort.sessions.all())
    for session in sessions[:3]:
        mark_all(session, [(enrolment, True)])
    enrolment.refresh_from_db()
    assert enrolment.status == "completed"
    mark_all(sessions[0], [(enrolment, False)])
    enrolment.refresh_from_db()
    assert enrolment.status == "enrolled" and enrolment.completed_at is None


def test_it_records_the_same_register_twice_without_duplicates(cohort, case):
    enrolment = services.enrolment_add(request=None, cohort=cohort, case=case)
    session = cohort.sessions.first()
    mark_all(session, [(enrolment, True)])
    mark_all(session, [(enrolment, True)])
    assert Attendance.objects.filter(session=session).count() == 1


def test_it_counts_attending_the_group_as_contact_with_the_case(cohort, case):
    enrolment = services.enrolment_add(request=None, cohort=cohort, case=case)
    session = cohort.sessions.first()
    mark_all(session, [(enrolment, True)])
    case.refresh_from_db()
    assert case.last_contact_at == session.starts_at


def test_it_refuses_attendance_for_a_session_that_has_not_happened(programme, case):
    cohort = f.make_cohort(programme, starts_on=date(2030, 1, 1))
    enrolment = services.enrolment_add(request=None, cohort=cohort, case=case)
    with pytest.raises(ValidationError, match="not happened yet"):
        mark_all(cohort.sessions.first(), [(enrolment, True)])


def test_it_enrols_only_cases_at_the_programmes_provider(hub, cohort):
    elsewhere = f.open_case(hub, OrganisationFactory(type=OrganisationType.PROVIDER), "Eira", "Lloyd")
    with pytest.raises(ValidationError):
        services.enrolment_add(request=None, cohort=cohort, case=elsewhere)
    assert not Enrolment.objects.exists()


def test_it_refuses_an_enrolment_when_the_group_is_full_and_accepts_a_repeat(hub, provider, cohort):
    first, second, third = (f.open_case(hub, provider, name, "Full") for name in ("Ann", "Bet", "Cat"))
    enrolment = services.enrolment_add(request=None, cohort=cohort, case=first)
    services.enrolment_add(request=None, cohort=cohort, case=second)
    assert services.enrolment_add(request=None, cohort=cohort, case=first) == enrolment
    with pytest.raises(ValidationError, match="full"):
        services.enrolment_add(request=None, cohort=cohort, case=third)
    services.enrolment_withdraw(request=None, enrolment=enrolment)
    services.enrolment_add(request=None, cohort=cohort, case=third)
    assert cohort.enrolments.filter(status__in=["enrolled", "completed"]).count() == 2


def test_it_refuses_facilitators_from_another_organisation(member, programme):
    outsider = member(Role.CASEWORKER, OrganisationFactory(type=OrganisationType.PROVIDER))
    with pytest.raises(ValidationError) as error:
        services.cohort_create(
            request=None,
            programme=programme,
            token=f.token(),
            name="Thursdays",
            starts_on=date(2025, 3, 6),
            first_session_at=datetime(2025, 1, 1, 10).time(),
            venue="Library",
            capacity=8,
            facilitators=[outsider],
        )
    assert "facilitators" in error.value.error_dict


# --- views --------------------------------------------------------------------------------


def test_it_lets_a_manager_add_a_programme_once_however_often_the_form_is_sent(manager, login, provider):
    client = login(manager)
    page = client.get("/programmes/new/").content.decode()
    token = page.split('name="token" value="')[1][:32]
    data = {
        "token": token,
        "name": "Freedom Programme",
        "description": "",
        "pathway": "",
        "sessions_planned": "12",
        "sessions_to_complete": "9",
    }
    first = client.post("/programmes/new/", data)
    second = client.post("/programmes/new/", data)
    programme = Programme.objects.get(provider=provider)
    assert first["Location"] == second["Location"] == f"/programmes/{programme.pk}/"
    assert (programme.sessions_planned, programme.sessions_to_complete) == (12, 9)


def test_it_shows_the_completion_rule_error_next_to_the_field(manager, login):
    response = login(manager).post(
        "/programmes/new/",
        {"token": f.token(), "name": "Recovery", "sessions_planned": "6", "sessions_to_complete": "8"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html and 'href="#id_sessions_to_complete"' in html


def test_it_adds_a_cohort_with_its_sessions(manager, login, programme):
    client = login(manager)
    data = {
        "token": f.token(),
        "name": "Spring",
        "start_day": "3",
        "start_month": "3",
        "start_year": "2025",
        "time": "10:00",
        "venue": "Library meeting room",
        "capacity": "10",
        "facilitators": [manager.pk],
    }
    response = client.post(f"/programmes/{programme.pk}/cohorts/new/", data)
    cohort = Cohort.objects.get(name="Spring")
    assert response["Location"] == f"/programmes/cohorts/{cohort.pk}/"
    assert cohort.sessions.count() == 4 and list(cohort.facilitators.all()) == [manager]
    client.post(f"/programmes/{programme.pk}/cohorts/new/", data)
    assert Cohort.objects.filter(name="Spring").count() == 1


def test_it_refuses_a_caseworker_adding_a_cohort(worker, login, programme):
    assert login(worker).get(f"/programmes/{programme.pk}/cohorts/new/").status_code == 403


def test_it_offers_only_the_providers_open_cases_to_enrol(worker, login, hub, provider, cohort, case):
    elsewhere = f.open_case(hub, OrganisationFactory(type=OrganisationType.PROVIDER), "Eira", "Lloyd")
    html = login(worker).get(f"/programmes/cohorts/{cohort.pk}/enrol/").content.decode()
    assert "Carys Mathias" in html and case.reference in html
    assert "Eira" not in html and elsewhere.reference not in html


def test_it_refuses_to_enrol_another_providers_case_by_posting_its_id(worker, login, hub, cohort):
    elsewhere = f.open_case(hub, OrganisationFactory(type=OrganisationType.PROVIDER), "Eira", "Lloyd")
    response = login(worker).post(f"/programmes/cohorts/{cohort.pk}/enrol/", {"case": elsewhere.pk})
    assert response.status_code == 200 and "Choose the person to enrol." in response.content.decode()
    assert not Enrolment.objects.exists()


def test_it_enrols_a_case_and_a_double_submission_is_harmless(worker, login, cohort, case):
    client = login(worker)
    first = client.post(f"/programmes/cohorts/{cohort.pk}/enrol/", {"case": case.pk})
    second = client.post(f"/programmes/cohorts/{cohort.pk}/enrol/", {"case": case.pk})
    assert first.status_code == second.status_code == 302
    assert Enrolment.objects.filter(cohort=cohort, case=case).count() == 1


def test_it_records_attendance_for_everyone_on_one_form(worker, login, hub, provider, cohort, case):
    other = f.open_case(hub, provider, "Dilys", "Rees")
    first = services.enrolment_add(request=None, cohort=cohort, case=case)
    second = services.enrolment_add(request=None, cohort=cohort, case=other)
    session = cohort.sessions.first()
    client = login(worker)
    html = client.get(f"/programmes/sessions/{session.pk}/attendance/").content.decode()
    assert "Did Carys Mathias attend?" in html and "Did Dilys Rees attend?" in html
    data = {f"attended_{first.pk}": "yes", f"attended_{second.pk}": "no", f"note_{second.pk}": "Unwell"}
    assert client.post(f"/programmes/sessions/{session.pk}/attendance/", data).status_code == 302
    assert client.post(f"/programmes/sessions/{session.pk}/attendance/", data).status_code == 302
    marks = dict(Attendance.objects.filter(session=session).values_list("enrolment_id", "attended"))
    assert marks == {first.pk: True, second.pk: False}
    assert Attendance.objects.get(enrolment=second).note == "Unwell"
    assert AuditEvent.objects.filter(action="update", reason=f"attendance at session {session.pk}").count() == 4


def test_it_asks_for_every_persons_attendance(worker, login, cohort, case):
    enrolment = services.enrolment_add(request=None, cohort=cohort, case=case)
    session = cohort.sessions.first()
    response = login(worker).post(f"/programmes/sessions/{session.pk}/attendance/", {})
    assert response.status_code == 200 and "Choose whether Carys Mathias attended." in response.content.decode()
    assert not Attendance.objects.filter(enrolment=enrolment).exists()


def test_it_shows_completion_counts_on_the_cohort_page(worker, login, cohort, case):
    enrolment = services.enrolment_add(request=None, cohort=cohort, case=case)
    for session in list(cohort.sessions.all())[:3]:
        mark_all(session, [(enrolment, True)])
    html = login(worker).get(f"/programmes/cohorts/{cohort.pk}/").content.decode()
    assert "Completed: 1" in html and "Enrolled: 0" in html
    assert AuditEvent.objects.filter(action="view", object_type="cases.case", object_id=str(case.pk)).exists()


def test_it_withdraws_an_enrolment(worker, login, cohort, case):
    enrolment = services.enrolment_add(request=None, cohort=cohort, case=case)
    response = login(worker).post(f"/programmes/enrolments/{enrolment.pk}/withdraw/")
    enrolment.refresh_from_db()
    assert response["Location"] == f"/programmes/cohorts/{cohort.pk}/" and enrolment.status == "withdrawn"


def test_it_gives_another_providers_worker_404_on_a_cohort(member, login, cohort):
    outsider = member(Role.CASEWORKER, OrganisationFactory(type=OrganisationType.PROVIDER))
    assert login(outsider).get(f"/programmes/cohorts/{cohort.pk}/").status_code == 404


@pytest.mark.parametrize("role", [Role.COMMISSIONER, Role.VOLUNTEER])
def test_it_refuses_roles_without_programme_work(member, login, role, cohort):
    client = login(member(role))
    assert client.get("/programmes/").status_code == 403
    assert client.get(f"/programmes/cohorts/{cohort.pk}/").status_code == refused(role, f"/programmes/cohorts/{cohort.pk}/")


# --- query counts -------------------------------------------------------------------------


def test_it_lists_programmes_in_a_constant_number_of_queries(worker, login, provider):
    def grow(n):
        for _ in range(n):
            programme = Programme.objects.create(
                provider=provider,
                name=f"Programme {Programme.objects.count()}",
                sessions_planned=4,
                sessions_to_complete=3,
            )
            Cohort.objects.create(programme=programme, name="A", starts_on=date(2025, 1, 1), venue="Hall", capacity=5)

    assert_constant_queries(login(worker), "/programmes/", grow)


def test_it_shows_a_cohort_in_a_constant_number_of_queries(worker, login, provider, programme):
    cohort = f.make_cohort(programme, capacity=100)
    session = cohort.sessions.first()

    def grow(n):
        for case in f.bulk_cases(provider, n):
            enrolment = Enrolment.objects.create(cohort=cohort, case=case, enrolled_at=case.opened_at)
            Attendance.objects.create(session=session, enrolment=enrolment, attended=True, recorded_at=case.opened_at)

    client = login(worker)
    assert_constant_queries(client, f"/programmes/cohorts/{cohort.pk}/", grow)
    assert_constant_queries(client, f"/programmes/sessions/{session.pk}/attendance/", grow)
    assert_constant_queries(
        client, f"/programmes/{programme.pk}/", lambda n: [f.make_cohort(programme) for _ in range(n)]
    )


@time_machine.travel(datetime(2025, 1, 7, 12, tzinfo=LONDON))
def test_it_does_not_offer_attendance_before_the_day(worker, login, programme):
    cohort = f.make_cohort(programme)
    html = login(worker).get(f"/programmes/cohorts/{cohort.pk}/").content.decode()
    assert html.count("Record attendance") == 1
