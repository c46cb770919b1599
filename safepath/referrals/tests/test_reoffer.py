"""Offering a declined work item again: the hub's list, the re-offer page, the service's rules,
history kept in rows, the no-capacity count unchanged, double submission, audit, queries."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.referrals import triage
from safepath.referrals.models import Pathway, WorkItem
from safepath.referrals.tests.url_table_triage import make_work_item, reference_data
from safepath.reporting.metrics import activity
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.periods import Period
from safepath.testing import OrganisationFactory, assert_constant_queries

DECLINED = reverse("referrals:triage_declined")
QUEUE = reverse("referrals:triage_queue")


@pytest.fixture
def hub(db):
    reference_data()
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def first_provider(db):
    return OrganisationFactory(type=OrganisationType.PROVIDER, name="Alpha Advocacy")


@pytest.fixture
def second_provider(db):
    provider = OrganisationFactory(type=OrganisationType.PROVIDER, name="Beta Support")
    Pathway.objects.get(code="idva").providers.add(provider)
    return provider


@pytest.fixture
def worker(member, hub):
    return member(Role.TRIAGE_WORKER, organisation=hub)


@pytest.fixture
def provider_manager(member, first_provider):
    return member(Role.TEAM_MANAGER, organisation=first_provider)


def decline(item, manager, reason="no_capacity"):
    triage.work_item_decide(request=_request(manager), item=item, accept=False, reason=reason)
    item.refresh_from_db()
    return item


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().post("/")
    request.user = user
    return request


@pytest.fixture
def declined(hub, first_provider, second_provider, provider_manager):
    item = make_work_item(hub, first_provider, dash_score=15, first_name="Mia", last_name="Jones")
    return decline(item, provider_manager)


def reoffer_url(item):
    return reverse("referrals:work_item_reoffer", args=[item.pk])


def target(pathway_code, provider):
    return f"{Pathway.objects.get(code=pathway_code).pk}-{provider.pk}"


def no_capacity_today():
    today = timezone.localdate()
    return activity.declined_no_capacity(Scope(Period(today - timedelta(days=1), today + timedelta(days=1))))


# --- the hub sees declined items --------------------------------------------------------


def test_the_queue_points_to_declined_items_and_the_list_shows_them(login, worker, declined, hub, first_provider):
    still_offered = make_work_item(hub, first_provider, pathway_code="outreach", first_name="Zoe")
    client = login(worker)
    queue = client.get(QUEUE).content.decode()
    assert 'data-testid="declined-count"' in queue and "1 routed referral was declined" in queue
    html = client.get(DECLINED).content.decode()
    assert re.findall(r'data-reference="([^"]+)"', html) == [declined.referral.reference]
    assert still_offered.referral.reference not in html
    assert "Alpha Advocacy" in html and "No capacity" in html and reoffer_url(declined) in html
    assert "Mia" not in html  # the list shows references, not names
    assert AuditEvent.objects.filter(
        action="view", object_type="referrals.workitem", object_id=str(declined.pk), reason="declined work items"
    ).exists()


def test_the_list_leaves_out_another_hubs_declined_items(login, member, declined):
    other_worker = member(Role.TRIAGE_WORKER, organisation=OrganisationFactory(type=OrganisationType.HUB))
    client = login(other_worker)
    assert declined.referral.reference not in client.get(DECLINED).content.decode()
    assert client.get(reoffer_url(declined)).status_code == 404
    assert 'data-testid="declined-count"' not in client.get(QUEUE).content.decode()


def test_the_referral_page_offers_a_declined_item_again(login, worker, declined):
    html = login(worker).get(reverse("referrals:triage_detail", args=[declined.referral.pk])).content.decode()
    assert reoffer_url(declined) in html and "No capacity" in html


# --- offering again ---------------------------------------------------------------------


def test_the_page_lists_other_providers_of_the_same_pathway_first(login, worker, declined, second_provider):
    html = login(worker).get(reoffer_url(declined)).content.decode()
    values = re.findall(r'value="(\d+-\d+)"', html)
    assert values[0] == target("idva", second_provider)
    assert target("idva", declined.provider) not in values  # not back to the provider that declined
    assert "Alpha Advocacy" in html and "No capacity" in html
    assert AuditEvent.objects.filter(
        action="view", object_type="referrals.workitem", object_id=str(declined.pk)
    ).exists()
    assert AuditEvent.objects.filter(
        action="view", object_type="people.person", object_id=str(declined.referral.person_id)
    ).exists()


def test_it_offers_to_another_provider_and_keeps_the_decline(login, worker, declined, second_provider):
    before = no_capacity_today()
    assert before == 1
    response = login(worker).post(
        reoffer_url(declined), {"target": target("idva", second_provider), "reason": "Alpha has no space this month"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:triage_detail", args=[declined.referral.pk])
    new = WorkItem.objects.get(reoffer_of=declined)
    assert (new.referral_id, new.pathway.code, new.provider, new.status) == (
        declined.referral_id,
        "idva",
        second_provider,
        WorkItem.Status.OFFERED,
    )
    assert new.override_reason == "Alpha has no space this month" and new.created_by == worker
    assert not new.proposed_by_rule
    old = WorkItem.objects.get(pk=declined.pk)
    assert (old.status, old.decline_reason, old.decided_at) == ("declined", "no_capacity", declined.decided_at)
    assert no_capacity_today() == before  # the decline still counts for the statutory return
    assert AuditEvent.objects.filter(
        action="create",
        object_type="referrals.workitem",
        object_id=str(new.pk),
        reason=f"re-offer of work item {old.pk}",
    ).exists()
    html = login(worker).get(response["Location"]).content.decode()
    assert "Offered again to Beta Support" in html and "offered again after Alpha Advocacy declined" in html
    assert login(worker).get(DECLINED).content.decode().count('data-reference="') == 0


def test_the_new_provider_sees_it_in_their_inbox_and_can_accept(login, member, worker, declined, second_provider):
    login(worker).post(reoffer_url(declined), {"target": target("idva", second_provider), "reason": "No space"})
    new = WorkItem.objects.get(reoffer_of=declined)
    manager = member(Role.TEAM_MANAGER, organisation=second_provider)
    client = login(manager)
    assert declined.referral.reference in client.get(reverse("referrals:work_items")).content.decode()
    client.post(reverse("referrals:work_item_decide", args=[new.pk]), {"decision": "accept"})
    new.refresh_from_db()
    assert new.status == WorkItem.Status.ACCEPTED


def test_it_offers_on_another_pathway(login, worker, declined, hub):
    outreach_provider = OrganisationFactory(type=OrganisationType.PROVIDER, name="Gamma Outreach")
    Pathway.objects.get(code="outreach").providers.add(outreach_provider)
    login(worker).post(reoffer_url(declined), {"target": target("outreach", outreach_provider), "reason": "Lower risk"})
    new = WorkItem.objects.get(reoffer_of=declined)
    assert (new.pathway.code, new.provider) == ("outreach", outreach_provider)


def test_a_declined_reoffer_can_be_offered_again(login, member, worker, declined, second_provider):
    third = OrganisationFactory(type=OrganisationType.PROVIDER, name="Delta")
    Pathway.objects.get(code="idva").providers.add(third)
    client = login(worker)
    client.post(reoffer_url(declined), {"target": target("idva", second_provider), "reason": "No space"})
    second = decline(WorkItem.objects.get(reoffer_of=declined), member(Role.TEAM_MANAGER, organisation=second_provider))
    client = login(worker)
    client.post(reoffer_url(second), {"target": target("idva", third), "reason": "Beta is full too"})
    third_item = WorkItem.objects.get(reoffer_of=second)
    chain = [third_item.reoffer_of.reoffer_of_id, third_item.reoffer_of_id, third_item.pk]
    assert chain == [declined.pk, second.pk, third_item.pk]
    assert WorkItem.objects.filter(referral=declined.referral, pathway__code="idva").count() == 3
    assert no_capacity_today() == 2


def test_a_double_submission_creates_one_item(login, worker, declined, second_provider):
    client = login(worker)
    data = {"target": target("idva", second_provider), "reason": "No space"}
    first = client.post(reoffer_url(declined), data)
    second = client.post(reoffer_url(declined), data)
    assert first.status_code == second.status_code == 302
    assert WorkItem.objects.filter(reoffer_of=declined).count() == 1
    assert AuditEvent.objects.filter(action="create", object_type="referrals.workitem").count() == 1


def test_the_service_returns_the_existing_reoffer_on_a_repeat(worker, declined, second_provider):
    idva = Pathway.objects.get(code="idva")
    args = {"request": _request(worker), "item": declined, "pathway": idva, "provider": second_provider}
    new, created = triage.work_item_reoffer(**args, reason="No space")
    again, created_again = triage.work_item_reoffer(**args, reason="No space")
    assert created and not created_again and again.pk == new.pk


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "No space"}, "Choose a provider to offer the referral to."),
        ({"target": "__second__"}, "Say why you are offering the referral again."),
        ({"target": "__second__", "reason": "   "}, "Say why you are offering the referral again."),
        ({"target": "__first__", "reason": "Again"}, "Choose one of the providers listed."),
        ({"target": "999-999", "reason": "x"}, "Choose one of the providers listed."),
        ({"target": "__second__", "reason": "x" * 256}, "The reason must be 255 characters or fewer."),
    ],
    ids=["no-target", "no-reason", "blank-reason", "same-provider", "unknown", "too-long"],
)
def test_it_explains_bad_input_and_keeps_it(login, worker, declined, second_provider, data, message):
    swap = {"__second__": target("idva", second_provider), "__first__": target("idva", declined.provider)}
    data = {k: swap.get(v, v) for k, v in data.items()}
    response = login(worker).post(reoffer_url(declined), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count(message) == 2  # in the error summary and beside the field
    if data.get("reason", "").strip() and len(data["reason"]) < 256:
        assert data["reason"] in html  # what was typed is kept
    assert not WorkItem.objects.filter(reoffer_of=declined).exists()


def test_the_service_refuses_what_the_form_cannot_catch(worker, declined, second_provider, hub, first_provider):
    idva = Pathway.objects.get(code="idva")
    request = _request(worker)
    with pytest.raises(ValidationError) as same:
        triage.work_item_reoffer(request=request, item=declined, pathway=idva, provider=declined.provider, reason="x")
    assert "this one declined" in str(same.value)
    outsider = OrganisationFactory(type=OrganisationType.PROVIDER)
    with pytest.raises(ValidationError):
        triage.work_item_reoffer(request=request, item=declined, pathway=idva, provider=outsider, reason="x")
    offered = make_work_item(hub, first_provider, pathway_code="outreach")
    outreach = Pathway.objects.get(code="outreach")
    with pytest.raises(ValidationError):  # only a declined item can be offered again
        triage.work_item_reoffer(request=request, item=offered, pathway=outreach, provider=second_provider, reason="x")
    assert not WorkItem.objects.filter(reoffer_of__isnull=False).exists()


def test_it_refuses_a_pathway_that_already_has_a_live_offer(worker, declined, first_provider):
    outreach = Pathway.objects.get(code="outreach")
    WorkItem.objects.create(referral=declined.referral, pathway=outreach, provider=first_provider)
    other = OrganisationFactory(type=OrganisationType.PROVIDER)
    outreach.providers.add(other)
    with pytest.raises(ValidationError) as error:
        triage.work_item_reoffer(
            request=_request(worker), item=declined, pathway=outreach, provider=other, reason="Lower risk"
        )
    assert "already with a provider" in str(error.value)


def test_an_item_not_declined_is_not_offered_again(login, worker, hub, first_provider):
    offered = make_work_item(hub, first_provider)
    response = login(worker).get(reoffer_url(offered))
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:triage_detail", args=[offered.referral.pk])


@pytest.mark.parametrize("role", [Role.TEAM_MANAGER, Role.CASEWORKER, Role.REFERRING_PROFESSIONAL])
def test_roles_other_than_hub_staff_are_refused(member, login, declined, second_provider, role):
    client = login(member(role))
    assert client.get(DECLINED).status_code == 403
    data = {"target": target("idva", second_provider), "reason": "x"}
    assert client.post(reoffer_url(declined), data).status_code == 403
    assert not WorkItem.objects.filter(reoffer_of=declined).exists()


def test_the_list_uses_a_constant_number_of_queries(login, worker, hub, first_provider, provider_manager):
    def grow(n):
        for _ in range(n // 5):
            decline(make_work_item(hub, first_provider), provider_manager)

    client = login(worker)
    assert_constant_queries(client, DECLINED, grow)


def test_the_queue_stays_at_a_constant_number_of_queries(login, worker, hub, first_provider, provider_manager):
    def grow(n):
        for _ in range(n // 5):
            decline(make_work_item(hub, first_provider), provider_manager)

    assert_constant_queries(login(worker), QUEUE, grow)
