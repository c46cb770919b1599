"""The hub's triage queue: what it lists, in which order, filters, paging, queries, audit."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.choices import Status
from safepath.referrals.tests.url_table_triage import bulk_referrals, make_referral, reference_data
from safepath.testing import OrganisationFactory, assert_constant_queries

LONDON = ZoneInfo("Europe/London")
QUEUE = reverse("referrals:triage_queue")
# Wednesday 11 March 2026, mid-morning.
NOW = datetime(2026, 3, 11, 10, 0, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def _frozen_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def hub(db):
    reference_data()
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def worker(member, hub):
    return member(Role.TRIAGE_WORKER, organisation=hub)


@pytest.fixture
def client_(login, worker):
    return login(worker)


def references(html: str) -> list[str]:
    return re.findall(r'data-reference="([^"]+)"', html)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=LONDON)


def test_it_lists_unassigned_first_then_highest_risk_then_oldest(client_, hub, worker):
    old_standard = bulk_referrals(hub, 1, risk_level="standard", received_at=at(2))[0]
    new_high = bulk_referrals(hub, 1, risk_level="high", received_at=at(10))[0]
    old_high = bulk_referrals(hub, 1, risk_level="high", received_at=at(9))[0]
    medium = bulk_referrals(hub, 1, risk_level="medium", received_at=at(3))[0]
    assigned_high = bulk_referrals(hub, 1, risk_level="high", received_at=at(1), assigned_to=worker)[0]
    html = client_.get(QUEUE).content.decode()
    assert references(html) == [r.reference for r in (old_high, new_high, medium, old_standard, assigned_high)]


def test_it_lists_only_open_referrals_at_the_users_own_hub(client_, hub):
    mine = bulk_referrals(hub, 1)[0]
    in_triage = bulk_referrals(hub, 1, status=Status.IN_TRIAGE)[0]
    bulk_referrals(hub, 1, status=Status.ACCEPTED)
    bulk_referrals(hub, 1, status=Status.DECLINED)
    elsewhere = bulk_referrals(OrganisationFactory(type=OrganisationType.HUB), 1)[0]
    html = client_.get(QUEUE).content.decode()
    assert sorted(references(html)) == sorted([mine.reference, in_triage.reference])
    assert elsewhere.reference not in html
    assert client_.get(reverse("referrals:triage_detail", args=[elsewhere.pk])).status_code == 404


def test_it_shows_first_name_and_last_initial_only(client_, hub):
    make_referral(hub, first_name="Jane", last_name="Smithson")
    html = client_.get(QUEUE).content.decode()
    assert "Jane S." in html and "Smithson" not in html


def test_it_shows_risk_marac_repeat_and_possible_duplicates(client_, hub):
    make_referral(hub, first_name="Jane", last_name="Smith", date_of_birth=datetime(1990, 4, 7).date(), dash_score=15)
    make_referral(hub, first_name="Jayne", last_name="Smith", date_of_birth=datetime(1990, 4, 7).date())
    bulk_referrals(hub, 1, risk_level="standard", is_marac_case=True, is_repeat=True, marac_criteria=["repeat"])
    html = client_.get(QUEUE).content.decode()
    assert "govuk-tag--red" in html and "Visible high risk" in html
    assert "Possible duplicate" in html
    assert re.search(r"govuk-tag--pink\">\s*Repeat", html)


def test_it_highlights_overdue_referrals_against_their_sla(client_, hub):
    # High risk allows 1 working day: Monday's referral is overdue on Wednesday; Tuesday's is not.
    overdue = bulk_referrals(hub, 1, risk_level="high", received_at=at(9, 15))[0]
    on_time = bulk_referrals(hub, 1, risk_level="high", received_at=at(10, 15))[0]
    # Standard allows 5: a referral from the Friday before last (27 Feb) is 8 working days old.
    old_standard = bulk_referrals(hub, 1, risk_level="standard", received_at=datetime(2026, 2, 27, 9, tzinfo=LONDON))[0]
    html = client_.get(QUEUE).content.decode()
    rows = dict(re.findall(r'data-reference="([^"]+)">(.*?)</tr>', html, flags=re.S))
    assert "Overdue" in rows[overdue.reference] and "2 working days (target 1)" in rows[overdue.reference]
    assert "Overdue" not in rows[on_time.reference] and "1 working day (target 1)" in rows[on_time.reference]
    assert "Overdue" in rows[old_standard.reference] and "8 working days (target 5)" in rows[old_standard.reference]


def test_it_filters_by_risk_overdue_and_mine(client_, hub, worker):
    overdue_high = bulk_referrals(hub, 1, risk_level="high", received_at=at(9))[0]
    fresh_high = bulk_referrals(hub, 1, risk_level="high", received_at=at(11, 8))[0]
    medium_mine = bulk_referrals(hub, 1, risk_level="medium", received_at=at(11, 8), assigned_to=worker)[0]
    old_medium = bulk_referrals(hub, 1, risk_level="medium", received_at=at(6))[0]
    assert references(client_.get(QUEUE, {"risk_level": "high"}).content.decode()) == [
        overdue_high.reference,
        fresh_high.reference,
    ]
    overdue = references(client_.get(QUEUE, {"overdue": "on"}).content.decode())
    assert overdue == [overdue_high.reference, old_medium.reference]
    assert references(client_.get(QUEUE, {"mine": "on"}).content.decode()) == [medium_mine.reference]
    assert references(client_.get(QUEUE, {"risk_level": "medium", "overdue": "on"}).content.decode()) == [
        old_medium.reference
    ]


def test_it_ignores_a_filter_value_it_does_not_know(client_, hub):
    bulk_referrals(hub, 2)
    response = client_.get(QUEUE, {"risk_level": "extreme"})
    assert response.status_code == 200 and len(references(response.content.decode())) == 2


def test_it_pages_fifty_at_a_time_and_keeps_the_filters(client_, hub):
    bulk_referrals(hub, 51, risk_level="high", received_at=at(10))
    first = client_.get(QUEUE, {"risk_level": "high"}).content.decode()
    assert len(references(first)) == 50
    assert "risk_level=high&amp;page=2" in first
    second = client_.get(QUEUE, {"risk_level": "high", "page": 2}).content.decode()
    assert len(references(second)) == 1


def test_it_uses_a_constant_number_of_queries(client_, hub, worker):
    other = OrganisationFactory(type=OrganisationType.HUB)

    def grow(n):
        bulk_referrals(hub, n, risk_level="high", received_at=at(2))
        bulk_referrals(hub, n, risk_level="medium", received_at=at(10), assigned_to=worker)
        bulk_referrals(hub, n, risk_level="standard", status=Status.ACCEPTED)
        bulk_referrals(other, n)

    assert_constant_queries(client_, QUEUE, grow)
    assert_constant_queries(client_, QUEUE + "?overdue=on&risk_level=high", grow)


def test_it_audits_every_referral_listed(client_, hub):
    shown = bulk_referrals(hub, 3)
    client_.get(QUEUE)
    audited = set(
        AuditEvent.objects.filter(action="view", object_type="referrals.referral").values_list("object_id", flat=True)
    )
    assert audited == {str(r.pk) for r in shown}


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.ADMINISTRATOR, Role.REFERRING_PROFESSIONAL, Role.COMMISSIONER])
def test_it_refuses_everyone_but_hub_staff(member, login, role, hub):
    assert login(member(role)).get(QUEUE).status_code == 403


def test_it_lets_a_hub_team_manager_triage(member, login, hub):
    bulk_referrals(hub, 1)
    response = login(member(Role.TEAM_MANAGER, organisation=hub)).get(QUEUE)
    assert response.status_code == 200 and len(references(response.content.decode())) == 1
