"""Contacts' effects on the case: each engagement rule, first and last contact, allocated → active."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safepath.cases.choices import MODE_CHANNEL, CaseStatus, EngagementRule
from safepath.cases.models import Case
from safepath.cases.selectors import settings_for
from safepath.cases.services import case_allocate, case_contact_recorded, case_set_dates, engages
from safepath.cases.tests.url_table_caseload import open_case
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory

LONDON = ZoneInfo("Europe/London")
S = CaseStatus
MODES = list(MODE_CHANNEL)

EXPECTED = {
    EngagementRule.ANY_CONTACT_MADE: set(MODES),
    EngagementRule.TWO_WAY_CONTACT: {"phone", "video", "face_to_face"},
    EngagementRule.FACE_TO_FACE: {"face_to_face"},
}


def day(d: int, h: int = 10) -> datetime:
    return datetime(2026, 2, d, h, tzinfo=LONDON)


@pytest.mark.parametrize("rule", list(EngagementRule))
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("made", [True, False])
def test_it_decides_engagement_by_the_pathways_rule(rule, mode, made):
    assert engages(rule, mode=mode, made=made) is (made and mode in EXPECTED[rule])


@pytest.fixture
def case(db, member):
    hub = OrganisationFactory(type=OrganisationType.HUB)
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    with time_machine.travel(day(1), tick=False):
        case = open_case(hub, provider, "Ffion", "Carrow")
        case_allocate(request=None, case=case, worker=member(Role.CASEWORKER, provider))
    return case


def set_rule(case: Case, rule: str) -> None:
    settings = settings_for(case.pathway)
    settings.engagement_rule = rule
    settings.save()


@pytest.mark.django_db
@pytest.mark.parametrize("rule", list(EngagementRule))
def test_it_marks_the_case_engaged_at_the_first_qualifying_contact(rule, case):
    set_rule(case, rule)
    case_contact_recorded(case, at=day(2), mode="letter", made=True)
    case_contact_recorded(case, at=day(3), mode="phone", made=True)
    case_contact_recorded(case, at=day(4), mode="face_to_face", made=True)
    expected = {EngagementRule.ANY_CONTACT_MADE: day(2), EngagementRule.TWO_WAY_CONTACT: day(3)}
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.engaged_at == expected.get(rule, day(4))
    assert (fresh.first_contact_at, fresh.last_contact_at) == (day(2), day(4))


@pytest.mark.django_db
def test_it_activates_an_allocated_case_at_the_first_contact_made(case):
    version = case.version
    case_contact_recorded(case, at=day(2), mode="phone", made=False)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.status, fresh.first_contact_at, fresh.last_contact_at, fresh.engaged_at) == (
        S.ALLOCATED,
        None,
        None,
        None,
    )
    case_contact_recorded(case, at=day(3), mode="text", made=True)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.status == S.ACTIVE and fresh.version == version + 1 and case.status == S.ACTIVE
    change = fresh.status_changes.last()
    assert (change.from_status, change.to_status, change.reason_code, change.at) == (
        S.ALLOCATED,
        S.ACTIVE,
        "first_contact",
        day(3),
    )
    assert fresh.engaged_at is None  # a text is not a conversation under the default rule


@pytest.mark.django_db
def test_it_keeps_the_earliest_contact_when_recorded_out_of_order(case):
    case_contact_recorded(case, at=day(10), mode="phone", made=True)
    case_contact_recorded(case, at=day(5), mode="video", made=True)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.first_contact_at, fresh.engaged_at, fresh.last_contact_at) == (day(5), day(5), day(10))
    assert fresh.status_changes.filter(to_status=S.ACTIVE).count() == 1


@pytest.mark.django_db
def test_it_records_contact_while_waiting_without_activating(db):
    hub = OrganisationFactory(type=OrganisationType.HUB)
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    case = open_case(hub, provider, "Ffion", "Carrow")
    case_contact_recorded(case, at=day(2), mode="phone", made=True)
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.status == S.WAITING and fresh.last_contact_at == day(2)


@pytest.mark.django_db
def test_it_sets_due_dates_without_a_version_bump(case):
    version = case.version
    case_set_dates(case, next_action_on=day(9).date(), review_due_on=None)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.next_action_on, fresh.review_due_on, fresh.version) == (day(9).date(), None, version)
    with pytest.raises(ValueError, match="not a due date"):
        case_set_dates(case, support_ends_on=None)
