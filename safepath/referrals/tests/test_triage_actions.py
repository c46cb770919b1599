"""Triage actions: assign, start, contact attempts, decline, signpost, withdraw; status rules."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.choices import TRANSITIONS, Status
from safepath.referrals.models import ContactAttempt, ReferralStatusChange
from safepath.referrals.tests.url_table_triage import make_referral, reference_data
from safepath.referrals.triage import referral_change_status
from safepath.testing import OrganisationFactory


@pytest.fixture
def hub(db):
    reference_data()
    return OrganisationFactory(type=OrganisationType.HUB)


@pytest.fixture
def worker(member, hub):
    return member(Role.TRIAGE_WORKER, organisation=hub)


@pytest.fixture
def client_(login, worker):
    return login(worker)


@pytest.fixture
def referral(hub):
    return make_referral(hub, safe=("phone",))


def url(name, referral):
    return reverse(f"referrals:{name}", args=[referral.pk])


def statuses(referral):
    return list(
        ReferralStatusChange.objects.filter(referral=referral).order_by("pk").values_list("to_status", flat=True)
    )


def audited(action, obj):
    return AuditEvent.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)).exists()


def request_as(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


# --- the status service ------------------------------------------------------------------


@pytest.mark.parametrize(("start", "target"), [(s, t) for s in Status for t in Status if s != t], ids=lambda v: str(v))
def test_it_allows_exactly_the_transitions_in_the_table(hub, worker, start, target):
    referral = make_referral(hub)
    if start != Status.RECEIVED:
        ReferralStatusChange.objects.create(referral=referral, from_status="received", to_status=start)
        type(referral).objects.filter(pk=referral.pk).update(status=start)
        referral.refresh_from_db()
    before = ReferralStatusChange.objects.filter(referral=referral).count()
    if target in TRANSITIONS[start]:
        change = referral_change_status(request=request_as(worker), referral=referral, to_status=target, note="n")
        assert change.from_status == start and change.to_status == target and change.by == worker
        referral.refresh_from_db()
        assert referral.status == target
        assert audited("update", referral)
    else:
        with pytest.raises(ValidationError, match="cannot be changed"):
            referral_change_status(request=request_as(worker), referral=referral, to_status=target)
        referral.refresh_from_db()
        assert referral.status == start
        assert ReferralStatusChange.objects.filter(referral=referral).count() == before


def test_it_writes_nothing_when_the_status_is_already_the_one_asked_for(referral, worker):
    referral_change_status(request=request_as(worker), referral=referral, to_status=Status.IN_TRIAGE)
    assert referral_change_status(request=request_as(worker), referral=referral, to_status=Status.IN_TRIAGE) is None
    assert statuses(referral) == ["received", "in_triage"]


def test_it_reads_the_current_status_inside_the_transaction(referral, worker):
    # A stale copy (a second tab) must not let a closed referral be changed again.
    stale = type(referral).objects.get(pk=referral.pk)
    referral_change_status(
        request=request_as(worker), referral=referral, to_status=Status.DECLINED, reason_code="other"
    )
    with pytest.raises(ValidationError):
        referral_change_status(request=request_as(worker), referral=stale, to_status=Status.SIGNPOSTED)
    assert statuses(referral) == ["received", "declined"]


# --- assign and start --------------------------------------------------------------------


def test_it_assigns_the_referral_to_me(client_, referral, worker):
    response = client_.post(url("triage_assign", referral))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.assigned_to == worker and audited("update", referral)


def test_it_starts_triage_once_and_takes_the_referral(client_, referral, worker):
    client_.post(url("triage_start", referral))
    client_.post(url("triage_start", referral))  # a double click
    referral.refresh_from_db()
    assert referral.status == Status.IN_TRIAGE and referral.assigned_to == worker
    assert statuses(referral) == ["received", "in_triage"]


def test_it_refuses_to_start_triage_on_a_closed_referral_with_a_plain_message(client_, referral):
    client_.post(url("triage_signpost", referral), {"to": "Citizens Advice"})
    response = client_.post(url("triage_start", referral), follow=True)
    assert "cannot be changed to “In triage”" in response.content.decode()
    assert statuses(referral) == ["received", "signposted"]


def test_it_refuses_a_get_on_an_action(client_, referral):
    assert client_.get(url("triage_start", referral)).status_code == 405


# --- contact attempts --------------------------------------------------------------------


def contact_page(client_, referral):
    html = client_.get(url("triage_contact", referral)).content.decode()
    return re.search(r'name="once" value="([^"]+)"', html).group(1), html


def test_it_records_a_contact_attempt_on_a_safe_channel(client_, referral, worker):
    token, html = contact_page(client_, referral)
    assert 'data-channel="phone" data-state="safe"' in html  # the rules are on the page that offers contact
    response = client_.post(
        url("triage_contact", referral), {"channel": "phone", "outcome": "no_answer", "note": "", "once": token}
    )
    assert response.status_code == 302
    attempt = ContactAttempt.objects.get(referral=referral)
    assert (attempt.channel, attempt.outcome, attempt.by) == ("phone", "no_answer", worker)
    assert audited("create", attempt)


@pytest.mark.parametrize(
    ("channel", "message"),
    [("text", "This person has said text message is not safe."), ("email", "Nobody has confirmed that email is safe")],
)
def test_it_refuses_a_channel_marked_unsafe_or_unknown(client_, referral, channel, message):
    contact = referral.person.safe_contact
    contact.text_safe = False
    contact.save()
    token, _html = contact_page(client_, referral)
    response = client_.post(url("triage_contact", referral), {"channel": channel, "outcome": "made", "once": token})
    html = response.content.decode()
    assert response.status_code == 200 and message in html
    assert 'class="govuk-error-summary' in html
    assert not ContactAttempt.objects.exists()


def test_it_records_a_contact_attempt_only_once_on_a_double_submission(client_, referral):
    token, _html = contact_page(client_, referral)
    data = {"channel": "phone", "outcome": "made", "once": token}
    client_.post(url("triage_contact", referral), data)
    second = client_.post(url("triage_contact", referral), data, follow=True)
    assert ContactAttempt.objects.count() == 1
    assert "already recorded" in second.content.decode()


def test_it_refuses_a_contact_attempt_without_a_token(client_, referral):
    client_.post(url("triage_contact", referral), {"channel": "phone", "outcome": "made"})
    assert ContactAttempt.objects.count() == 0


def test_it_shows_contact_attempts_on_the_referral(client_, referral):
    token, _html = contact_page(client_, referral)
    client_.post(url("triage_contact", referral), {"channel": "phone", "outcome": "message_left", "once": token})
    html = client_.get(url("triage_detail", referral)).content.decode()
    attempts = html[html.index('data-testid="contact-attempts"') :]
    assert "Phone call" in attempts and "Safe message left" in attempts


# --- closing -----------------------------------------------------------------------------


def test_it_needs_a_reason_to_decline(client_, referral):
    response = client_.post(url("triage_decline", referral), {"reason": "", "note": ""})
    assert response.status_code == 200
    assert "Choose why the referral is declined." in response.content.decode()
    assert statuses(referral) == ["received"]


def test_it_declines_for_no_capacity(client_, referral):
    html = client_.get(url("triage_decline", referral)).content.decode()
    assert 'value="no_capacity"' in html and "No capacity" in html
    response = client_.post(url("triage_decline", referral), {"reason": "no_capacity"})
    assert response.status_code == 302
    change = ReferralStatusChange.objects.filter(referral=referral).last()
    assert (change.to_status, change.reason_code) == ("declined", "no_capacity")
    assert "No capacity" in client_.get(url("triage_detail", referral)).content.decode()


def test_it_needs_a_note_when_the_decline_reason_is_other(client_, referral):
    response = client_.post(url("triage_decline", referral), {"reason": "other", "note": " "})
    assert "Say why the referral is declined." in response.content.decode()
    assert statuses(referral) == ["received"]


def test_it_refuses_a_reason_not_in_the_list(client_, referral):
    response = client_.post(url("triage_decline", referral), {"reason": "made_up"})
    assert response.status_code == 200 and statuses(referral) == ["received"]


def test_it_signposts_with_where_to(client_, referral):
    assert (
        "Enter where the person was signposted to."
        in client_.post(url("triage_signpost", referral), {}).content.decode()
    )
    client_.post(url("triage_signpost", referral), {"to": "Local housing advice", "note": "Wants housing help only"})
    change = ReferralStatusChange.objects.filter(referral=referral).last()
    assert change.to_status == "signposted" and "Local housing advice" in change.note


def test_it_closes_as_no_contact_possible(client_, referral):
    client_.post(url("triage_withdraw", referral), {"reason": "no_contact"})
    change = ReferralStatusChange.objects.filter(referral=referral).last()
    assert (change.to_status, change.reason_code) == ("withdrawn", "no_contact")


def test_it_declines_only_once_on_a_double_submission(client_, referral):
    client_.post(url("triage_decline", referral), {"reason": "no_capacity"})
    client_.post(url("triage_decline", referral), {"reason": "no_capacity"})
    assert statuses(referral) == ["received", "declined"]


def test_it_refuses_to_decline_a_routed_referral(client_, referral):
    client_.post(url("triage_signpost", referral), {"to": "GP"})
    response = client_.post(url("triage_decline", referral), {"reason": "no_capacity"})
    assert "cannot be changed to “Declined”" in response.content.decode()
    assert statuses(referral) == ["received", "signposted"]
