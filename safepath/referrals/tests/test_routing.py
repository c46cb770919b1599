"""Routing: proposals from the configured rules, prompts, overrides with a reason, work items."""

from __future__ import annotations

import pytest
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.choices import Status
from safepath.referrals.models import Pathway, ReferralStatusChange, RoutingRule, WorkItem
from safepath.referrals.selectors import routing_proposals
from safepath.referrals.tests.url_table_triage import make_referral, reference_data
from safepath.testing import OrganisationFactory


@pytest.fixture
def hub(db):
    reference_data()
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def client_(member, login, hub):
    return login(member(Role.TRIAGE_WORKER, organisation=hub))


@pytest.fixture
def providers(db):
    """One provider per pathway, plus a second IDVA service to choose from."""
    reference_data()
    found = {}
    for pathway in Pathway.objects.all():
        found[pathway.code] = OrganisationFactory(type=OrganisationType.PROVIDER, name=f"{pathway.name} service")
        pathway.providers.add(found[pathway.code])
    found["idva-2"] = OrganisationFactory(type=OrganisationType.PROVIDER, name="Second IDVA service")
    Pathway.objects.get(code="idva").providers.add(found["idva-2"])
    return found


def pathway(code):
    return Pathway.objects.get(code=code)


def route_url(referral):
    return reverse("referrals:route", args=[referral.pk])


def proposed_codes(referral):
    return [p.pathway.code for p in routing_proposals(referral)]


def form_data(choices, override=""):
    data = {"pathways": [str(pathway(code).pk) for code in choices], "override_reason": override}
    for code, provider in choices.items():
        data[f"provider_{code}"] = str(provider.pk)
    return data


def test_it_proposes_pathways_from_the_rules(hub):
    high = make_referral(hub, dash_score=15, children_in_household=2)
    high.accommodation_needed = True
    assert proposed_codes(high) == ["idva", "safe-accommodation", "children"]
    medium = make_referral(hub, dash_score=11)
    assert proposed_codes(medium) == ["outreach"]
    no_children = make_referral(hub, dash_score=2, children_in_household=0)
    assert proposed_codes(no_children) == ["outreach"]


def test_it_proposes_for_complex_needs_and_ignores_inactive_rules(hub):
    RoutingRule.objects.create(
        condition="complex_needs", pathway=pathway("health-advocacy"), prompt="Offer health advocacy."
    )
    RoutingRule.objects.filter(condition="risk_standard").update(is_active=False)
    referral = make_referral(hub, dash_score=1, complex_needs=["mental_health"])
    assert proposed_codes(referral) == ["health-advocacy"]


def test_it_shows_each_rules_prompt(client_, hub, providers):
    referral = make_referral(hub, dash_score=15, children_in_household=1)
    html = client_.get(route_url(referral)).content.decode()
    assert "High risk: refer to MARAC as well." in html
    assert "Meets a MARAC criterion: make sure the MARAC referral is sent." in html
    assert "Children in the household: consider a referral to children&#39;s social care." in html
    # The proposed pathways are ticked; the others are not.
    assert f'value="{pathway("idva").pk}" checked' in html
    assert f'value="{pathway("outreach").pk}" checked' not in html


def test_it_routes_to_the_proposed_pathways_and_accepts_the_referral(client_, hub, providers):
    referral = make_referral(hub, dash_score=15)
    response = client_.post(route_url(referral), form_data({"idva": providers["idva-2"]}))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    item = WorkItem.objects.get(referral=referral)
    assert (item.pathway.code, item.provider, item.status) == ("idva", providers["idva-2"], "offered")
    assert item.proposed_by_rule and item.override_reason == ""
    assert AuditEvent.objects.filter(action="create", object_type="referrals.workitem", object_id=str(item.pk)).exists()
    assert ReferralStatusChange.objects.filter(referral=referral, to_status="accepted").count() == 1


def test_it_needs_a_reason_to_remove_a_proposed_pathway(client_, hub, providers):
    referral = make_referral(hub, dash_score=15, children_in_household=1)
    response = client_.post(route_url(referral), form_data({"idva": providers["idva"]}))
    assert response.status_code == 200
    assert "Say why you are choosing different pathways" in response.content.decode()
    assert not WorkItem.objects.exists()
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED


def test_it_needs_a_reason_to_add_a_pathway_and_keeps_it(client_, hub, providers):
    referral = make_referral(hub, dash_score=11)
    choices = {"outreach": providers["outreach"], "volunteer": providers["volunteer"]}
    assert client_.post(route_url(referral), form_data(choices)).status_code == 200
    assert not WorkItem.objects.exists()
    client_.post(route_url(referral), form_data(choices, override="Isolated; asked for a befriender"))
    items = {i.pathway.code: i for i in WorkItem.objects.filter(referral=referral)}
    assert items["outreach"].proposed_by_rule and not items["volunteer"].proposed_by_rule
    assert items["volunteer"].override_reason == "Isolated; asked for a befriender"
    change = ReferralStatusChange.objects.get(referral=referral, to_status="accepted")
    assert change.note == "Isolated; asked for a befriender"


def test_it_needs_a_provider_from_the_pathway(client_, hub, providers):
    referral = make_referral(hub, dash_score=15)
    data = form_data({"idva": providers["outreach"]})  # not an IDVA provider
    response = client_.post(route_url(referral), data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    data["provider_idva"] = ""
    response = client_.post(route_url(referral), data)
    assert "Choose a provider for IDVA (high risk)." in response.content.decode()
    assert not WorkItem.objects.exists()


def test_it_needs_at_least_one_pathway(client_, hub, providers):
    referral = make_referral(hub, dash_score=15)
    response = client_.post(route_url(referral), {"override_reason": "none"})
    assert "Choose at least one pathway." in response.content.decode()


def test_it_creates_nothing_twice_on_a_double_submission(client_, hub, providers):
    referral = make_referral(hub, dash_score=15)
    data = form_data({"idva": providers["idva"]})
    client_.post(route_url(referral), data)
    second = client_.post(route_url(referral), data, follow=True)
    assert "cannot be routed" in second.content.decode()
    assert WorkItem.objects.filter(referral=referral).count() == 1
    assert ReferralStatusChange.objects.filter(referral=referral, to_status="accepted").count() == 1


def test_it_does_not_route_a_closed_referral(client_, hub, providers):
    referral = make_referral(hub)
    client_.post(reverse("referrals:triage_decline", args=[referral.pk]), {"reason": "no_capacity"})
    response = client_.post(route_url(referral), form_data({"outreach": providers["outreach"]}))
    assert response.status_code == 302 and not WorkItem.objects.exists()


def test_it_shows_the_routing_on_the_referral(client_, hub, providers):
    referral = make_referral(hub, dash_score=15)
    client_.post(route_url(referral), form_data({"idva": providers["idva"]}))
    html = client_.get(reverse("referrals:triage_detail", args=[referral.pk])).content.decode()
    routed = html[html.index('data-testid="work-items"') :]
    assert "IDVA (high risk)" in routed and providers["idva"].name in routed


def test_it_is_only_for_hub_staff_of_the_referrals_hub(member, login, hub, providers):
    referral = make_referral(hub, dash_score=15)
    assert login(member(Role.TEAM_MANAGER)).get(route_url(referral)).status_code == 403
    other_worker = member(Role.TRIAGE_WORKER, organisation=OrganisationFactory(type=OrganisationType.HUB))
    assert login(other_worker).post(route_url(referral), form_data({"idva": providers["idva"]})).status_code == 404
    assert not WorkItem.objects.exists()
