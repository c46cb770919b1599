"""Repeated failed sign-ins lock the account for a while, and every attempt is audited."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import time_machine
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.forms.models import model_to_dict
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import Role
from safepath.testing import PASSWORD

pytestmark = pytest.mark.django_db

WINDOW_START = datetime(2025, 3, 3, 9, 0, 0, tzinfo=UTC)
FAILED = AuditEvent.Action.SIGN_IN_FAILED


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(WINDOW_START, tick=True):
        yield


def sign_in(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def fail_times(client, email, times):
    for _ in range(times):
        response = sign_in(client, email, "wrong-password-123")
        assert response.status_code == 200
        assert b"govuk-error-summary" in response.content


def assert_signed_out(client):
    assert client.get("/")["Location"].startswith(reverse("account_login"))


def test_it_refuses_the_right_password_after_five_failures(client, member):
    user = member(Role.CASEWORKER, with_mfa=False)
    fail_times(client, user.email, 5)

    response = sign_in(client, user.email, PASSWORD)

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"This account is locked for 15 minutes after too many attempts." in response.content
    assert_signed_out(client)


def test_it_still_accepts_the_right_password_after_four_failures(client, member):
    user = member(Role.CASEWORKER, with_mfa=False)
    fail_times(client, user.email, 4)

    response = sign_in(client, user.email, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_it_locks_only_the_account_that_was_attacked(client, member):
    attacked = member(Role.CASEWORKER, with_mfa=False)
    other = member(Role.CASEWORKER, with_mfa=False)
    fail_times(client, attacked.email, 5)

    response = sign_in(client, other.email, PASSWORD)

    assert response.status_code == 302


def test_it_locks_the_account_from_every_address(client, member):
    # The limit is per account ("key"), not per account and address.
    user = member(Role.CASEWORKER, with_mfa=False)
    fail_times(client, user.email, 5)

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": PASSWORD}, REMOTE_ADDR="192.0.2.7"
    )

    assert response.status_code == 200
    assert b"This account is locked for 15 minutes" in response.content


def test_it_unlocks_the_account_after_fifteen_minutes(client, member):
    user = member(Role.CASEWORKER, with_mfa=False)
    fail_times(client, user.email, 5)

    with time_machine.travel(WINDOW_START.timestamp() + 15 * 60 + 1):
        response = sign_in(client, user.email, PASSWORD)

    assert response.status_code == 302


def test_it_audits_each_failure_without_the_email_address(client, member):
    user = member(Role.CASEWORKER)
    fail_times(client, user.email, 3)
    sign_in(client, "nobody@example.test", "wrong-password-123")

    events = list(AuditEvent.objects.filter(action=FAILED).order_by("id"))

    assert [e.user_id for e in events] == [user.pk, user.pk, user.pk, None]
    for event in events:
        values = " ".join(str(v) for v in model_to_dict(event).values())
        assert "@" not in values
        assert user.email not in values and "nobody" not in values


def test_it_audits_attempts_refused_while_the_account_is_locked(client, member):
    user = member(Role.CASEWORKER)
    fail_times(client, user.email, 5)

    sign_in(client, user.email, PASSWORD)

    assert AuditEvent.objects.filter(action=FAILED, user_id=user.pk).count() == 6


def test_it_audits_a_successful_sign_in(client, member):
    user = member(Role.CASEWORKER)
    sign_in(client, user.email, PASSWORD)
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN).exists()  # not until the code

    secret = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    code = format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))
    client.post(reverse("mfa_authenticate"), {"code": code})

    event = AuditEvent.objects.get(action=AuditEvent.Action.SIGN_IN)
    assert event.user_id == user.pk
    assert not AuditEvent.objects.filter(action=FAILED).exists()
