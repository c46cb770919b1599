"""Every move in choices.TRANSITIONS, allowed and refused, with a frozen clock: closure reasons,
reopening, returning to the waiting list, and optimistic locking (stale forms change nothing)."""

from __future__ import annotations

from datetime import date, datetime
from itertools import product
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from safepath.accounts.models import Membership
from safepath.cases.choices import TRANSITIONS, CaseStatus
from safepath.cases.models import Case, CaseStatusChange
from safepath.cases.services import CaseChanged, case_allocate, case_change_status, case_contact_recorded
from safepath.cases.tests.url_table_caseload import open_case
from safepath.core.models import AuditEvent, VocabularyTerm
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)
S = CaseStatus


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def hub(db):
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def provider(db):
    return OrganisationFactory(type=OrganisationType.PROVIDER)


@pytest.fixture
def worker(member, provider):
    return member(Role.CASEWORKER, provider)


def case_in(status: str, hub, provider, worker) -> Case:
    """A case brought to `status` through the services."""
    case = open_case(hub, provider, "Ffion", "Carrow")
    if status == S.WAITING:
        return case
    case_allocate(request=None, case=case, worker=worker)
    if status == S.ALLOCATED:
        return case
    if status == S.CLOSED:
        case_change_status(request=None, case=case, to_status=S.CLOSED, reason_code="support_complete")
        return case
    case_contact_recorded(case, at=NOW, mode="phone", made=True)
    if status == S.STEPPING_DOWN:
        case_change_status(request=None, case=case, to_status=S.STEPPING_DOWN)
    return case


def snapshot(case: Case) -> tuple:
    fresh = Case.objects.get(pk=case.pk)
    return fresh.status, fresh.version, fresh.key_worker_id, fresh.closed_at, fresh.status_changes.count()


PAIRS = [(a, b) for a, b in product(S.values, S.values) if a != b]
ALLOWED = [(a, b) for a, b in PAIRS if b in TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in PAIRS if b not in TRANSITIONS[a]]


def test_it_has_a_rule_for_every_status():
    assert set(TRANSITIONS) == set(S.values)
    assert len(ALLOWED) == 11 and len(REFUSED) == 9


@pytest.mark.parametrize(("start", "end"), REFUSED, ids=[f"{a}-{b}" for a, b in REFUSED])
def test_it_refuses_a_move_not_in_the_table_and_saves_nothing(start, end, hub, provider, worker):
    case = case_in(start, hub, provider, worker)
    before = snapshot(case)
    with pytest.raises(ValidationError) as caught:
        case_change_status(request=None, case=case, to_status=end, version=case.version, reason_code="risk_reduced")
    assert caught.value.code == "transition"
    assert "cannot be changed to" in caught.value.messages[0]
    assert snapshot(case) == before


# waiting → allocated is an allocation (it needs a key worker): tested below through case_allocate.
DIRECT = [(a, b) for a, b in ALLOWED if (a, b) != (S.WAITING, S.ALLOCATED)]


@pytest.mark.parametrize(("start", "end"), DIRECT, ids=[f"{a}-{b}" for a, b in DIRECT])
def test_it_makes_each_allowed_move_and_records_it(start, end, hub, provider, worker, rf):
    case = case_in(start, hub, provider, worker)
    version = case.version
    rows = case.status_changes.count()
    request = rf.post("/")
    request.user = worker
    change = case_change_status(
        request=request, case=case, to_status=end, version=version, reason_code="risk_reduced", note=" Why. "
    )
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.status == end and case.status == end
    assert fresh.version == version + 1 == case.version
    assert case.status_changes.count() == rows + 1
    assert (change.from_status, change.to_status, change.by, change.note) == (start, end, worker, "Why.")
    assert change.at == NOW
    assert change.is_reopening == (start == S.CLOSED)
    assert AuditEvent.objects.filter(
        action="update", object_type="cases.case", object_id=str(case.pk), reason=f"status {start} to {end}"
    ).exists()


def test_it_allocates_a_waiting_case_only_through_allocation(hub, provider, worker):
    case = case_in(S.WAITING, hub, provider, worker)
    with pytest.raises(ValidationError, match="Allocate the case to a worker first"):
        case_change_status(request=None, case=case, to_status=S.ALLOCATED, version=case.version)
    assert snapshot(case)[0] == S.WAITING
    case_allocate(request=None, case=case, worker=worker, version=case.version)
    change = case.status_changes.last()
    assert (change.from_status, change.to_status) == (S.WAITING, S.ALLOCATED)


def test_it_returns_nothing_for_a_move_already_made(hub, provider, worker):
    case = case_in(S.ACTIVE, hub, provider, worker)
    before = snapshot(case)
    assert case_change_status(request=None, case=case, to_status=S.ACTIVE, version=case.version) is None
    assert snapshot(case) == before


def test_it_refuses_an_unknown_status(hub, provider, worker):
    case = case_in(S.ACTIVE, hub, provider, worker)
    with pytest.raises(ValidationError) as caught:
        case_change_status(request=None, case=case, to_status="paused")
    assert "to_status" in caught.value.error_dict


# --- closing ----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "no_such_reason", "retired"])
def test_it_needs_a_current_closure_reason(reason, hub, provider, worker):
    VocabularyTerm.objects.create(vocabulary="case_closure_reasons", code="retired", label="Old", is_active=False)
    case = case_in(S.ACTIVE, hub, provider, worker)
    before = snapshot(case)
    with pytest.raises(ValidationError) as caught:
        case_change_status(request=None, case=case, to_status=S.CLOSED, version=case.version, reason_code=reason)
    assert caught.value.error_dict["reason_code"][0].messages == ["Choose why the case is closing."]
    assert snapshot(case) == before


@pytest.mark.parametrize(
    "reason", ["support_complete", "risk_reduced", "disengaged", "moved_away", "transferred", "declined", "died"]
)
def test_it_closes_with_each_default_reason(reason, hub, provider, worker):
    case = case_in(S.ACTIVE, hub, provider, worker)
    change = case_change_status(request=None, case=case, to_status=S.CLOSED, version=case.version, reason_code=reason)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.closure_reason, fresh.closed_at, change.reason_code) == (reason, NOW, reason)


def test_it_closes_a_case_straight_from_the_waiting_list(hub, provider, worker):
    case = case_in(S.WAITING, hub, provider, worker)
    case_change_status(request=None, case=case, to_status=S.CLOSED, reason_code="declined")
    assert Case.objects.get(pk=case.pk).status == S.CLOSED


# --- reopening --------------------------------------------------------------------------


def test_it_reopens_to_the_waiting_list_without_a_key_worker(hub, provider, worker, frozen):
    case = case_in(S.CLOSED, hub, provider, worker)
    frozen.shift(86400 * 3)
    change = case_change_status(request=None, case=case, to_status=S.WAITING, version=case.version, note="Came back")
    fresh = Case.objects.get(pk=case.pk)
    assert change.is_reopening
    assert fresh.key_worker is None and fresh.closed_at is None and fresh.closure_reason == ""
    assert fresh.waiting_since == datetime(2026, 3, 13, 10, tzinfo=LONDON)


def test_it_reopens_to_the_same_key_worker_while_they_work_here(hub, provider, worker):
    case = case_in(S.CLOSED, hub, provider, worker)
    case_change_status(request=None, case=case, to_status=S.ALLOCATED, version=case.version)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.key_worker, fresh.closed_at) == (S.ALLOCATED, worker, None)


@pytest.mark.parametrize("how", ["membership_ended", "account_disabled", "now_a_volunteer"])
def test_it_refuses_to_reopen_to_a_key_worker_who_left(how, hub, provider, worker):
    case = case_in(S.CLOSED, hub, provider, worker)
    membership = Membership.objects.get(user=worker)
    if how == "membership_ended":
        membership.is_active = False
        membership.save()
    elif how == "account_disabled":
        worker.is_active = False
        worker.save()
    else:
        membership.role = Role.VOLUNTEER
        membership.save()
    before = snapshot(case)
    with pytest.raises(ValidationError, match="no longer works here"):
        case_change_status(request=None, case=case, to_status=S.ALLOCATED, version=case.version)
    assert snapshot(case) == before
    case_change_status(request=None, case=case, to_status=S.WAITING, version=case.version)
    assert Case.objects.get(pk=case.pk).status == S.WAITING


def test_it_starts_a_new_support_period_when_reopening_after_it_ran_out(hub, provider, worker, frozen):
    case = case_in(S.CLOSED, hub, provider, worker)
    assert case.support_ends_on == date(2027, 3, 10)
    frozen.move_to(datetime(2027, 5, 31, 12, tzinfo=LONDON))
    case_change_status(request=None, case=case, to_status=S.ALLOCATED, version=case.version)
    assert Case.objects.get(pk=case.pk).support_ends_on == date(2028, 5, 31)


def test_it_keeps_the_support_period_when_reopening_within_it(hub, provider, worker, frozen):
    case = case_in(S.CLOSED, hub, provider, worker)
    frozen.shift(86400 * 10)
    case_change_status(request=None, case=case, to_status=S.ALLOCATED, version=case.version)
    assert Case.objects.get(pk=case.pk).support_ends_on == date(2027, 3, 10)


# --- other moves ------------------------------------------------------------------------


def test_it_clears_the_key_worker_when_returning_to_the_waiting_list(hub, provider, worker, frozen):
    case = case_in(S.ALLOCATED, hub, provider, worker)
    frozen.shift(3600)
    case_change_status(request=None, case=case, to_status=S.WAITING, version=case.version)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.key_worker is None and fresh.waiting_since == datetime(2026, 3, 10, 11, tzinfo=LONDON)


def test_it_records_when_stepping_down_started(hub, provider, worker):
    case = case_in(S.ACTIVE, hub, provider, worker)
    case_change_status(request=None, case=case, to_status=S.STEPPING_DOWN, version=case.version)
    assert Case.objects.get(pk=case.pk).step_down_planned_at == NOW


# --- optimistic locking -----------------------------------------------------------------


def test_it_refuses_a_stale_status_change_and_saves_nothing(hub, provider, worker):
    case = case_in(S.ACTIVE, hub, provider, worker)
    stale = case.version
    Case.objects.filter(pk=case.pk).update(version=stale + 1)  # a colleague saved meanwhile
    before = snapshot(case)
    with pytest.raises(CaseChanged) as caught:
        case_change_status(request=None, case=case, to_status=S.CLOSED, version=stale, reason_code="risk_reduced")
    assert "Someone else changed this case" in caught.value.messages[0]
    assert caught.value.code == "stale"
    assert snapshot(case) == before


def test_it_lets_a_double_submission_of_the_same_change_through_harmlessly(hub, provider, worker):
    case = case_in(S.ACTIVE, hub, provider, worker)
    form_version = case.version
    case_change_status(request=None, case=case, to_status=S.STEPPING_DOWN, version=form_version)
    rows = CaseStatusChange.objects.count()
    again = case_change_status(request=None, case=case, to_status=S.STEPPING_DOWN, version=form_version)
    assert again is None and CaseStatusChange.objects.count() == rows


def test_it_refuses_a_stale_allocation_and_saves_nothing(hub, provider, worker, member):
    case = case_in(S.WAITING, hub, provider, worker)
    other = member(Role.TEAM_MANAGER, provider)
    form_version = case.version
    case_allocate(request=None, case=case, worker=worker, version=form_version)
    before = snapshot(case)
    with pytest.raises(CaseChanged):
        case_allocate(request=None, case=Case.objects.get(pk=case.pk), worker=other, version=form_version)
    assert snapshot(case) == before


def test_it_lets_a_double_allocation_through_harmlessly(hub, provider, worker):
    case = case_in(S.WAITING, hub, provider, worker)
    form_version = case.version
    case_allocate(request=None, case=case, worker=worker, version=form_version)
    before = snapshot(case)
    case_allocate(request=None, case=Case.objects.get(pk=case.pk), worker=worker, version=form_version)
    assert snapshot(case) == before


def test_it_counts_a_first_contact_as_a_change_for_stale_forms(hub, provider, worker):
    case = case_in(S.ALLOCATED, hub, provider, worker)
    form_version = case.version
    case_contact_recorded(case, at=NOW, mode="phone", made=True)
    with pytest.raises(CaseChanged):
        case_change_status(request=None, case=case, to_status=S.WAITING, version=form_version)
