"""The managed step-down at the end of the support period: the prompt and the plan."""

import html
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from safepath.cases.models import Case, Handover
from safepath.cases.selectors import settings_for
from safepath.cases.selectors_reviews import step_down_due
from safepath.cases.services import case_change_status
from safepath.cases.services_reviews import step_down_plan
from safepath.cases.tests.url_table_reviews import activate, open_case, pathway
from safepath.core.models import AuditEvent
from safepath.core.once import new_token
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
ALLOCATED = datetime(2026, 1, 15, 10, tzinfo=LONDON)
ENDS = date(2027, 1, 15)  # 12 months of IDVA support


@pytest.fixture
def provider():
    return OrganisationFactory(type=OrganisationType.PROVIDER)


@pytest.fixture
def worker(member, provider):
    return member(Role.CASEWORKER, provider)


@pytest.fixture
def case(provider, worker):
    hub = OrganisationFactory(type=OrganisationType.HUB)
    with time_machine.travel(ALLOCATED):
        return activate(open_case(hub, provider, "idva", "Bethan", "Carrick"), worker)


def text(response):
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def token_of(response):
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)


def at(day):
    return datetime.combine(day, datetime.min.time().replace(hour=10), tzinfo=LONDON)


# --- the prompt ----------------------------------------------------------------------------


def test_it_sets_the_support_end_from_the_pathway_s_period(case):
    assert case.support_ends_on == ENDS and settings_for(case.pathway).step_down_prompt_days == 28


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (ENDS - timedelta(days=29), False),  # the day before the window opens
        (ENDS - timedelta(days=28), True),  # the window opens 28 days before
        (ENDS - timedelta(days=1), True),
        (ENDS, True),
        (ENDS + timedelta(days=40), True),  # support already ended: still prompted
    ],
)
def test_it_prompts_from_the_configured_days_before_support_ends(case, today, due):
    assert step_down_due(case, settings_for(case.pathway), today) is due


def test_it_follows_the_pathway_s_prompt_setting(case):
    settings = settings_for(case.pathway)
    settings.step_down_prompt_days = 60
    settings.save()
    assert step_down_due(case, settings, ENDS - timedelta(days=60))
    assert not step_down_due(case, settings, ENDS - timedelta(days=61))


def test_it_does_not_prompt_a_case_already_stepping_down_or_closed(case):
    settings = settings_for(case.pathway)
    case_change_status(request=None, case=case, to_status="stepping_down")
    assert not step_down_due(case, settings, ENDS)
    case_change_status(request=None, case=case, to_status="closed", reason_code="support_complete")
    assert not step_down_due(case, settings, ENDS)


@pytest.mark.parametrize(("days_before", "shown"), [(29, False), (28, True), (-3, True)])
def test_it_shows_the_prompt_on_the_reviews_page(login, worker, case, days_before, shown):
    with time_machine.travel(at(ENDS - timedelta(days=days_before))):
        page = login(worker).get(f"/cases/{case.pk}/reviews/").content.decode()
    assert ('data-testid="step-down-prompt"' in page) is shown
    if days_before < 0:
        assert "Support ended on 15 January 2027." in html.unescape(page)


# --- the plan ------------------------------------------------------------------------------


@time_machine.travel(at(ENDS - timedelta(days=10)))
def test_it_saves_the_plan_and_moves_the_case_to_stepping_down(login, worker, case):
    client = login(worker)
    url = f"/cases/{case.pk}/step-down/"
    form = client.get(url)
    response = client.post(url, {"token": token_of(form), "version": case.version,
                                 "plan": "Monthly check-in calls until March, then close."})
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/reviews/"
    case.refresh_from_db()
    assert case.status == "stepping_down" and case.step_down_planned_at is not None
    change = case.status_changes.last()
    assert change.to_status == "stepping_down" and change.note == "Monthly check-in calls until March, then close."
    assert change.by == worker and not Handover.objects.exists()
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), reason__startswith="step-down plan").exists()


@time_machine.travel(at(ENDS - timedelta(days=10)))
def test_it_offers_a_handover_to_a_lower_pathway_with_the_plan(login, worker, case):
    receiving = OrganisationFactory(type=OrganisationType.PROVIDER)
    pathway("group-programme").providers.add(receiving)
    client = login(worker)
    url = f"/cases/{case.pk}/step-down/"
    client.post(url, {"token": token_of(client.get(url)), "version": case.version, "plan": "Move to group work.",
                      "destination": f"{pathway('group-programme').pk}:{receiving.pk}",
                      "summary": "Ready for the Freedom Programme."})
    handover = Handover.objects.get()
    assert handover.direction == "step_down" and handover.to_provider == receiving and handover.status == "offered"
    case.refresh_from_db()
    assert case.status == "stepping_down"


@time_machine.travel(at(ENDS - timedelta(days=10)))
def test_it_needs_a_plan_and_a_summary_for_a_handover(login, worker, case):
    pathway("outreach").providers.add(case.provider)
    client = login(worker)
    url = f"/cases/{case.pk}/step-down/"
    response = client.post(url, {"token": token_of(client.get(url)), "version": case.version, "plan": "",
                                 "destination": f"{pathway('outreach').pk}:{case.provider_id}"})
    page = text(response)
    assert "Write the step-down plan." in page
    assert "Write what the receiving team needs to know, or choose no handover." in page
    case.refresh_from_db()
    assert case.status == "active"


@time_machine.travel(at(ENDS - timedelta(days=10)))
def test_it_refuses_a_stale_version_and_saves_nothing(login, worker, case):
    client = login(worker)
    url = f"/cases/{case.pk}/step-down/"
    form = client.get(url)
    Case.objects.filter(pk=case.pk).update(version=case.version + 1)
    response = client.post(url, {"token": token_of(form), "version": case.version, "plan": "Close in March."})
    assert "Someone else changed this case while you were working on it." in text(response)
    case.refresh_from_db()
    assert case.status == "active" and case.status_changes.filter(to_status="stepping_down").count() == 0


@time_machine.travel(at(ENDS - timedelta(days=10)))
def test_it_saves_the_plan_once_when_submitted_twice(case):
    token, version = new_token(), case.version
    step_down_plan(request=None, case=case, version=version, token=token, plan="Close in March.")
    step_down_plan(request=None, case=case, version=version, token=token, plan="Close in March.")
    assert case.status_changes.filter(to_status="stepping_down").count() == 1


@time_machine.travel(at(ENDS - timedelta(days=10)))
def test_it_rolls_back_the_status_when_the_handover_is_refused(case):
    from safepath.cases.services_reviews import Target

    elsewhere = OrganisationFactory(type=OrganisationType.PROVIDER)  # delivers nothing
    target = Target(pathway=pathway("outreach"), provider=elsewhere, summary="Summary.")
    with pytest.raises(ValidationError):
        step_down_plan(request=None, case=case, version=case.version, token=new_token(), plan="Plan.", target=target)
    case.refresh_from_db()
    assert case.status == "active" and not Handover.objects.exists()


def test_it_refuses_a_step_down_before_the_case_is_active(provider, worker, login):
    hub = OrganisationFactory(type=OrganisationType.HUB)
    waiting = open_case(hub, provider, "idva", "Wyn", "Tallis")
    with pytest.raises(ValidationError, match="cannot be changed"):
        step_down_plan(request=None, case=waiting, version=waiting.version, token=new_token(), plan="Plan.")


@time_machine.travel(at(ENDS - timedelta(days=10)))
def test_it_offers_no_step_up_with_a_step_down(login, worker, case):
    from safepath.cases.services_reviews import Target

    outreach_case = open_case(OrganisationFactory(type=OrganisationType.HUB), case.provider, "outreach", "Rhian", "Hale")
    activate(outreach_case, worker)
    page = login(worker).get(f"/cases/{outreach_case.pk}/step-down/").content.decode()
    assert f'value="{pathway("idva").pk}:{case.provider_id}"' not in page  # IDVA is a step up from outreach
    target = Target(pathway=pathway("idva"), provider=case.provider, summary="Summary.")
    with pytest.raises(ValidationError, match="more intensive pathway"):
        step_down_plan(request=None, case=outreach_case, version=outreach_case.version, token=new_token(), plan="Plan.",
                       target=target)
