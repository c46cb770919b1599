"""Seeing where you are signed in, and ending other sessions or all of them."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import Role

pytestmark = pytest.mark.django_db

BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


@pytest.fixture
def user(member):
    return member(Role.CASEWORKER)


@pytest.fixture
def laptop(user):
    client = Client(HTTP_USER_AGENT="Laptop browser")
    client.force_login(user, backend=BACKEND)
    assert client.get("/").status_code == 200
    return client


@pytest.fixture
def phone(user):
    client = Client(HTTP_USER_AGENT="Phone browser")
    client.force_login(user, backend=BACKEND)
    assert client.get("/").status_code == 200
    return client


def assert_signed_out(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_it_ends_every_session_of_the_user(laptop, phone, user):
    response = laptop.post(reverse("sign_out_everywhere"))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_login")
    assert_signed_out(phone)
    assert_signed_out(laptop)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT, user_id=user.pk).exists()


def test_it_leaves_other_peoples_sessions_alone(laptop, member):
    someone_else = Client()
    someone_else.force_login(member(Role.CASEWORKER), backend=BACKEND)

    laptop.post(reverse("sign_out_everywhere"))

    assert someone_else.get("/").status_code == 200


def test_it_needs_a_post_to_sign_out_everywhere(laptop, phone):
    response = laptop.get(reverse("sign_out_everywhere"))

    assert response.status_code == 405
    assert phone.get("/").status_code == 200


def test_it_lists_where_the_user_is_signed_in(laptop, phone):
    response = laptop.get(reverse("usersessions_list"))

    assert response.status_code == 200
    content = response.content.decode()
    assert "Laptop browser" in content
    assert "Phone browser" in content
    assert content.count('class="govuk-table__row"') == 3  # header and two sessions
    assert "Sign out of the other devices" in content


def test_it_marks_the_current_session(laptop, phone):
    response = laptop.get(reverse("usersessions_list"))

    rows = response.content.decode().split('<tr class="govuk-table__row">')[2:]
    current = [row for row in rows if "govuk-tag" in row]
    assert len(current) == 1
    assert "Laptop browser" in current[0]


def test_it_signs_out_the_other_sessions_but_keeps_this_one(laptop, phone):
    response = laptop.post(reverse("usersessions_list"))

    assert response.status_code == 302
    assert_signed_out(phone)
    assert laptop.get("/").status_code == 200
    remaining = laptop.get(reverse("usersessions_list")).content.decode()
    assert "Phone browser" not in remaining
    assert "You are not signed in anywhere else." in remaining
