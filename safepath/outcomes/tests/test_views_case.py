"""The outcomes page of a case (change over time, risk level change) and recording answers."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safepath.cases.models import VolunteerAssignment
from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.outcomes.models import Measure, OutcomeFramework, Recording
from safepath.outcomes.services import Answer, outcomes_record
from safepath.outcomes.tests.url_table_outcomes import make_case, record_post, token
from safepath.risk.models import RiskAssessment
from safepath.risk.selectors import current_instrument
from safepath.testing import OrganisationFactory, assert_constant_queries

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 3, 12, 10, 0, tzinfo=LONDON)


def url(case, name="outcomes:case"):
    from django.urls import reverse

    return reverse(name, args=[case.pk])


def measure(code, framework="medway"):
    return Measure.objects.get(framework__code=framework, code=code)


def answer(case, moment, at, **values):
    answers = {measure(code.replace("_", "-")).pk: Answer(value=v) for code, v in values.items()}
    return outcomes_record(
        request=None, case=case, moment=moment, answers=answers, token=token(), at=at, ask_again_reason="test"
    )


def row(html, code):
    match = re.search(rf'<tr class="govuk-table__row" data-testid="measure-{code}">(.*?)</tr>', html, re.S)
    assert match, code
    return " ".join(re.sub(r"<[^>]+>", " ", match.group(1)).split())


def assess(person, level, at):
    return RiskAssessment.objects.create(
        person=person,
        instrument=current_instrument(),
        score={"standard": 3, "medium": 11, "high": 15}[level],
        level=level,
        assessed_at=at,
    )


# --- the page -------------------------------------------------------------------------------------


def test_it_shows_each_question_s_change_over_time_in_words(setup, login):
    case = setup.case
    answer(case, "intake", START, safety=2, emotional_safety=4, rights_services=2, health_access=1)
    answer(case, "review", START + timedelta(days=100), safety=3)
    answer(case, "exit", START + timedelta(days=200), safety=5, emotional_safety=2, rights_services=2)
    html = login(setup.worker).get(url(case)).content.decode()
    assert row(html, "safety") == (
        "How safe do you feel at the moment? "
        "Not very safe 12 Mar 2026 Somewhat safe 20 Jun 2026 Completely safe 28 Sep 2026 Better"
    )
    assert row(html, "emotional-safety").endswith("Worse")
    assert row(html, "rights-services").endswith("No change")
    assert row(html, "health-access").endswith("Not compared yet")
    assert "Not recorded" in row(html, "health-access")  # said in words, not only a dash
    assert '<th scope="col" class="govuk-table__header">Intake</th>' in html


def test_it_shows_a_skip_with_its_reason(setup, login):
    outcomes_record(
        request=None,
        case=setup.case,
        moment="intake",
        token=token(),
        answers={measure("safety").pk: Answer(skip_reason="chose_not_to_answer")},
    )
    html = login(setup.worker).get(url(setup.case)).content.decode()
    assert "Skipped: The person chose not to answer" in row(html, "safety")


def test_it_shows_the_risk_level_at_the_start_of_support_against_the_latest(setup, login):
    person = setup.case.person
    assess(person, "high", datetime(2025, 1, 1, tzinfo=LONDON))  # an earlier episode: not this support
    assess(person, "medium", START)
    assess(person, "standard", START + timedelta(days=120))
    html = login(setup.worker).get(url(setup.case)).content.decode()
    risk = " ".join(re.sub(r"<[^>]+>", " ", html.split('data-testid="risk-change"')[1].split("</dl>")[0]).split())
    assert "At the start of support Medium (assessed 12 Mar 2026)" in risk
    assert "Latest Standard (assessed 10 Jul 2026)" in risk
    assert risk.endswith("Change Better")


def test_it_says_when_no_risk_assessment_was_made(setup, login):
    html = login(setup.worker).get(url(setup.case)).content.decode()
    assert "No risk assessment has been recorded during this support." in html


def test_it_keeps_showing_answers_to_a_framework_no_longer_used(setup, login):
    answer(setup.case, "intake", START, safety=2)
    OutcomeFramework.objects.filter(code="medway").update(is_active=False)
    html = login(setup.worker).get(url(setup.case)).content.decode()
    assert "No longer asked on this case." in html
    assert "Not very safe" in row(html, "safety")


def test_it_shows_what_is_due(setup, login):
    html = login(setup.worker).get(url(setup.case)).content.decode()
    assert "Due now: 4 at intake, 2 at a review, 9 at exit." in html


def test_it_audits_the_view_of_the_case(setup, login):
    login(setup.worker).get(url(setup.case))
    assert AuditEvent.objects.filter(action="view", object_type="cases.case", object_id=str(setup.case.pk)).exists()


def test_it_reads_a_constant_number_of_queries_as_the_history_grows(setup, login):
    case = setup.case
    client = login(setup.worker)
    day = [0]

    def grow(n):
        for _ in range(n):
            day[0] += 1
            at = START + timedelta(days=day[0])
            answer(case, "review", at, safety=3, emotional_safety=2)
            answer(case, "exit", at, safe_home=1)
            assess(case.person, "medium", at)

    assert_constant_queries(client, url(case), grow)


# --- who may see it -------------------------------------------------------------------------------


def test_it_hides_another_provider_s_case(setup, login, member):
    other = member(Role.CASEWORKER, OrganisationFactory(type=OrganisationType.PROVIDER))
    assert login(other).get(url(setup.case)).status_code == 404
    assert login(other).get(url(setup.case, "outcomes:record")).status_code == 404


def test_it_refuses_a_volunteer_even_on_a_case_they_support(setup, login, member):
    volunteer = member(Role.VOLUNTEER, setup.provider)
    VolunteerAssignment.objects.create(case=setup.case, volunteer=volunteer, started_on=START.date())
    assert login(volunteer).get(url(setup.case)).status_code == 403
    assert login(volunteer).get(url(setup.case, "outcomes:health")).status_code == 403


def test_it_tells_a_commissioner_the_case_does_not_exist(setup, login, member):
    commissioner = member(Role.COMMISSIONER)
    assert login(commissioner).get(url(setup.case)).status_code == 404


def test_it_lets_the_team_manager_of_the_provider_see_it(setup, login, member):
    manager = member(Role.TEAM_MANAGER, setup.provider)
    assert login(manager).get(url(setup.case)).status_code == 200


# --- recording ------------------------------------------------------------------------------------


def test_it_offers_the_moments_with_what_is_due_at_each(setup, login):
    html = login(setup.worker).get(url(setup.case, "outcomes:record")).content.decode()
    assert "When are you asking?" in html
    assert "4 questions due" in html and "2 questions due" in html
    assert re.search(r'value="intake" checked', html)  # nothing recorded yet: intake suggested


def test_it_suggests_exit_for_a_case_stepping_down(setup, login):
    setup.case.status = "stepping_down"
    setup.case.save()
    html = login(setup.worker).get(url(setup.case, "outcomes:record")).content.decode()
    assert re.search(r'value="exit" checked', html)


def test_it_shows_only_the_questions_due_at_the_moment(setup, login):
    answer(setup.case, "intake", START, safety=2)
    html = login(setup.worker).get(url(setup.case, "outcomes:record") + "?moment=intake").content.decode()
    assert 'data-testid="question-safety"' not in html
    assert 'data-testid="question-emotional-safety"' in html
    assert "If question 1 is skipped, why?" in html
    assert "Why are you asking these questions again?" not in html


def test_it_records_the_answers_and_returns_to_the_outcomes_page(setup, login):
    client = login(setup.worker)
    safety = measure("safety")
    data = record_post(setup.case, **{f"m{safety.pk}": "4", f"m{safety.pk}_skip": ""})
    response = client.post(url(setup.case, "outcomes:record"), data)
    assert response.status_code == 302 and response["Location"] == url(setup.case)
    assert Recording.objects.count() == 4
    assert Recording.objects.get(measure=safety).value == 4
    assert "4 answers recorded at intake." in client.get(url(setup.case)).content.decode()
    again = client.post(url(setup.case, "outcomes:record"), data)  # a double submission
    assert again.status_code == 302 and Recording.objects.count() == 4


def test_it_shows_a_missing_answer_beside_the_question_and_saves_nothing(setup, login):
    safety = measure("safety")
    data = record_post(setup.case, **{f"m{safety.pk}_skip": ""})
    response = login(setup.worker).post(url(setup.case, "outcomes:record"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert html.count("Choose an answer, or choose why the question was skipped.") == 2  # summary and field
    assert not Recording.objects.exists()


def test_it_refuses_an_answer_outside_the_scale(setup, login):
    safety = measure("safety")
    data = record_post(setup.case, **{f"m{safety.pk}": "7", f"m{safety.pk}_skip": ""})
    response = login(setup.worker).post(url(setup.case, "outcomes:record"), data)
    assert "Choose one of the answers given." in response.content.decode()
    assert not Recording.objects.exists()


def test_it_says_when_nothing_is_due_and_offers_to_ask_again_with_a_reason(setup, login):
    client = login(setup.worker)
    with time_machine.travel(START):
        client.post(url(setup.case, "outcomes:record"), record_post(setup.case))
        html = client.get(url(setup.case, "outcomes:record") + "?moment=intake").content.decode()
        assert "Nothing is due at intake" in html
        assert 'data-testid="ask-again"' in html
        html = client.get(url(setup.case, "outcomes:record") + "?moment=intake&again=1").content.decode()
        assert "Why are you asking these questions again?" in html
        assert "Last asked at intake on 12 Mar 2026." in html
        data = record_post(setup.case, again="True")
        refused = client.post(url(setup.case, "outcomes:record"), data)
        assert "Say why you are asking them again" in refused.content.decode()
        assert Recording.objects.count() == 4
        data["ask_again_reason"] = "Circumstances changed"
        assert client.post(url(setup.case, "outcomes:record"), data).status_code == 302
    assert Recording.objects.filter(ask_again_reason="Circumstances changed").count() == 4


def test_it_tells_the_worker_when_a_colleague_answered_meanwhile(setup, login):
    client = login(setup.worker)
    first, second = record_post(setup.case), record_post(setup.case)
    client.post(url(setup.case, "outcomes:record"), first)
    html = client.post(url(setup.case, "outcomes:record"), second).content.decode()
    assert "already been answered" in html
    assert "Why are you asking these questions again?" in html
    assert Recording.objects.count() == 4


def test_it_refuses_a_question_retired_while_the_worker_was_on_the_page(setup, login):
    data = record_post(setup.case)
    Measure.objects.filter(framework__code="medway", code="safety").update(is_active=False)
    html = login(setup.worker).post(url(setup.case, "outcomes:record"), data).content.decode()
    assert "no longer asked" in html
    assert not Recording.objects.exists()


def test_it_says_when_a_pathway_asks_nothing_at_a_moment(setup, login):
    case = make_case(setup.hub, setup.provider, "perpetrator", first="Gwil", last="Pascoe")
    html = login(setup.worker).get(url(case, "outcomes:record") + "?moment=review").content.decode()
    assert "No questions are asked at review on this case." in html
