"""Allocation rules (the worker must be active staff of the provider; the team one of its own)
and the support period it starts, including month ends and the London date."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from safepath.accounts.models import Membership
from safepath.cases.choices import CaseStatus
from safepath.cases.models import Case, Team
from safepath.cases.selectors import settings_for
from safepath.cases.services import add_months, case_allocate, case_change_status, case_contact_recorded
from safepath.cases.tests.url_table_caseload import open_case
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory

LONDON = ZoneInfo("Europe/London")
S = CaseStatus


@pytest.fixture
def hub(db):
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def provider(db):
    return OrganisationFactory(type=OrganisationType.PROVIDER)


@pytest.fixture
def worker(member, provider):
    return member(Role.CASEWORKER, provider)


@pytest.fixture
def case(hub, provider):
    with time_machine.travel(datetime(2026, 1, 5, 9, tzinfo=LONDON), tick=False):
        return open_case(hub, provider, "Ffion", "Carrow")


def allocate_at(case: Case, worker, when: datetime, **kwargs) -> Case:
    with time_machine.travel(when, tick=False):
        return case_allocate(request=None, case=case, worker=worker, **kwargs)


# --- who can be allocated ---------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.TEAM_MANAGER])
def test_it_allocates_to_a_caseworker_or_manager_of_the_provider(role, case, provider, member):
    someone = member(role, provider)
    allocate_at(case, someone, datetime(2026, 1, 31, 9, tzinfo=LONDON), version=case.version)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.key_worker, fresh.version) == (S.ALLOCATED, someone, 2)
    assert fresh.allocated_at == datetime(2026, 1, 31, 9, tzinfo=LONDON)
    assert fresh.status_changes.last().to_status == S.ALLOCATED
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), reason="allocated").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["other_provider", "volunteer", "membership_ended", "account_disabled", "hub_manager"])
def test_it_refuses_a_worker_who_is_not_active_staff_of_the_provider(who, case, provider, member):
    if who == "other_provider":
        someone = member(Role.CASEWORKER, OrganisationFactory(type=OrganisationType.PROVIDER))
    elif who == "volunteer":
        someone = member(Role.VOLUNTEER, provider)
    elif who == "hub_manager":
        someone = member(Role.TEAM_MANAGER, OrganisationFactory(type=OrganisationType.HUB))
    else:
        someone = member(Role.CASEWORKER, provider)
        if who == "membership_ended":
            Membership.objects.filter(user=someone).update(is_active=False)
        else:
            someone.is_active = False
            someone.save()
    with pytest.raises(ValidationError) as caught:
        case_allocate(request=None, case=case, worker=someone, version=case.version)
    assert "worker" in caught.value.error_dict
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.key_worker, fresh.version, fresh.status_changes.count()) == (S.WAITING, None, 1, 1)


@pytest.mark.django_db
def test_it_refuses_another_providers_team_or_one_not_in_use(case, provider, worker):
    theirs = Team.objects.create(organisation=OrganisationFactory(type=OrganisationType.PROVIDER), name="Theirs")
    stopped = Team.objects.create(organisation=provider, name="Stopped", is_active=False)
    for team in (theirs, stopped):
        with pytest.raises(ValidationError) as caught:
            case_allocate(request=None, case=case, worker=worker, team=team)
        assert "team" in caught.value.error_dict
    assert Case.objects.get(pk=case.pk).status == S.WAITING


@pytest.mark.django_db
def test_it_refuses_to_allocate_a_closed_case(case, worker):
    case_change_status(request=None, case=case, to_status=S.CLOSED, reason_code="declined")
    with pytest.raises(ValidationError, match="Reopen it before allocating"):
        case_allocate(request=None, case=case, worker=worker)


@pytest.mark.django_db
def test_it_changes_the_key_worker_of_an_active_case_without_a_new_period(case, worker, member, provider):
    allocate_at(case, worker, datetime(2026, 1, 10, tzinfo=LONDON))
    case_contact_recorded(case, at=datetime(2026, 1, 11, tzinfo=LONDON), mode="phone", made=True)
    team = Team.objects.create(organisation=provider, name="IDVA")
    other = member(Role.CASEWORKER, provider)
    rows = case.status_changes.count()
    allocate_at(case, other, datetime(2026, 6, 1, tzinfo=LONDON), team=team, version=case.version)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.key_worker, fresh.team) == (S.ACTIVE, other, team)
    assert fresh.support_ends_on == date(2027, 1, 10) and fresh.allocated_at == datetime(2026, 1, 10, tzinfo=LONDON)
    assert fresh.status_changes.count() == rows


# --- the support period -----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("allocated", "months", "ends"),
    [
        (datetime(2026, 1, 31, 9, tzinfo=LONDON), 12, date(2027, 1, 31)),
        (datetime(2026, 1, 31, 9, tzinfo=LONDON), 1, date(2026, 2, 28)),
        (datetime(2027, 1, 31, 9, tzinfo=LONDON), 13, date(2028, 2, 29)),  # into a leap February
        (datetime(2028, 2, 29, 9, tzinfo=LONDON), 12, date(2029, 2, 28)),
        (datetime(2026, 8, 31, 9, tzinfo=LONDON), 6, date(2027, 2, 28)),
        (datetime(2026, 3, 31, 9, tzinfo=LONDON), 6, date(2026, 9, 30)),
        (datetime(2026, 12, 15, 9, tzinfo=LONDON), 12, date(2027, 12, 15)),
        # 23:30 UTC on 30 June is 00:30 on 1 July in London: the period runs from 1 July.
        (datetime(2026, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC")), 12, date(2027, 7, 1)),
    ],
)
def test_it_ends_support_the_pathways_months_after_allocation(allocated, months, ends, case, worker):
    settings = settings_for(case.pathway)
    settings.support_months = months
    settings.save()
    allocate_at(case, worker, allocated)
    assert Case.objects.get(pk=case.pk).support_ends_on == ends


@pytest.mark.django_db
def test_it_keeps_the_period_when_a_case_goes_back_to_the_list_and_is_allocated_again(case, worker, member, provider):
    allocate_at(case, worker, datetime(2026, 1, 10, tzinfo=LONDON))
    case_change_status(request=None, case=case, to_status=S.WAITING, at=datetime(2026, 2, 1, tzinfo=LONDON))
    allocate_at(case, member(Role.CASEWORKER, provider), datetime(2026, 3, 1, tzinfo=LONDON))
    assert Case.objects.get(pk=case.pk).support_ends_on == date(2027, 1, 10)


@pytest.mark.django_db
def test_it_starts_a_new_period_when_allocated_again_after_it_ran_out(case, worker):
    allocate_at(case, worker, datetime(2026, 1, 10, tzinfo=LONDON))
    case_change_status(request=None, case=case, to_status=S.WAITING, at=datetime(2026, 2, 1, tzinfo=LONDON))
    allocate_at(case, worker, datetime(2027, 2, 1, tzinfo=LONDON))
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.support_ends_on == date(2028, 2, 1) and fresh.allocated_at == datetime(2027, 2, 1, tzinfo=LONDON)


# --- add_months -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), 48, date(2032, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 5, 31), 1, date(2026, 6, 30)),
        (date(2026, 12, 31), 1, date(2027, 1, 31)),
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2026, 1, 15), 0, date(2026, 1, 15)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
    ],
)
def test_it_adds_calendar_months_clamping_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), months=st.integers(-240, 240))
def test_it_adds_months_consistently(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == day.day or (result.day < day.day and (result + timedelta(days=1)).day == 1)
