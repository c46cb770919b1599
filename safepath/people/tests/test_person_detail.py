from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.people.models import ChildDetails, Relationship, SafeContact
from safepath.people.services import person_create
from safepath.people.tests.url_table_people import refer, route
from safepath.referrals.models import Referral
from safepath.risk.selectors import current_instrument
from safepath.risk.services import assessment_record
from safepath.testing import OrganisationFactory, assert_constant_queries, refused

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


def url(person):
    return f"/people/{person.pk}/"


def test_it_shows_the_record_to_hub_staff_and_audits_the_view(hub, person, member, login):
    user = member(Role.TRIAGE_WORKER, hub)
    response = login(user).get(url(person))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Morwenna Tregarthen" in page and "17 May 1988" in page and "ME4 4AB" in page
    event = AuditEvent.objects.get(action="view", object_type="people.person", object_id=str(person.pk))
    assert event.user_id == user.pk and event.organisation_id == hub.pk and event.view_name == "people:detail"
    login(user).get(url(person))
    assert AuditEvent.objects.filter(action="view", object_type="people.person", object_id=str(person.pk)).count() == 2


def test_it_shows_the_record_to_a_provider_it_was_routed_to(referral, person, member, login):
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    route(referral, provider)
    assert login(member(Role.CASEWORKER, provider)).get(url(person)).status_code == 200


def test_it_hides_the_record_from_a_provider_it_was_not_routed_to(referral, person, member, login):
    route(referral, OrganisationFactory(type=OrganisationType.PROVIDER))
    other_provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    assert login(member(Role.CASEWORKER, other_provider)).get(url(person)).status_code == 404
    assert not AuditEvent.objects.filter(action="view", object_type="people.person").exists()


def test_it_hides_the_record_from_a_worker_at_another_hub(person, member, login):
    other_hub = OrganisationFactory(type=OrganisationType.HUB)
    assert login(member(Role.TRIAGE_WORKER, other_hub)).get(url(person)).status_code == 404


def test_it_refuses_roles_without_access_to_records(person, member, login):
    for role in (Role.COMMISSIONER, Role.REFERRING_PROFESSIONAL, Role.ADMINISTRATOR, Role.MARAC_COORDINATOR):
        assert login(member(role)).get(url(person)).status_code == refused(role, url(person))


def test_it_sends_a_signed_out_visitor_to_sign_in(client, person):
    response = client.get(url(person))
    assert response.status_code == 302 and "/account/login/" in response["Location"]


def test_it_shows_the_safe_contact_rules_first_with_the_safe_word_hidden(hub, person, member, login):
    SafeContact.objects.filter(person=person).update(
        phone_safe=True, text_safe=False, safe_phone="07700 900982", safe_times="Weekdays 10 to 2", safe_word="bluebell"
    )
    page = login(member(Role.TRIAGE_WORKER, hub)).get(url(person)).content.decode()
    assert page.index('data-testid="safe-contact"') < page.index('data-testid="details"')
    assert 'data-channel="phone"' in page and "govuk-tag--green" in page
    assert "Not safe" in page and "Not known: do not use" in page
    assert "Weekdays 10 to 2" in page and "07700 900982" in page
    details = page[page.index('<details class="govuk-details">') :]
    assert "bluebell" in details and page.index("bluebell") > page.index("Show the safe word")


def test_it_warns_when_no_way_of_contact_is_known_to_be_safe(hub, person, member, login):
    page = login(member(Role.TRIAGE_WORKER, hub)).get(url(person)).content.decode()
    assert "Do not contact them until it has" in page


def test_it_lists_children_and_people_causing_harm(hub, person, member, login):
    child = person_create(kind="child", first_name="Tamsin", last_name="Tregarthen", date_of_birth=date(2019, 2, 1))
    ChildDetails.objects.create(person=child, school="Hillside Primary", social_care="child_in_need")
    Relationship.objects.create(victim=person, other=child, kind="child", lives_in_household=True)
    harm = person_create(kind="person_causing_harm", first_name="Jory", last_name="Pascoe", age_estimate=40)
    Relationship.objects.create(victim=person, other=harm, kind="person_causing_harm", relationship="ex_partner")
    page = login(member(Role.TRIAGE_WORKER, hub)).get(url(person)).content.decode()
    children = page[page.index('data-testid="children"') :]
    assert "Tamsin Tregarthen" in children and "Hillside Primary" in children and "Child in Need" in children
    harm_table = page[page.index('data-testid="people-causing-harm"') :]
    assert "Jory Pascoe" in harm_table and "Ex-partner" in harm_table and "About 40 (estimated)" in harm_table


def test_it_lists_only_the_referrals_the_user_may_see(hub, referral, person, member, login):
    elsewhere = refer(OrganisationFactory(type=OrganisationType.HUB), "Morwenna", "Tregarthen")
    Referral.objects.filter(pk=elsewhere.pk).update(person=person)
    page = login(member(Role.TRIAGE_WORKER, hub)).get(url(person)).content.decode()
    assert referral.reference in page
    assert elsewhere.reference not in page


def test_it_shows_the_risk_history_as_a_timeline_and_a_table(hub, person, member, login):
    instrument = current_instrument()
    codes = [i.code for i in instrument.indicators.all()]
    assessor = member(Role.TRIAGE_WORKER, hub)
    when = datetime(2026, 3, 11, 10, 0, tzinfo=LONDON)
    assessment_record(
        request=None, person=person, instrument=instrument, answers=dict.fromkeys(codes[:4], "yes"), assessed_at=when
    )
    assessment_record(
        request=None,
        person=person,
        instrument=instrument,
        answers=dict.fromkeys(codes[:15], "yes"),
        assessed_at=when + timedelta(days=30),
        police_incidents=4,
    )
    page = login(assessor).get(url(person)).content.decode()
    timeline = page[page.index('data-testid="risk-timeline"') : page.index('data-testid="risk-table"')]
    assert timeline.index("Score 15") < timeline.index("Score 4")
    assert "Visible high risk: 14 or more" in timeline
    assert "Potential escalation: 3 or more incidents reported to the police within 12 months" in timeline
    assert "Does not meet the MARAC referral criteria." in timeline
    assert 'data-testid="current-risk"' in page and "High risk" in page


def test_it_says_where_a_merged_record_went(hub, person, member, login):
    twin = refer(hub, "Morwena", "Tregarthen", date(1988, 5, 17), "ME4 4AB").person
    user = member(Role.TRIAGE_WORKER, hub)
    login(user).post(f"/people/{person.pk}/merge/{twin.pk}/", {"reason": "Same date of birth and address"})
    twin.refresh_from_db()
    assert twin.merged_into == person
    page = login(user).get(url(twin)).content.decode()
    assert 'data-testid="merged-notice"' in page and f'href="/people/{person.pk}/"' in page
    assert f"/people/{twin.pk}/edit/" not in page


def test_it_uses_a_constant_number_of_queries_as_the_record_grows(hub, referral, person, member, login):
    instrument = current_instrument()
    codes = [i.code for i in instrument.indicators.all()]
    client = login(member(Role.TRIAGE_WORKER, hub))

    def grow(n):
        start = Referral.objects.count()
        for i in range(n):
            extra = refer(hub, "Morwenna", "Tregarthen")
            Referral.objects.filter(pk=extra.pk).update(person=person)
            assessment_record(
                request=None,
                person=person,
                instrument=instrument,
                answers=dict.fromkeys(codes[: i % 20], "yes"),
                assessed_at=datetime(2026, 4, 1, tzinfo=LONDON) + timedelta(days=start + i),
                judgement="high" if i % 3 == 0 else "",
                judgement_reason="Escalating" if i % 3 == 0 else "",
            )
            child = person_create(kind="child", first_name=f"Child{start + i}", last_name="T")
            ChildDetails.objects.create(person=child)
            Relationship.objects.create(victim=person, other=child, kind="child")

    assert_constant_queries(client, url(person), grow)


def test_it_lists_only_the_referrals_routed_to_a_provider(hub, referral, person, member, login):
    provider = OrganisationFactory(type=OrganisationType.PROVIDER)
    route(referral, provider)
    unrouted = refer(hub, "Morwenna", "Tregarthen")
    Referral.objects.filter(pk=unrouted.pk).update(person=person)
    page = login(member(Role.CASEWORKER, provider)).get(url(person)).content.decode()
    assert referral.reference in page and unrouted.reference not in page
