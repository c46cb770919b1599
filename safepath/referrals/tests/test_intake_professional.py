"""A referring professional's referral: validation, nothing lost, one referral per form, the
risk checklist recorded with it, MARAC criteria on the confirmation page, audit."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.people.models import ChildDetails, Person, Relationship
from safepath.referrals.models import Referral
from safepath.referrals.tests.url_table_intake import professional_data
from safepath.risk.models import RiskAssessment
from safepath.risk.selectors import current_instrument
from safepath.testing import OrganisationFactory

URL = "/referrals/new/"


@pytest.fixture
def hub(db: Any) -> Any:
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def referrer(db: Any, member: Any) -> Any:
    return member(Role.REFERRING_PROFESSIONAL)


@pytest.fixture
def client_as_referrer(login: Any, referrer: Any, hub: Any) -> Any:
    return login(referrer)


@pytest.fixture
def codes(db: Any) -> list[str]:
    return [i.code for i in current_instrument().indicators.all()]


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_it_shows_the_form_with_every_section_and_the_24_checklist_questions(client_as_referrer: Any) -> None:
    response = client_as_referrer.get(URL)
    assert response.status_code == 200
    page = text(response)
    for heading in (
        "The person you are referring",
        "Contacting them safely",
        "Household and children",
        "Risk checklist",
    ):
        assert heading in page
    assert page.count('value="not_known" checked') == 24
    assert 'name="children-3-first_name"' in page  # spare rows for children without JavaScript
    assert 'name="form_token"' in page


def test_it_creates_the_referral_person_safe_contact_children_and_checklist(
    client_as_referrer: Any, referrer: Any, codes: list[str]
) -> None:
    response = client_as_referrer.post(URL, professional_data(codes, yes=3))
    referral = Referral.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("referrals:new_done", args=[referral.pk])
    assert (referral.channel, referral.source, referral.referrer) == ("professional", "police", referrer)
    assert referral.referring_organisation == referrer.memberships.get().organisation
    assert referral.abuse_types == ["coercive_control", "physical"] and referral.complex_needs == ["mental_health"]
    assert referral.dash_score == 3 and referral.risk_level == "standard" and not referral.is_marac_case
    person = referral.person
    assert (person.first_name, person.postcode, person.first_language, person.interpreter_needed) == (
        "Jane",
        "ME4 4AB",
        "Polish",
        True,
    )
    contact = person.safe_contact
    assert (contact.phone_safe, contact.voicemail_safe, contact.email_safe) == (True, False, None)
    assert contact.safe_phone == "07700 900982" and contact.refusal("voicemail") and contact.refusal("phone") is None
    child = Relationship.objects.get(victim=person, kind="child").other
    assert (child.kind, child.first_name, child.age_estimate) == ("child", "Sam", 6)
    assert ChildDetails.objects.get(person=child).social_care == "child_in_need"
    assert referral.perpetrator.first_name == "Mark" and referral.relationship == "ex_partner"
    assessment = RiskAssessment.objects.get(referral=referral)
    assert (
        assessment.score == 3 and assessment.answers[codes[0]] == "yes" and assessment.answers[codes[-1]] == "not_known"
    )
    assert "form_token" not in referral.submitted and referral.submitted["first_name"] == "Jane"


def test_it_makes_a_marac_case_from_14_yes_answers_and_names_the_criterion(
    client_as_referrer: Any, codes: list[str]
) -> None:
    response = client_as_referrer.post(URL, professional_data(codes, yes=14), follow=True)
    referral = Referral.objects.get()
    assert referral.is_marac_case and referral.risk_level == "high" and "visible_high_risk" in referral.marac_criteria
    assert RiskAssessment.objects.get(referral=referral).criteria == ["visible_high_risk"]
    page = text(response)
    assert referral.reference in page
    assert "This referral meets the criteria for MARAC" in page
    assert "Visible high risk: 14 ‘yes’ answers on the risk checklist" in page
    assert "will refer the person to MARAC" in page


def test_it_says_nothing_of_marac_below_the_threshold(client_as_referrer: Any, codes: list[str]) -> None:
    response = client_as_referrer.post(URL, professional_data(codes, yes=13), follow=True)
    assert Referral.objects.get().risk_level == "medium"
    assert "MARAC" not in text(response)


def test_it_raises_the_risk_on_professional_judgement_with_a_reason(client_as_referrer: Any, codes: list[str]) -> None:
    data = professional_data(codes, yes=2, judgement_high="on", judgement_reason="Threats escalated this week.")
    response = client_as_referrer.post(URL, data, follow=True)
    referral = Referral.objects.get()
    assert referral.is_marac_case and referral.marac_criteria == ["professional_judgement"]
    assessment = RiskAssessment.objects.get(referral=referral)
    assert (assessment.judgement, assessment.judgement_reason, assessment.level) == (
        "high",
        "Threats escalated this week.",
        "high",
    )
    assert "Professional judgement: you judged the risk to be high" in text(response)


def test_it_refuses_judgement_without_a_reason(client_as_referrer: Any, codes: list[str]) -> None:
    response = client_as_referrer.post(URL, professional_data(codes, judgement_high="on", judgement_reason="  "))
    assert response.status_code == 200
    assert "Enter the reason for your professional judgement" in text(response)
    assert not Referral.objects.exists() and not RiskAssessment.objects.exists()


def test_it_names_potential_escalation_from_the_referrers_police_count(
    client_as_referrer: Any, codes: list[str]
) -> None:
    response = client_as_referrer.post(URL, professional_data(codes, police_callouts_12m="3"), follow=True)
    assert Referral.objects.get().marac_criteria == ["potential_escalation"]
    assert "Potential escalation: 3 incidents reported to the police" in text(response)


def test_it_creates_one_referral_when_the_form_is_sent_twice(client_as_referrer: Any, codes: list[str]) -> None:
    data = professional_data(codes, yes=14)
    first = client_as_referrer.post(URL, data)
    second = client_as_referrer.post(URL, data)
    assert Referral.objects.count() == 1 and RiskAssessment.objects.count() == 1
    assert Person.objects.filter(kind="child").count() == 1
    assert first["Location"] == second["Location"]


def form_key(page: str) -> str:
    return page.split('name="form_token" value="', 1)[1].split('"', 1)[0]


def test_it_gives_each_new_form_a_new_key(client_as_referrer: Any, codes: list[str]) -> None:
    first, second = (form_key(text(client_as_referrer.get(URL))) for _ in range(2))
    assert first != second and len(first) >= 20
    client_as_referrer.post(URL, professional_data(codes, form_token=first))
    client_as_referrer.post(URL, professional_data(codes, form_token=second))
    assert Referral.objects.count() == 2


def test_it_refuses_a_key_someone_else_used_without_an_error_page(
    client_as_referrer: Any, login: Any, member: Any, codes: list[str]
) -> None:
    client_as_referrer.post(URL, professional_data(codes))
    other = login(member(Role.REFERRING_PROFESSIONAL))
    response = other.post(URL, professional_data(codes))
    assert response.status_code == 200
    assert "This form has expired. Check your answers and send it again." in text(response)
    assert Referral.objects.count() == 1


def test_it_saves_nothing_when_any_part_fails(client_as_referrer: Any, codes: list[str], monkeypatch: Any) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("checklist store unavailable")

    monkeypatch.setattr("safepath.referrals.intake.assessment_record", broken)
    with pytest.raises(RuntimeError):
        client_as_referrer.post(URL, professional_data(codes, yes=5))
    assert not Referral.objects.exists() and not Person.objects.exists()


def test_it_keeps_every_answer_when_there_is_an_error(client_as_referrer: Any, codes: list[str]) -> None:
    data = professional_data(codes, yes=2, reason="", safe_email="", address="1 Safe Street")
    page = text(client_as_referrer.post(URL, data))
    assert "Enter the reason for the referral" in page
    for value in (
        'value="Jane"',
        'value="Example"',
        'value="7"',
        'value="1990"',
        'value="me4 4ab"',
        'value="Polish"',
        "1 Safe Street",
        'value="07700 900982"',
        'value="Sam"',
        'value="Hill Primary"',
        'value="Mark"',
    ):
        assert value in page, value
    assert f'name="dash_{codes[0]}" type="radio" value="yes" checked' in page
    assert f'name="dash_{codes[2]}" type="radio" value="not_known" checked' in page
    assert 'name="abuse_types" type="checkbox" value="physical" checked' in page
    assert 'value="child_in_need" selected' in page
    assert 'value="test-key-' in page  # the same key, so a resend is still one referral
    assert not Referral.objects.exists()


VALIDATION = [
    ({"first_name": ""}, "Enter their first name"),
    ({"last_name": ""}, "Enter their last name"),
    ({"first_name": "x" * 101}, "Must be 100 characters or fewer"),
    (
        {"date_of_birth_day": "", "date_of_birth_month": "", "date_of_birth_year": ""},
        "Enter their date of birth, or their age if you do not know it",
    ),
    ({"date_of_birth_month": ""}, "Date of birth must include a month"),
    ({"date_of_birth_day": "31", "date_of_birth_month": "2"}, "Date of birth must be a real date"),
    ({"date_of_birth_year": "90"}, "Date of birth must be a real date"),
    ({"date_of_birth_year": "2999"}, "Date of birth must be in the past"),
    ({"age": "thirty"}, "Age must be a whole number, like 34"),
    ({"age": "130"}, "Age must be 120 or less"),
    ({"sex": ""}, "Select their sex, or ‘Not known’"),
    ({"postcode": "NOT A CODE"}, "Enter a real postcode, like SW1A 1AA"),
    ({"ethnicity": ""}, "Select their ethnic group, or ‘Not known’"),
    ({"interpreter_needed": ""}, "Select whether they need an interpreter"),
    ({"disability": ""}, "Select whether they have a disability"),
    ({"safe_phone": "call me"}, "Enter a phone number, like 07700 900 982 or 01632 960 001"),
    ({"safe_phone": ""}, "Enter a safe phone number, or change calls, voicemail and texts to ‘No’ or ‘Not known’"),
    ({"phone_safe": ""}, "Select whether phone calls are safe"),
    ({"voicemail_safe": ""}, "Select whether voicemail is safe"),
    ({"text_safe": ""}, "Select whether text messages are safe"),
    ({"letters_safe": ""}, "Select whether letters are safe"),
    ({"email_safe": ""}, "Select whether email is safe"),
    ({"email_safe": "yes"}, "Enter a safe email address, or change email to ‘No’ or ‘Not known’"),
    ({"safe_email": "not-an-address"}, "Enter an email address in the correct format, like name@example.com"),
    ({"letters_safe": "yes"}, "Enter an address for letters, or change letters to ‘No’ or ‘Not known’"),
    ({"children_in_household": "-1"}, "Enter a number from 0 upwards"),
    ({"children_in_household": "two"}, "Enter a whole number, like 2"),
    ({"children-1-school": "Hill Primary"}, "Enter the child's first name"),
    ({"children-1-first_name": "Ali"}, "Enter the child's age"),
    ({"children-0-age": "18"}, "Age must be 17 or less"),
    ({"abuse_types": []}, "Select at least one type of abuse"),
    ({"accommodation_needed": ""}, "Select whether they need safe accommodation"),
    (
        {
            "perpetrator_first_name": "",
            "perpetrator_last_name": "",
            "perpetrator_date_of_birth_day": "1",
            "perpetrator_date_of_birth_month": "1",
            "perpetrator_date_of_birth_year": "1980",
        },
        "Enter the name of the person causing harm, or remove their date of birth",
    ),
    ({"perpetrator_date_of_birth_day": "1"}, "Their date of birth must include a month"),
    ({"consent": ""}, "Select whether they consented to this referral"),
    ({"person_aware": ""}, "Select whether they know about this referral"),
    ({"person_aware": "no"}, "If they consented to the referral, they know about it: check these answers"),
    ({"police_callouts_12m": "100"}, "Enter a number no bigger than 99"),
    ({"dash_injury": ""}, "Select an answer for question 1"),
    ({"judgement_high": "on"}, "Enter the reason for your professional judgement"),
    (
        {"judgement_reason": "They seem very frightened."},
        "Tick this box to raise the risk to high, or remove the reason",
    ),
    ({"reason": ""}, "Enter the reason for the referral"),
    ({"reason": "x" * 5001}, "Must be 5000 characters or fewer"),
    ({"source": ""}, "Select the type of organisation you are referring from"),
    ({"form_token": ""}, "This form has expired. Check your answers and send it again."),
    ({"form_token": "<script>"}, "This form has expired. Check your answers and send it again."),
]


@pytest.mark.parametrize(("change", "message"), VALIDATION, ids=[m for _c, m in VALIDATION])
def test_it_explains_each_problem_beside_the_field_and_in_the_summary(
    client_as_referrer: Any, codes: list[str], change: dict[str, Any], message: str
) -> None:
    response = client_as_referrer.post(URL, professional_data(codes) | change)
    assert response.status_code == 200
    page = text(response)
    start = page.index("govuk-error-summary__list")
    end = page.index("</ul>", start)
    summary, body = page[start:end], page[end:]
    assert message in summary
    assert message in body or change.get("form_token") is not None  # a hidden field's error is in the summary only
    assert "<title>Error:" in page
    assert not Referral.objects.exists()


def test_it_writes_audit_rows_for_the_referral_checklist_and_the_confirmation_view(
    client_as_referrer: Any, codes: list[str]
) -> None:
    client_as_referrer.post(URL, professional_data(codes, yes=14), follow=True)
    referral = Referral.objects.get()
    created = set(AuditEvent.objects.filter(action="create").values_list("object_type", flat=True))
    assert {"referrals.referral", "risk.riskassessment", "people.person"} <= created
    assert AuditEvent.objects.filter(
        action="view", object_type="referrals.referral", object_id=str(referral.pk)
    ).exists()


def test_it_offers_the_source_used_last_time(client_as_referrer: Any, codes: list[str]) -> None:
    client_as_referrer.post(URL, professional_data(codes, source="housing"))
    assert 'value="housing" selected' in text(client_as_referrer.get(URL))


def test_it_refuses_other_roles(login: Any, member: Any, hub: Any, codes: list[str]) -> None:
    client = login(member(Role.TRIAGE_WORKER, organisation=hub))
    assert client.post(URL, professional_data(codes)).status_code == 403
    assert not Referral.objects.exists()
