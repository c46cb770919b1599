"""The referral page for hub staff: safe contact rules, the rules' outcome, history, audit."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import NoReverseMatch, reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.tests.url_table_triage import make_referral, reference_data
from safepath.testing import OrganisationFactory


@pytest.fixture
def hub(db):
    reference_data()
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def client_(member, login, hub):
    return login(member(Role.TRIAGE_WORKER, organisation=hub))


def detail(referral):
    return reverse("referrals:triage_detail", args=[referral.pk])


def test_it_shows_which_channels_are_safe_unsafe_or_unknown(client_, hub):
    referral = make_referral(hub, safe=("phone",))
    contact = referral.person.safe_contact
    contact.text_safe = False
    contact.safe_times = "Weekdays 10:00 to 12:00"
    contact.save()
    html = client_.get(detail(referral)).content.decode()
    states = dict(re.findall(r'data-channel="(\w+)" data-state="(\w+)"', html))
    assert states == {
        "phone": "safe",
        "voicemail": "unknown",
        "text": "unsafe",
        "letter": "unknown",
        "email": "unknown",
    }
    assert "07700 900123" in html and "Weekdays 10:00 to 12:00" in html
    assert html.index("Safe contact rules") < html.index("Risk and MARAC")


def test_it_hides_the_safe_word_behind_a_details_element(client_, hub):
    referral = make_referral(hub)
    contact = referral.person.safe_contact
    contact.safe_word = "bluebell"
    contact.save()
    html = client_.get(detail(referral)).content.decode()
    assert re.search(
        r"<details[^>]*>\s*<summary[^>]*>\s*<span[^>]*>\s*Show the safe word\s*</span>\s*</summary>\s*<div[^>]*>\s*bluebell",
        html,
    )


def test_it_explains_each_marac_criterion_in_plain_words(client_, hub):
    referral = make_referral(hub, dash_score=16, professional_judgement_high=True)
    html = client_.get(detail(referral)).content.decode()
    assert "Visible high risk: the Dash checklist score reaches the high-risk threshold" in html
    assert "Professional judgement: the referrer judges the risk to be high" in html
    assert "govuk-tag--red" in html


def test_it_shows_the_referral_as_submitted(client_, hub):
    referral = make_referral(
        hub,
        reason="Partner threatened her last week",
        abuse_types=["physical", "coercive_control"],
        children_in_household=2,
        submitted={"how_did_you_hear": "GP"},
    )
    html = client_.get(detail(referral)).content.decode()
    assert "Partner threatened her last week" in html
    assert "Coercive control, Physical" in html
    assert "How did you hear" in html and "GP" in html


def test_it_links_to_the_person_page_only_when_it_exists(client_, hub):
    referral = make_referral(hub)
    html = client_.get(detail(referral)).content.decode()
    try:
        url = reverse("people:detail", args=[referral.person.pk])
    except NoReverseMatch:
        assert "See the person" not in html
    else:
        assert f'href="{url}"' in html


def test_it_shows_the_status_history(client_, hub):
    referral = make_referral(hub)
    client_.post(reverse("referrals:triage_start", args=[referral.pk]))
    html = client_.get(detail(referral)).content.decode()
    history = html[html.index('data-testid="status-history"') :]
    assert history.index("Received") < history.index("In triage")


def test_it_audits_the_view_of_the_referral_and_the_person(client_, hub):
    referral = make_referral(hub)
    client_.get(detail(referral))
    views = set(AuditEvent.objects.filter(action="view").values_list("object_type", "object_id"))
    assert ("referrals.referral", str(referral.pk)) in views
    assert ("people.person", str(referral.person.pk)) in views


def test_it_is_not_found_for_another_hubs_referral(client_, hub):
    elsewhere = make_referral(OrganisationFactory(type=OrganisationType.HUB))
    assert client_.get(detail(elsewhere)).status_code == 404
    assert client_.post(reverse("referrals:triage_start", args=[elsewhere.pk])).status_code == 404


def test_it_refuses_a_provider_caseworker(member, login, hub):
    referral = make_referral(hub)
    assert login(member(Role.CASEWORKER)).get(detail(referral)).status_code == 403


def test_it_shows_no_actions_once_the_referral_is_closed(client_, hub):
    referral = make_referral(hub, date_of_birth=date(1990, 1, 1))
    client_.post(reverse("referrals:triage_withdraw", args=[referral.pk]), {"reason": "no_contact"})
    html = client_.get(detail(referral)).content.decode()
    assert "Start triage" not in html and "Record a contact attempt" not in html
