import html
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.people.tests.url_table_people import refer, route
from safepath.referrals.models import Referral
from safepath.risk.models import Indicator, Instrument, RiskAssessment
from safepath.risk.selectors import current_instrument
from safepath.testing import OrganisationFactory

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def hub(db):
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def referral(hub):
    return refer(hub, "Morwenna", "Tregarthen", date(1988, 5, 17), "ME4 4AB")


@pytest.fixture
def person(referral):
    return referral.person


@pytest.fixture
def worker(hub, member, login):
    return login(member(Role.TRIAGE_WORKER, hub))


def codes():
    return [i.code for i in current_instrument().indicators.all()]


def token_of(response):
    return re.search(r'name="token" value="([0-9a-f]{32})"', response.content.decode()).group(1)


def answers(yes, token, **extra):
    data = {f"answer_{code}": "yes" if n < yes else "not_known" for n, code in enumerate(codes())}
    return data | {"token": token, "police_incidents": "0", "judgement": "", "judgement_reason": "", "narrative": ""} | extra


def assess(client, person, yes, **extra):
    url = f"/people/{person.pk}/risk-assessment/"
    return client.post(url, answers(yes, token_of(client.get(url)), **extra))


def page_text(response):
    return html.unescape(response.content.decode())


def test_it_asks_every_indicator_with_not_known_chosen(worker, person):
    page = worker.get(f"/people/{person.pk}/risk-assessment/").content.decode()
    assert page.count("govuk-radios--inline") == 24
    assert page.count('value="not_known" checked') == 24
    assert "Strangled, choked, suffocated or held under water" in page
    assert "Declined to answer" in page
    assert 'value="medium"' in page and 'value="high"' in page and 'value="standard"' not in page


def test_it_records_the_assessment_and_shows_the_outcome_on_the_person_page(worker, person):
    response = assess(worker, person, 15, narrative="Threats after separation.")
    assert response.status_code == 302 and response["Location"] == f"/people/{person.pk}/"
    assessment = RiskAssessment.objects.get(person=person)
    assert assessment.score == 15 and assessment.level == "high" and assessment.criteria == ["visible_high_risk"]
    assert assessment.narrative == "Threats after separation." and assessment.answers[codes()[20]] == "not_known"
    page = page_text(worker.get(response["Location"]))
    assert "Risk assessment saved: high risk (15 'yes' answers)." in page
    assert "Meets the MARAC referral criteria: Visible high risk: 14 or more 'yes' answers." in page
    assert AuditEvent.objects.filter(action="create", object_type="risk.riskassessment", object_id=str(assessment.pk)).exists()


def test_it_refuses_a_judgement_lower_than_the_score_gives(worker, person):
    response = assess(worker, person, 15, judgement="medium", judgement_reason="Seems calmer")
    page = page_text(response)
    assert response.status_code == 200
    assert "The answers give high risk. Professional judgement can raise the level, never lower it" in page
    assert 'href="#id_judgement"' in page and "Seems calmer" in page
    assert not RiskAssessment.objects.exists()


def test_it_lets_judgement_raise_the_level_with_a_reason(worker, person):
    assess(worker, person, 3, judgement="high", judgement_reason="Recent threats with a weapon")
    assessment = RiskAssessment.objects.get()
    assert assessment.level == "high" and assessment.criteria == ["professional_judgement"]
    assert assessment.judgement_reason == "Recent threats with a weapon"


def test_it_accepts_a_judgement_equal_to_the_score_level(worker, person):
    assess(worker, person, 11, judgement="medium", judgement_reason="Agrees with the checklist")
    assert RiskAssessment.objects.get().level == "medium"


def test_it_needs_a_reason_for_a_judgement(worker, person):
    page = page_text(assess(worker, person, 3, judgement="high"))
    assert "Explain why you judge the risk to be high." in page and 'href="#id_judgement_reason"' in page
    assert not RiskAssessment.objects.exists()


def test_it_flags_potential_escalation_from_police_incidents(worker, person):
    assess(worker, person, 2, police_incidents="3")
    assert RiskAssessment.objects.get().criteria == ["potential_escalation"]


def test_it_refuses_a_negative_incident_count(worker, person):
    page = page_text(assess(worker, person, 2, police_incidents="-1"))
    assert 'href="#id_police_incidents"' in page
    assert not RiskAssessment.objects.exists()


def test_it_flags_a_repeat_within_12_months_of_the_last_marac_referral(worker, person):
    Referral.objects.filter(person=person).update(is_marac_case=True, received_at=datetime.now(LONDON) - timedelta(days=100))
    assess(worker, person, 1)
    assessment = RiskAssessment.objects.get()
    assert assessment.is_repeat and assessment.criteria == ["repeat"]
    assert "This is a repeat MARAC case." in page_text(worker.get(f"/people/{person.pk}/"))


def test_it_records_an_assessment_once_when_the_form_is_sent_twice(worker, person):
    url = f"/people/{person.pk}/risk-assessment/"
    data = answers(5, token_of(worker.get(url)))
    assert worker.post(url, data).status_code == 302
    assert worker.post(url, data).status_code == 302
    assert RiskAssessment.objects.count() == 1


def test_it_lets_a_caseworker_assess_but_not_a_volunteer(referral, person, member, login):
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    route(referral, provider)
    route(referral, provider, "volunteer")
    assert assess(login(member(Role.CASEWORKER, provider)), person, 4).status_code == 302
    volunteer = login(member(Role.VOLUNTEER, provider))
    assert volunteer.get(f"/people/{person.pk}/risk-assessment/").status_code == 403
    assert volunteer.post(f"/people/{person.pk}/risk-assessment/", answers(4, "0" * 32)).status_code == 403
    assert RiskAssessment.objects.count() == 1


def test_it_hides_the_form_from_another_hub(person, member, login):
    other = login(member(Role.TRIAGE_WORKER, OrganisationFactory(type=OrganisationType.HUB)))
    assert other.get(f"/people/{person.pk}/risk-assessment/").status_code == 404


def test_it_picks_the_checklist_that_fits_the_persons_age(worker, person):
    young = Instrument.objects.create(code="dash-young", name="Young people's checklist", min_age=13, max_age=17, effective_from=date(2020, 1, 1))
    Indicator.objects.create(instrument=young, number=1, code="online_threats", text="Threatened online")
    person.date_of_birth = date.today().replace(year=date.today().year - 15) - timedelta(days=3)
    person.save()
    page = worker.get(f"/people/{person.pk}/risk-assessment/").content.decode()
    assert "Threatened online" in page and page.count("govuk-radios--inline") == 1
    worker.post(f"/people/{person.pk}/risk-assessment/", {"token": token_of(worker.get(f"/people/{person.pk}/risk-assessment/")), "answer_online_threats": "yes", "police_incidents": "0"})
    assert RiskAssessment.objects.get().instrument == young


def test_it_falls_back_to_the_adult_checklist_with_a_warning(worker, person):
    person.date_of_birth = None
    person.age_estimate = 10
    person.save()
    page = worker.get(f"/people/{person.pk}/risk-assessment/").content.decode()
    assert "No checklist is configured for a person aged 10" in page and page.count("govuk-radios--inline") == 24


def test_it_uses_the_thresholds_in_force_when_the_assessment_is_made(hub, member, login):
    from safepath.risk.models import ThresholdSet
    from safepath.testing import AreaFactory

    area = AreaFactory(postcode_districts="TR1")
    ThresholdSet.objects.create(area=area, effective_from=date(2026, 1, 1), high_score=14, medium_score=10)
    ThresholdSet.objects.create(area=area, effective_from=date(2026, 6, 1), high_score=10, medium_score=6)
    person = refer(hub, "Demelza", "Carne", date(1990, 1, 2), "TR1 2AA").person
    assert person.area == area
    user = member(Role.TRIAGE_WORKER, hub)
    for day in (datetime(2026, 5, 20, 10, 0, tzinfo=LONDON), datetime(2026, 6, 2, 10, 0, tzinfo=LONDON)):
        with time_machine.travel(day, tick=False):
            assess(login(user), person, 12)
    worker = login(user)
    before, after = RiskAssessment.objects.order_by("assessed_at")
    assert (before.level, before.criteria, before.thresholds.high_score) == ("medium", [], 14)
    assert (after.level, after.criteria, after.thresholds.high_score) == ("high", ["visible_high_risk"], 10)
    page = page_text(worker.get(f"/people/{person.pk}/"))
    assert "Visible high risk: 10 or more 'yes' answers." in page
    assert "14 or more" not in page
