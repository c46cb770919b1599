"""A session ends after 30 minutes without a request; each request starts the 30 minutes again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse

from safepath.core.roles import Role
from safepath.testing import PASSWORD

pytestmark = pytest.mark.django_db

START = datetime(2025, 3, 3, 9, 0, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed_in(clock, member, login):
    client = login(member(Role.CASEWORKER))
    assert client.get("/").status_code == 200
    return client


def test_it_signs_out_after_31_idle_minutes(signed_in, clock):
    clock.shift(timedelta(minutes=31))

    response = signed_in.get("/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=/"


def test_it_keeps_the_session_after_29_idle_minutes(signed_in, clock):
    clock.shift(timedelta(minutes=29))

    assert signed_in.get("/").status_code == 200


def test_it_counts_the_idle_time_from_the_last_request(signed_in, clock):
    for _ in range(3):
        clock.shift(timedelta(minutes=29))
        assert signed_in.get("/").status_code == 200

    clock.shift(timedelta(minutes=31))
    assert signed_in.get("/").status_code == 302


def test_it_applies_the_idle_limit_after_a_real_sign_in(client, clock, member):
    # allauth's sign-in sets the session to end when the browser closes; the
    # server-side idle limit must still hold.
    user = member(Role.CASEWORKER, with_mfa=False)
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)

    clock.shift(timedelta(minutes=31))

    assert "_auth_user_id" not in client.session
    assert client.get("/")["Location"].startswith(reverse("account_login"))
