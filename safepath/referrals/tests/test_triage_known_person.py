"""Is this a person already known? Candidates with reasons; same person (merge) or new person."""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.people.models import PersonMerge
from safepath.people.services import person_unmerge
from safepath.referrals.choices import MatchStatus
from safepath.referrals.tests.url_table_triage import make_referral, reference_data
from safepath.testing import OrganisationFactory

LONDON = ZoneInfo("Europe/London")
DOB = date(1990, 4, 7)


@pytest.fixture
def hub(db):
    reference_data()
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def client_(member, login, hub):
    return login(member(Role.TRIAGE_WORKER, organisation=hub))


@pytest.fixture
def known(hub):
    """Jane Smith, referred last year and discussed at MARAC (high risk)."""
    return make_referral(
        hub, date_of_birth=DOB, postcode="ME4 4AB", dash_score=15, received_at=datetime(2025, 9, 1, 10, tzinfo=LONDON)
    )


@pytest.fixture
def again(hub, known):
    """A new referral, spelt differently: needs a triage worker's check."""
    referral = make_referral(
        hub,
        first_name="Jayne",
        date_of_birth=DOB,
        postcode="me44ab",
        received_at=datetime(2026, 3, 10, 9, tzinfo=LONDON),
    )
    assert referral.match_status == MatchStatus.NEEDS_REVIEW and referral.person != known.person
    return referral


def url(name, referral):
    return reverse(f"referrals:{name}", args=[referral.pk])


def candidate_ids(html):
    return [int(pk) for pk in re.findall(r'data-candidate="(\d+)"', html)]


def test_it_shows_ranked_candidates_with_score_and_reasons(client_, known, again):
    html = client_.get(url("triage_detail", again)).content.decode()
    assert candidate_ids(html) == [known.person.pk]
    section = html[html.index('data-testid="known-person"') :]
    assert "Jane Smith" in section and "7 Apr 1990" in section and "ME4 4AB" in section
    assert re.search(r">\d{2,3}%<", section)
    assert "same date of birth" in section and "same last name" in section


def test_it_audits_each_candidate_shown(client_, known, again):
    client_.get(url("triage_detail", again))
    assert AuditEvent.objects.filter(
        action="view",
        object_type="people.person",
        object_id=str(known.person.pk),
        reason__startswith="match candidates",
    ).exists()


def test_it_links_the_same_person_reversibly_and_applies_the_rules_again(client_, known, again):
    provisional = again.person
    response = client_.post(url("triage_match", again), {"decision": "same", "person": known.person.pk})
    assert response.status_code == 302
    again.refresh_from_db()
    assert again.person == known.person and again.match_status == MatchStatus.CONFIRMED
    # Jane was referred to MARAC six months ago: this referral is a repeat MARAC case.
    assert again.is_repeat and again.is_marac_case and "repeat" in again.marac_criteria
    merge = PersonMerge.objects.get(kept=known.person, merged=provisional)
    assert AuditEvent.objects.filter(
        action="update", object_type="referrals.referral", object_id=str(again.pk)
    ).exists()
    person_unmerge(request=None, merge=merge)
    again.refresh_from_db()
    assert again.person == provisional


def test_it_merges_only_once_on_a_double_submission(client_, known, again):
    data = {"decision": "same", "person": known.person.pk}
    client_.post(url("triage_match", again), data)
    client_.post(url("triage_match", again), data)
    assert PersonMerge.objects.count() == 1


def test_it_records_a_new_person(client_, known, again):
    client_.post(url("triage_match", again), {"decision": "new"})
    again.refresh_from_db()
    assert again.match_status == MatchStatus.NEW_PERSON and again.person != known.person
    assert 'data-testid="known-person"' not in client_.get(url("triage_detail", again)).content.decode()


def test_it_refuses_a_person_who_is_not_a_candidate(client_, hub, again):
    stranger = make_referral(hub, first_name="Priya", last_name="Kaur", date_of_birth=date(1970, 1, 1))
    response = client_.post(url("triage_match", again), {"decision": "same", "person": stranger.person.pk}, follow=True)
    assert "Choose one of the people listed." in response.content.decode()
    again.refresh_from_db()
    assert again.match_status == MatchStatus.NEEDS_REVIEW and not PersonMerge.objects.exists()


def test_it_never_shows_or_merges_a_person_known_only_to_another_hub(client_, hub):
    other_hub = OrganisationFactory(type=OrganisationType.HUB)
    theirs = make_referral(other_hub, date_of_birth=DOB, postcode="ME4 4AB")
    ours = make_referral(hub, first_name="Jayne", date_of_birth=DOB, postcode="ME4 4AB")
    assert ours.match_status == MatchStatus.NEEDS_REVIEW
    html = client_.get(url("triage_detail", ours)).content.decode()
    assert candidate_ids(html) == [] and "Jane Smith" not in html
    client_.post(url("triage_match", ours), {"decision": "same", "person": theirs.person.pk})
    assert not PersonMerge.objects.exists()


def test_it_lets_only_hub_staff_decide(member, login, known, again):
    caseworker = login(member(Role.CASEWORKER))
    assert caseworker.post(url("triage_match", again), {"decision": "new"}).status_code == 403
    again.refresh_from_db()
    assert again.match_status == MatchStatus.NEEDS_REVIEW
