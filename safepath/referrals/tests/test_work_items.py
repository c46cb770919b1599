"""A provider's inbox of routed referrals: scoping, the summary page, managers' decisions."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import WorkItem
from safepath.referrals.tests.url_table_triage import make_work_item, reference_data
from safepath.testing import OrganisationFactory, assert_constant_queries

INBOX = reverse("referrals:work_items")


@pytest.fixture
def hub(db):
    reference_data()
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def provider(db):
    return OrganisationFactory(type=OrganisationType.PROVIDER)


@pytest.fixture
def manager(member, provider):
    return member(Role.TEAM_MANAGER, organisation=provider)


@pytest.fixture
def caseworker(member, provider):
    return member(Role.CASEWORKER, organisation=provider)


@pytest.fixture
def item(hub, provider):
    return make_work_item(hub, provider, dash_score=15, first_name="Mia", last_name="Jones")


def detail(item):
    return reverse("referrals:work_item_detail", args=[item.pk])


def decide(item):
    return reverse("referrals:work_item_decide", args=[item.pk])


def test_it_lists_only_items_offered_to_my_service(login, caseworker, hub, provider, item):
    theirs = make_work_item(hub, OrganisationFactory(type=OrganisationType.PROVIDER), pathway_code="outreach")
    html = login(caseworker).get(INBOX).content.decode()
    assert re.findall(r'data-reference="([^"]+)"', html) == [item.referral.reference]
    assert "IDVA (high risk)" in html and "govuk-tag--red" in html
    assert "Mia" not in html  # the inbox lists references, not names
    assert login(caseworker).get(detail(theirs)).status_code == 404


def test_it_audits_the_inbox_rows(login, caseworker, item):
    login(caseworker).get(INBOX)
    assert AuditEvent.objects.filter(action="view", object_type="referrals.workitem", object_id=str(item.pk)).exists()


def test_it_uses_a_constant_number_of_queries(login, caseworker, hub, provider):
    def grow(n):
        for _ in range(n // 5):
            make_work_item(hub, provider)

    assert_constant_queries(login(caseworker), INBOX, grow)


def test_it_shows_the_summary_and_safe_contact_rules_and_audits_them(login, caseworker, item):
    html = login(caseworker).get(detail(item)).content.decode()
    assert "Safe contact rules" in html and 'data-channel="phone" data-state="safe"' in html
    assert "Visible high risk" in html and "Mia Jones" in html
    assert 'data-testid="decide"' not in html  # caseworkers cannot decide
    for obj_type, pk in [
        ("referrals.workitem", item.pk),
        ("referrals.referral", item.referral.pk),
        ("people.person", item.referral.person.pk),
    ]:
        assert AuditEvent.objects.filter(action="view", object_type=obj_type, object_id=str(pk)).exists()


def test_it_lets_a_team_manager_accept(login, manager, item):
    client = login(manager)
    assert 'data-testid="decide"' in client.get(detail(item)).content.decode()
    assert client.post(decide(item), {"decision": "accept"}).status_code == 302
    item.refresh_from_db()
    assert item.status == WorkItem.Status.ACCEPTED
    assert AuditEvent.objects.filter(action="update", object_type="referrals.workitem", reason="accepted").exists()


def test_it_needs_a_reason_to_decline(login, manager, item):
    response = login(manager).post(decide(item), {"decision": "decline"})
    assert response.status_code == 200 and "Choose why you cannot take this referral." in response.content.decode()
    item.refresh_from_db()
    assert item.status == WorkItem.Status.OFFERED


def test_it_declines_for_no_capacity(login, manager, item):
    login(manager).post(decide(item), {"decision": "decline", "reason": "no_capacity"})
    item.refresh_from_db()
    assert item.status == WorkItem.Status.DECLINED
    assert (item.decline_reason, item.decided_by) == ("no_capacity", manager)
    assert item.decided_at is not None
    assert AuditEvent.objects.filter(object_type="referrals.workitem", reason="declined: no_capacity").exists()


def test_it_decides_only_once(login, manager, item):
    client = login(manager)
    client.post(decide(item), {"decision": "accept"})
    client.post(decide(item), {"decision": "decline", "reason": "no_capacity"})
    item.refresh_from_db()
    assert item.status == WorkItem.Status.ACCEPTED
    assert AuditEvent.objects.filter(action="update", object_type="referrals.workitem").count() == 1


def test_it_forbids_a_caseworker_to_decide(login, caseworker, item):
    assert login(caseworker).post(decide(item), {"decision": "accept"}).status_code == 403
    item.refresh_from_db()
    assert item.status == WorkItem.Status.OFFERED


def test_it_hides_another_services_item_from_a_manager(member, login, hub, item):
    other_manager = member(Role.TEAM_MANAGER, organisation=OrganisationFactory(type=OrganisationType.PROVIDER))
    assert login(other_manager).post(decide(item), {"decision": "accept"}).status_code == 404


@pytest.mark.parametrize("role", [Role.VOLUNTEER, Role.TRIAGE_WORKER, Role.COMMISSIONER])
def test_it_refuses_roles_without_an_inbox(db, member, login, role):
    assert login(member(role)).get(INBOX).status_code == 403

