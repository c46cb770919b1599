"""Warm handovers: offering one, the receiving team's inbox and decision, and who can see what."""

import html
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from safepath.cases.models import Case, Handover
from safepath.cases.services_reviews import Target, handover_decide, handover_offer
from safepath.cases.tests.url_table_reviews import activate, offer, open_case, pathway
from safepath.core.models import AuditEvent
from safepath.core.once import new_token
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, assert_constant_queries

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 4, 1, 10, tzinfo=LONDON)


@pytest.fixture
def hub():
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def sender():
    return OrganisationFactory(type=OrganisationType.PROVIDER, name="Harbour Women's Aid")


@pytest.fixture
def receiver():
    receiving = OrganisationFactory(type=OrganisationType.PROVIDER, name="Riverside Outreach")
    pathway("outreach").providers.add(receiving)
    pathway("group-programme").providers.add(receiving)
    return receiving


@pytest.fixture
def worker(member, sender):
    return member(Role.CASEWORKER, sender)


@pytest.fixture
def manager(member, receiver):
    return member(Role.TEAM_MANAGER, receiver)


@pytest.fixture
def case(hub, sender, worker):
    with time_machine.travel(datetime(2026, 3, 12, 10, tzinfo=LONDON)):
        return activate(open_case(hub, sender, "idva", "Tegan", "Ruthven"), worker)


def text(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def token_of(response):
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)


def destination(code, provider):
    return f"{pathway(code).pk}:{provider.pk}"


# --- offering ------------------------------------------------------------------------------


@time_machine.travel(NOW)
def test_it_offers_a_step_down_from_the_form(login, worker, case, receiver):
    client = login(worker)
    url = f"/cases/{case.pk}/handover/?pathway={pathway('outreach').pk}"
    form = client.get(url)
    assert form.status_code == 200
    assert f'value="{destination("outreach", receiver)}" selected' in form.content.decode()
    response = client.post(url, {"token": token_of(form), "version": case.version,
                                 "destination": destination("outreach", receiver),
                                 "summary": "Calls after 2pm only. Wants group work later.", "close_from_case": "on"})
    assert response.status_code == 302
    handover = Handover.objects.get()
    assert (handover.from_case, handover.to_provider, handover.to_pathway.code) == (case, receiver, "outreach")
    assert handover.direction == "step_down" and handover.status == "offered" and handover.close_from_case
    assert handover.created_by == worker
    assert AuditEvent.objects.filter(action="create", object_type="cases.handover", object_id=str(handover.pk)).exists()


@time_machine.travel(NOW)
def test_it_needs_a_summary_and_a_destination(login, worker, case):
    client = login(worker)
    url = f"/cases/{case.pk}/handover/"
    response = client.post(url, {"token": token_of(client.get(url)), "version": case.version, "summary": "  "})
    page = text(response)
    assert response.status_code == 200 and "There is a problem" in page
    assert "Choose a pathway and a receiving provider." in page
    assert "Write what the receiving team needs to know." in page
    assert not Handover.objects.exists()


@time_machine.travel(NOW)
def test_it_creates_one_handover_when_the_form_is_submitted_twice(login, worker, case, receiver):
    client = login(worker)
    url = f"/cases/{case.pk}/handover/"
    data = {"token": token_of(client.get(url)), "version": case.version,
            "destination": destination("outreach", receiver), "summary": "Needs evening contact."}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Handover.objects.count() == 1


@time_machine.travel(NOW)
def test_it_keeps_one_open_offer_per_target(case, receiver):
    offer(case, receiver, "outreach")
    with pytest.raises(ValidationError, match="already waiting"):
        offer(case, receiver, "outreach")
    offer(case, receiver, "group-programme")  # another target is fine
    assert Handover.objects.count() == 2


@time_machine.travel(NOW)
def test_it_refuses_a_provider_that_does_not_deliver_the_pathway(case):
    elsewhere = OrganisationFactory(type=OrganisationType.PROVIDER)
    with pytest.raises(ValidationError, match="provider that delivers it"):
        offer(case, elsewhere, "outreach")


@time_machine.travel(NOW)
def test_it_refuses_the_case_s_own_pathway_and_provider(case, sender):
    with pytest.raises(ValidationError, match="already on this pathway"):
        offer(case, sender, "idva")


@time_machine.travel(NOW)
def test_it_refuses_an_offer_from_a_stale_form(case, receiver):
    target = Target(pathway=pathway("outreach"), provider=receiver, summary="Summary.")
    with pytest.raises(ValidationError, match="Someone else changed this case"):
        handover_offer(request=None, case=case, target=target, token=new_token(), version=case.version - 1)
    assert not Handover.objects.exists()


def test_it_derives_the_direction_from_the_routing_rules(case, sender, receiver):
    pathway("idva").providers.add(receiver)
    pathway("children").providers.add(receiver)
    assert offer(case, receiver, "idva").direction == "sideways"  # same pathway, another provider
    assert offer(case, receiver, "group-programme").direction == "step_down"
    assert offer(case, receiver, "children").direction == "sideways"  # not a risk pathway


# --- the receiving team's inbox and decision ------------------------------------------------


@time_machine.travel(NOW)
def test_it_shows_the_receiving_managers_the_offer_without_the_sending_notes(login, manager, case, receiver):
    handover = offer(case, receiver, "outreach", summary="Prefers text messages.")
    Case.objects.filter(pk=case.pk).update(risk_level="medium")
    case.status_changes.update(note="Sending team's private note")
    client = login(manager)
    inbox = text(client.get("/cases/handovers/"))
    assert "Tegan Ruthven" in inbox and "Medium" in inbox and "Community outreach" in inbox
    page = text(client.get(f"/cases/handovers/{handover.pk}/"))
    assert "Prefers text messages." in page and "Tegan Ruthven" in page and "Medium" in page
    assert "Sending team's private note" not in page
    assert AuditEvent.objects.filter(action="view", object_type="cases.handover", object_id=str(handover.pk)).count() == 2
    assert AuditEvent.objects.filter(action="view", object_type="people.person", object_id=str(case.person_id)).exists()


@time_machine.travel(NOW)
def test_it_keeps_the_sending_case_out_of_the_receiving_team_s_reach(login, manager, case, receiver):
    offer(case, receiver, "outreach")
    client = login(manager)
    assert client.get(f"/cases/{case.pk}/reviews/").status_code == 404
    assert client.get(f"/cases/{case.pk}/previous/").status_code == 404


@time_machine.travel(NOW)
def test_it_opens_a_waiting_case_and_closes_the_sending_one_on_acceptance(login, manager, case, receiver):
    handover = offer(case, receiver, "outreach")
    response = login(manager).post(f"/cases/handovers/{handover.pk}/", {"decision": "accept"})
    assert response.status_code == 302
    handover.refresh_from_db()
    new = handover.new_case
    assert handover.status == "accepted" and handover.decided_by == manager
    assert (new.provider, new.pathway.code, new.status, new.risk_level) == (receiver, "outreach", "waiting", case.risk_level)
    assert new.person_id == case.person_id and new.previous_case is None and not new.is_rereferral
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_reason == "transferred"
    assert AuditEvent.objects.filter(action="update", object_type="cases.handover", reason="handover accepted").exists()


@time_machine.travel(NOW)
def test_it_leaves_the_sending_case_open_when_asked(manager, case, receiver):
    handover = offer(case, receiver, "outreach", close=False)
    handover_decide(request=None, handover=handover, accept=True)
    case.refresh_from_db()
    assert case.status == "active" and Case.objects.filter(provider=receiver).count() == 1


@time_machine.travel(NOW)
def test_it_accepts_once_when_the_decision_is_submitted_twice(login, manager, case, receiver):
    handover = offer(case, receiver, "outreach")
    client = login(manager)
    client.post(f"/cases/handovers/{handover.pk}/", {"decision": "accept"})
    again = client.post(f"/cases/handovers/{handover.pk}/", {"decision": "accept"})
    assert again.status_code == 302
    assert Case.objects.filter(provider=receiver).count() == 1
    assert handover_decide(request=None, handover=handover, accept=True).new_case_id == handover.__class__.objects.get().new_case_id
    with pytest.raises(ValidationError, match="no longer waiting"):
        handover_decide(request=None, handover=handover, accept=False, reason="No capacity.")


@time_machine.travel(NOW)
def test_it_needs_a_reason_to_decline_and_shows_the_outcome_to_the_sender(login, manager, worker, case, receiver):
    handover = offer(case, receiver, "outreach")
    client = login(manager)
    refused = client.post(f"/cases/handovers/{handover.pk}/", {"decision": "decline", "reason": " "})
    assert refused.status_code == 200 and "Say why you are declining the handover." in text(refused)
    handover.refresh_from_db()
    assert handover.status == "offered"
    client.post(f"/cases/handovers/{handover.pk}/", {"decision": "decline", "reason": "No capacity until June."})
    handover.refresh_from_db()
    assert handover.status == "declined" and handover.decline_reason == "No capacity until June."
    assert not Case.objects.filter(provider=receiver).exists()
    page = text(login(worker).get(f"/cases/{case.pk}/reviews/"))
    assert "Declined" in page and "No capacity until June." in page


@time_machine.travel(NOW)
def test_it_gives_404_to_another_provider_and_to_the_sending_provider(login, member, case, sender, receiver):
    handover = offer(case, receiver, "outreach")
    url = f"/cases/handovers/{handover.pk}/"
    outsider = member(Role.TEAM_MANAGER, OrganisationFactory(type=OrganisationType.PROVIDER))
    assert login(outsider).get(url).status_code == 404
    sending_manager = member(Role.TEAM_MANAGER, sender)
    client = login(sending_manager)
    assert client.get(url).status_code == 404
    assert client.post(url, {"decision": "accept"}).status_code == 404
    assert "Tegan" not in text(client.get("/cases/handovers/"))
    handover.refresh_from_db()
    assert handover.status == "offered"


@time_machine.travel(NOW)
def test_it_refuses_a_caseworker_of_the_receiving_provider(login, member, case, receiver):
    handover = offer(case, receiver, "outreach")
    client = login(member(Role.CASEWORKER, receiver))
    assert client.get(f"/cases/handovers/{handover.pk}/").status_code == 403
    assert client.post(f"/cases/handovers/{handover.pk}/", {"decision": "accept"}).status_code == 403
    assert client.get("/cases/handovers/").status_code == 403


def test_it_refuses_a_decision_from_the_wrong_organisation_in_the_service(rf, member, case, receiver):
    handover = offer(case, receiver, "outreach")
    request = rf.post("/")
    request.user = member(Role.TEAM_MANAGER)
    request.user.current_membership = request.user.memberships.get()
    with pytest.raises(ValidationError, match="Only the receiving team"):
        handover_decide(request=request, handover=handover, accept=True)


def test_it_keeps_the_inbox_queries_constant(login, manager, hub, sender, worker, receiver):
    def grow(n):
        for i in range(n):
            offer(activate(open_case(hub, sender, "idva", f"Person{i}", "Test"), worker), receiver, "outreach")

    assert_constant_queries(login(manager), "/cases/handovers/", grow)


@time_machine.travel(NOW)
def test_it_refuses_to_open_a_second_case_with_the_receiving_team(hub, case, receiver, worker):
    open_case(hub, receiver, "outreach", person=case.person)
    handover = offer(case, receiver, "outreach")
    with pytest.raises(ValidationError, match="already has an open case with you"):
        handover_decide(request=None, handover=handover, accept=True)
    handover.refresh_from_db()
    case.refresh_from_db()
    assert handover.status == "offered" and case.status == "active"


@time_machine.travel(NOW)
def test_it_shows_the_summary_to_the_receiving_team_on_the_new_case(login, member, case, receiver):
    handover = offer(case, receiver, "outreach", summary="Safe word is 'lighthouse'.")
    handover = handover_decide(request=None, handover=handover, accept=True)
    page = text(login(member(Role.CASEWORKER, receiver)).get(f"/cases/{handover.new_case_id}/reviews/"))
    assert "Handed over to you" in page and "Safe word is 'lighthouse'." in page
