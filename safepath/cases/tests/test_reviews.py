"""Risk reviews: re-running the assessment on a case, the proposals a change of level makes,
optimistic locking, the trajectory table."""

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safepath.cases.models import Case, RiskReview
from safepath.cases.selectors_reviews import latest_review, open_offer_pathways, proposals_for
from safepath.cases.services import CaseChanged, case_change_status
from safepath.cases.services_reviews import review_record
from safepath.cases.tests.url_table_reviews import activate, checklist, form_answers, offer, open_case, pathway
from safepath.core.models import AuditEvent
from safepath.core.once import new_token
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import RoutingRule
from safepath.risk.models import RiskAssessment
from safepath.testing import OrganisationFactory, assert_constant_queries

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 4, 1, 10, tzinfo=LONDON)


@pytest.fixture
def hub():
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def provider():
    return OrganisationFactory(type=OrganisationType.PROVIDER)


@pytest.fixture
def worker(member, provider):
    return member(Role.CASEWORKER, provider)


@pytest.fixture
def client_(login, worker):
    return login(worker)


def case_on(hub, provider, worker, code, level):
    case = open_case(hub, provider, code)
    Case.objects.filter(pk=case.pk).update(risk_level=level)
    case.refresh_from_db()
    return activate(case, worker)


def review(case, yes, **extra):
    return review_record(request=None, case=case, version=case.version, token=new_token(), assessment=checklist(yes),
                         **extra)


def proposed(case):
    return [(p.pathway.code, p.direction, p.alternative) for p in proposals_for(case, latest_review(case), set())]


def text(response):
    return html.unescape(re.sub(r"\s+", " ", response.content.decode()))


def token_of(response):
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)


# --- the service and the proposals ---------------------------------------------------------


@time_machine.travel(NOW)
def test_it_records_the_assessment_the_review_and_the_new_level(hub, provider, worker):
    case = case_on(hub, provider, worker, "outreach", "standard")
    version = case.version
    made = review(case, 15, note="New threats since separation.")
    case.refresh_from_db()
    assert made.previous_level == "standard" and made.new_level == "high" and made.note == "New threats since separation."
    assert made.assessment.person_id == case.person_id and made.assessment.score == 15
    assert case.risk_level == "high" and case.version == version + 1
    assert case.review_due_on == date(2026, 6, 30)  # today + the pathway's 90 days
    assert AuditEvent.objects.filter(object_type="cases.riskreview", object_id=str(made.pk), action="create").exists()
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(case.pk), reason__startswith="risk review").exists()


@time_machine.travel(NOW)
def test_it_proposes_a_step_up_to_idva_when_risk_rises_to_high(hub, provider, worker):
    case = case_on(hub, provider, worker, "outreach", "standard")
    review(case, 15)
    assert proposed(case) == [("idva", "step_up", False)]


@time_machine.travel(NOW)
def test_it_proposes_outreach_or_a_group_programme_when_high_risk_falls_to_standard(hub, provider, worker):
    case = case_on(hub, provider, worker, "idva", "high")
    review(case, 2)
    assert proposed(case) == [("outreach", "step_down", False), ("group-programme", "step_down", True)]


@time_machine.travel(NOW)
def test_it_proposes_outreach_only_when_high_risk_falls_to_medium(hub, provider, worker):
    case = case_on(hub, provider, worker, "idva", "high")
    review(case, 11)
    assert proposed(case) == [("outreach", "step_down", False)]


@time_machine.travel(NOW)
def test_it_never_proposes_the_case_s_own_pathway(hub, provider, worker):
    case = case_on(hub, provider, worker, "outreach", "medium")
    review(case, 2)
    assert proposed(case) == [("group-programme", "step_down", True)]


@time_machine.travel(NOW)
def test_it_proposes_a_step_up_from_a_group_programme_when_risk_rises_to_medium(hub, provider, worker):
    case = case_on(hub, provider, worker, "group-programme", "standard")
    review(case, 11)
    assert proposed(case) == [("outreach", "step_up", False)]


@time_machine.travel(NOW)
def test_it_proposes_nothing_when_the_level_is_unchanged(hub, provider, worker):
    case = case_on(hub, provider, worker, "idva", "high")
    review(case, 16)
    assert latest_review(case).new_level == "high" and proposed(case) == []


@time_machine.travel(NOW)
def test_it_follows_the_configured_routing_rules(hub, provider, worker):
    RoutingRule.objects.filter(condition="risk_high").update(is_active=False)
    RoutingRule.objects.create(condition="risk_high", pathway=pathway("safe-accommodation"))
    case = case_on(hub, provider, worker, "outreach", "standard")
    review(case, 15)
    assert [code for code, _d, _a in proposed(case)] == ["safe-accommodation"]


@time_machine.travel(NOW)
def test_it_marks_a_proposal_already_offered(hub, provider, worker):
    case = case_on(hub, provider, worker, "outreach", "standard")
    review(case, 15)
    pathway("idva").providers.add(provider)
    offer(case, provider, "idva")
    [proposal] = proposals_for(case, latest_review(case), open_offer_pathways(case))
    assert proposal.offered


@time_machine.travel(NOW)
def test_it_refuses_a_stale_version_and_saves_nothing(hub, provider, worker):
    case = case_on(hub, provider, worker, "idva", "high")
    with pytest.raises(CaseChanged):
        review_record(request=None, case=case, version=case.version - 1, token=new_token(), assessment=checklist(2))
    assert not RiskReview.objects.exists() and not RiskAssessment.objects.exists()


@time_machine.travel(NOW)
def test_it_refuses_a_review_on_a_closed_case(hub, provider, worker):
    case = case_on(hub, provider, worker, "idva", "high")
    case_change_status(request=None, case=case, to_status="closed", reason_code="support_complete")
    with pytest.raises(Exception, match="closed"):
        review(case, 2)
    assert not RiskAssessment.objects.exists()


@time_machine.travel(NOW)
def test_it_records_a_repeated_submission_once(hub, provider, worker):
    case = case_on(hub, provider, worker, "idva", "high")
    token, version = new_token(), case.version
    first = review_record(request=None, case=case, version=version, token=token, assessment=checklist(2))
    again = review_record(request=None, case=case, version=version, token=token, assessment=checklist(2))
    assert first == again and RiskReview.objects.count() == 1 and RiskAssessment.objects.count() == 1


# --- the pages ---------------------------------------------------------------------------


@time_machine.travel(NOW)
def test_it_saves_a_review_from_the_form_and_shows_the_proposal(hub, provider, worker, client_):
    case = case_on(hub, provider, worker, "outreach", "standard")
    url = f"/cases/{case.pk}/reviews/add/"
    form = client_.get(url)
    assert form.status_code == 200 and re.search(rf'name="version" value="{case.version}"', form.content.decode())
    data = form_answers(15) | {"token": token_of(form), "version": case.version, "police_incidents": "0", "note": "Escalating."}
    response = client_.post(url, data)
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/reviews/"
    page = text(client_.get(response["Location"]))
    assert "Review saved: risk changed from standard to high." in page
    assert "Step up: IDVA (high risk)." in re.sub(r"<[^>]+>", "", page)
    assert f"/cases/{case.pk}/handover/?pathway={pathway('idva').pk}&review=" in page
    assert "Escalating." in page


@time_machine.travel(NOW)
def test_it_tells_the_second_writer_and_saves_nothing(hub, provider, worker, client_):
    case = case_on(hub, provider, worker, "idva", "high")
    url = f"/cases/{case.pk}/reviews/add/"
    form = client_.get(url)
    Case.objects.filter(pk=case.pk).update(version=case.version + 1)  # a colleague changed the case
    data = form_answers(2) | {"token": token_of(form), "version": case.version, "police_incidents": "0"}
    response = client_.post(url, data)
    assert response.status_code == 200
    assert "Someone else changed this case while you were working on it." in text(response)
    assert not RiskReview.objects.exists() and not RiskAssessment.objects.exists()
    case.refresh_from_db()
    assert case.risk_level == "high"


@time_machine.travel(NOW)
def test_it_puts_the_judgement_error_next_to_the_field(hub, provider, worker, client_):
    case = case_on(hub, provider, worker, "idva", "high")
    url = f"/cases/{case.pk}/reviews/add/"
    data = form_answers(15) | {"token": token_of(client_.get(url)), "version": case.version, "police_incidents": "0",
                               "judgement": "medium", "judgement_reason": "Feels safer."}
    response = client_.post(url, data)
    assert response.status_code == 200 and "Professional judgement can raise the level, never lower it" in text(response)
    assert not RiskReview.objects.exists()


def test_it_shows_the_trajectory_oldest_first_with_level_and_score_in_words(hub, provider, worker, client_):
    with time_machine.travel(datetime(2026, 3, 20, 10, tzinfo=LONDON)):
        case = case_on(hub, provider, worker, "idva", "high")
        review(case, 15)
    with time_machine.travel(datetime(2026, 5, 20, 10, tzinfo=LONDON)):
        review(case, 11)
    with time_machine.travel(datetime(2026, 7, 20, 10, tzinfo=LONDON)):
        review(case, 3)
        page = text(client_.get(f"/cases/{case.pk}/reviews/"))
    table = page[page.index('data-testid="trajectory"'):]
    rows = re.findall(r'data-level="(\w+)"', table)
    assert rows == ["high", "medium", "standard"]
    assert table.index("20 Mar 2026") < table.index("20 May 2026") < table.index("20 Jul 2026")
    assert "First assessment" in table and table.count("Reduced") == 2
    assert "Review on this case" in table


def test_it_audits_the_page_as_a_view_of_the_case_and_the_person(hub, provider, worker, client_):
    case = case_on(hub, provider, worker, "idva", "high")
    assert client_.get(f"/cases/{case.pk}/reviews/").status_code == 200
    assert AuditEvent.objects.filter(action="view", object_type="cases.case", object_id=str(case.pk)).exists()
    assert AuditEvent.objects.filter(action="view", object_type="people.person", object_id=str(case.person_id)).exists()


def test_it_keeps_the_reviews_page_queries_constant(hub, provider, worker, client_):
    case = case_on(hub, provider, worker, "outreach", "standard")

    def grow(n):
        for i in range(n):
            review(case, 15 if i % 2 else 2)
            receiving = OrganisationFactory(type=OrganisationType.PROVIDER)
            pathway("idva").providers.add(receiving)
            offer(case, receiving, "idva")

    assert_constant_queries(client_, f"/cases/{case.pk}/reviews/", grow)
