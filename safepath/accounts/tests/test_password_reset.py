"""Resetting a forgotten password by email, without revealing which addresses have accounts."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from safepath.core.roles import Role

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"
LINK = re.compile(r"http://testserver(/account/password/reset/key/\S+/)")


def request_reset(client, email):
    return client.post(reverse("account_reset_password"), {"email": email})


def reset_link(client, user) -> str:
    request_reset(client, user.email)
    return LINK.search(mail.outbox[-1].body).group(1)


def open_link(client, link):
    """The emailed link stores its key in the session and redirects to a key-free form."""
    response = client.get(link)
    assert response.status_code == 302
    return response["Location"]


def test_it_emails_a_link_to_a_known_address(client, member):
    user = member(Role.CASEWORKER)

    response = request_reset(client, user.email)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert LINK.search(mail.outbox[0].body)


def test_it_answers_an_unknown_address_exactly_as_a_known_one(client, member):
    user = member(Role.CASEWORKER)

    known = request_reset(client, user.email)
    unknown = request_reset(client, "nobody@example.test")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    done = client.get(unknown["Location"])
    assert b"If the address you entered belongs to an account" in done.content


def test_it_sends_nothing_to_an_unknown_address(client):
    request_reset(client, "nobody@example.test")

    assert mail.outbox == []


def test_it_lets_the_user_set_a_new_password_from_the_link(client, member):
    user = member(Role.CASEWORKER)
    form_url = open_link(client, reset_link(client, user))

    page = client.get(form_url)
    assert page.status_code == 200
    assert b'autocomplete="new-password"' in page.content
    assert b"govuk-exit-this-page" in page.content
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_it_signs_in_with_the_new_password(client, member):
    user = member(Role.CASEWORKER)
    form_url = open_link(client, reset_link(client, user))
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = client.post(reverse("account_login"), {"login": user.email, "password": NEW_PASSWORD})

    assert response["Location"] == reverse("mfa_authenticate")  # the code is still needed


def test_it_refuses_a_common_password(client, member):
    user = member(Role.CASEWORKER)
    form_url = open_link(client, reset_link(client, user))

    response = client.post(form_url, {"password1": "password123456", "password2": "password123456"})

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b'href="#id_password1"' in response.content
    assert b"This password is too common." in response.content
    user.refresh_from_db()
    assert not user.check_password("password123456")


def test_it_refuses_passwords_that_do_not_match(client, member):
    user = member(Role.CASEWORKER)
    form_url = open_link(client, reset_link(client, user))

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"})

    assert response.status_code == 200
    assert b'href="#id_password2"' in response.content


def test_it_refuses_a_link_that_was_already_used(client, member):
    user = member(Role.CASEWORKER)
    link = reset_link(client, user)
    client.post(open_link(client, link), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = client.get(link)

    assert response.status_code == 200
    assert b"This link does not work" in response.content
