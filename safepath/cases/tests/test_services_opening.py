"""Opening cases: the re-referral window (inside, outside, the boundary day, merged people), the
re-referral priority (top of the list, or straight back to a previous key worker still employed)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safepath.accounts.models import Membership
from safepath.cases.choices import CaseStatus, ReReferralPriority
from safepath.cases.models import Case, Team
from safepath.cases.selectors import settings_for
from safepath.cases.services import (
    case_allocate,
    case_change_status,
    case_open,
    case_open_from_work_item,
    previous_closed_case,
)
from safepath.cases.tests.url_table_caseload import open_case
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.people.services_records import person_merge_checked
from safepath.people.tests.url_table_people import refer, route
from safepath.referrals.models import Pathway
from safepath.testing import OrganisationFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
S = CaseStatus


def at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=LONDON)


@pytest.fixture
def hub(db):
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def provider(db):
    return OrganisationFactory(type=OrganisationType.PROVIDER)


@pytest.fixture
def worker(member, provider):
    return member(Role.CASEWORKER, provider)


def closed_case(hub, provider, worker, closed: datetime, pathway: str = "idva", first: str = "Ffion") -> Case:
    with time_machine.travel(at(2024, 1, 2), tick=False):
        case = open_case(hub, provider, first, "Carrow", pathway)
        case_allocate(request=None, case=case, worker=worker)
    case_change_status(request=None, case=case, to_status=S.CLOSED, reason_code="risk_reduced", at=closed)
    return case


def reopen_for(case: Case, provider, when: datetime, pathway: str | None = None) -> Case:
    """A new case for the same person, opened at `when`."""
    pathway_obj = Pathway.objects.get(code=pathway) if pathway else case.pathway
    with time_machine.travel(when, tick=False):
        return case_open(
            request=None, person=case.person, pathway=pathway_obj, provider_id=provider.pk, risk_level="medium"
        )


def set_priority(pathway: Pathway, priority: str, window: int = 12) -> None:
    settings = settings_for(pathway)
    settings.rereferral_priority = priority
    settings.rereferral_window_months = window
    settings.save()


# --- the window -------------------------------------------------------------------------


def test_it_opens_a_new_person_on_the_waiting_list(hub, provider):
    with time_machine.travel(at(2026, 3, 10), tick=False):
        case = open_case(hub, provider, "Ffion", "Carrow")
    assert (case.status, case.is_rereferral, case.previous_case, case.key_worker) == (S.WAITING, False, None, None)
    assert case.opened_at == case.waiting_since == at(2026, 3, 10)
    assert [(c.from_status, c.to_status) for c in case.status_changes.all()] == [("", S.WAITING)]
    assert AuditEvent.objects.filter(action="create", object_type="cases.case", object_id=str(case.pk)).exists()


def test_it_flags_a_re_referral_inside_the_window(hub, provider, worker):
    previous = closed_case(hub, provider, worker, at(2025, 6, 1))
    case = reopen_for(previous, provider, at(2026, 1, 15))
    assert case.is_rereferral and case.previous_case == previous and case.status == S.WAITING
    assert case.status_changes.get().reason_code == "rereferral"


def test_it_does_not_flag_a_referral_outside_the_window(hub, provider, worker):
    previous = closed_case(hub, provider, worker, at(2025, 1, 9))
    case = reopen_for(previous, provider, at(2026, 1, 10))
    assert not case.is_rereferral and case.previous_case is None


@pytest.mark.parametrize(
    ("closed", "referred", "inside"),
    [
        (at(2025, 3, 10, 23), at(2026, 3, 10, 9), True),  # the same date a year on: inside
        (at(2025, 3, 9, 23), at(2026, 3, 10, 9), False),  # the day before: outside
        (at(2025, 2, 28), at(2026, 2, 28), True),
        (at(2025, 2, 27), at(2026, 2, 28), False),
        (at(2023, 2, 28), at(2024, 2, 29), True),  # a leap day counts back to 28 February
        (at(2025, 3, 31), at(2026, 3, 31), True),
        # Midnight in London (23:30 UTC in summer) is the next day's date.
        (datetime(2025, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC")), at(2026, 7, 1), True),
        (datetime(2025, 6, 30, 22, 30, tzinfo=ZoneInfo("UTC")), at(2026, 7, 1), False),
    ],
)
def test_it_counts_the_window_in_calendar_months_from_the_london_date(closed, referred, inside, hub, provider, worker):
    previous = closed_case(hub, provider, worker, closed)
    assert reopen_for(previous, provider, referred).is_rereferral is inside


def test_it_uses_the_pathways_window(hub, provider, worker):
    previous = closed_case(hub, provider, worker, at(2025, 10, 1))
    set_priority(previous.pathway, ReReferralPriority.TOP_OF_LIST, window=3)
    assert not reopen_for(previous, provider, at(2026, 1, 2)).is_rereferral
    assert reopen_for(previous, provider, at(2026, 1, 1)).is_rereferral


def test_it_never_fast_tracks_when_the_window_is_zero(hub, provider, worker):
    previous = closed_case(hub, provider, worker, at(2026, 1, 1))
    set_priority(previous.pathway, ReReferralPriority.SKIP_WAITING_LIST, window=0)
    case = reopen_for(previous, provider, at(2026, 1, 1, 12))
    assert not case.is_rereferral and case.status == S.WAITING


def test_it_ignores_a_case_on_another_pathway(hub, provider, worker):
    previous = closed_case(hub, provider, worker, at(2025, 12, 1))
    assert not reopen_for(previous, provider, at(2026, 1, 1), pathway="outreach").is_rereferral


def test_it_ignores_a_case_still_open(hub, provider, worker):
    with time_machine.travel(at(2025, 12, 1), tick=False):
        first = open_case(hub, provider, "Ffion", "Carrow")
    assert not reopen_for(first, provider, at(2026, 1, 1)).is_rereferral


def test_it_ignores_a_case_closed_after_the_new_referral(hub, provider, worker):
    previous = closed_case(hub, provider, worker, at(2026, 2, 1))
    assert previous_closed_case(previous.person, previous.pathway, at=at(2026, 1, 1)) is None


def test_it_links_the_most_recent_closed_case(hub, provider, worker):
    older = closed_case(hub, provider, worker, at(2025, 5, 1))
    newer = reopen_for(older, provider, at(2025, 6, 1))
    case_allocate(request=None, case=newer, worker=worker)
    case_change_status(request=None, case=newer, to_status=S.CLOSED, reason_code="disengaged", at=at(2025, 9, 1))
    assert reopen_for(older, provider, at(2026, 1, 1)).previous_case == newer


def test_it_finds_the_previous_case_of_a_merged_person(hub, provider, worker):
    previous = closed_case(hub, provider, worker, at(2025, 10, 1))  # on the record that gets merged away
    kept = refer(hub, "Ffion", "Carrow-Jones").person
    person_merge_checked(request=None, kept=kept, merged=previous.person, reason="same person")
    with time_machine.travel(at(2026, 1, 1), tick=False):
        case = case_open(
            request=None, person=kept, pathway=previous.pathway, provider_id=provider.pk, risk_level="high"
        )
        merged = case_open(
            request=None, person=previous.person, pathway=previous.pathway, provider_id=provider.pk, risk_level="high"
        )
    assert case.is_rereferral and case.previous_case == previous
    assert merged.person == kept and merged.previous_case == previous  # a referral for the merged record


def test_it_flags_a_re_referral_to_another_provider(hub, provider, worker):
    previous = closed_case(hub, provider, worker, at(2025, 10, 1))
    set_priority(previous.pathway, ReReferralPriority.SKIP_WAITING_LIST)
    elsewhere = OrganisationFactory(type=OrganisationType.PROVIDER)
    case = reopen_for(previous, elsewhere, at(2026, 1, 1))
    assert case.is_rereferral and case.previous_case == previous
    assert case.status == S.WAITING and case.key_worker is None  # the previous worker is not theirs


# --- priority ---------------------------------------------------------------------------


def test_it_puts_a_re_referral_on_the_waiting_list_by_default(hub, provider, worker):
    previous = closed_case(hub, provider, worker, at(2025, 10, 1))
    assert settings_for(previous.pathway).rereferral_priority == ReReferralPriority.TOP_OF_LIST
    case = reopen_for(previous, provider, at(2026, 1, 1))
    assert case.status == S.WAITING and case.is_rereferral


def test_it_skips_the_waiting_list_to_the_previous_key_worker(hub, provider, worker):
    team = Team.objects.create(organisation=provider, name="IDVA")
    with time_machine.travel(at(2025, 1, 2), tick=False):
        previous = open_case(hub, provider, "Ffion", "Carrow")
        case_allocate(request=None, case=previous, worker=worker, team=team)
    case_change_status(request=None, case=previous, to_status=S.CLOSED, reason_code="risk_reduced", at=at(2025, 10, 1))
    set_priority(previous.pathway, ReReferralPriority.SKIP_WAITING_LIST)
    case = reopen_for(previous, provider, at(2026, 1, 31))
    assert (case.status, case.key_worker, case.team) == (S.ALLOCATED, worker, team)
    assert case.allocated_at == at(2026, 1, 31) and str(case.support_ends_on) == "2027-01-31"
    assert [(c.to_status, c.reason_code) for c in case.status_changes.all()] == [
        (S.WAITING, "rereferral"),
        (S.ALLOCATED, "rereferral_fast_track"),
    ]


def test_it_leaves_out_a_team_no_longer_in_use(hub, provider, worker):
    team = Team.objects.create(organisation=provider, name="IDVA")
    with time_machine.travel(at(2025, 1, 2), tick=False):
        previous = open_case(hub, provider, "Ffion", "Carrow")
        case_allocate(request=None, case=previous, worker=worker, team=team)
    case_change_status(request=None, case=previous, to_status=S.CLOSED, reason_code="risk_reduced", at=at(2025, 10, 1))
    Team.objects.filter(pk=team.pk).update(is_active=False)
    set_priority(previous.pathway, ReReferralPriority.SKIP_WAITING_LIST)
    case = reopen_for(previous, provider, at(2026, 1, 1))
    assert (case.key_worker, case.team) == (worker, None)


@pytest.mark.parametrize("how", ["membership_ended", "account_disabled", "moved_provider"])
def test_it_waits_at_the_top_when_the_previous_key_worker_left(how, hub, provider, worker):
    previous = closed_case(hub, provider, worker, at(2025, 10, 1))
    set_priority(previous.pathway, ReReferralPriority.SKIP_WAITING_LIST)
    if how == "membership_ended":
        Membership.objects.filter(user=worker).update(is_active=False)
    elif how == "account_disabled":
        worker.is_active = False
        worker.save()
    else:
        Membership.objects.filter(user=worker).update(organisation=OrganisationFactory(type=OrganisationType.PROVIDER))
    case = reopen_for(previous, provider, at(2026, 1, 1))
    assert case.status == S.WAITING and case.key_worker is None and case.is_rereferral


def test_it_opens_one_case_per_work_item(hub, provider):
    item = route(refer(hub, "Ffion", "Carrow"), provider)
    first = case_open_from_work_item(request=None, item=item)
    assert case_open_from_work_item(request=None, item=item) == first
    assert Case.objects.filter(work_item=item).count() == 1
