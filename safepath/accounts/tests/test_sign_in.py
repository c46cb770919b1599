"""Sign-in pages (GOV.UK templates over allauth) and the password + TOTP journey."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import time_machine
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from safepath.core.models import AuditEvent
from safepath.core.roles import Role
from safepath.testing import PASSWORD

pytestmark = pytest.mark.django_db

# The start of a 30-second TOTP window, so a code made here is still valid when posted.
WINDOW_START = datetime(2025, 3, 3, 9, 0, 0, tzinfo=UTC)
EXIT_THIS_PAGE = b"govuk-exit-this-page"
ERROR_SUMMARY = b"govuk-error-summary"


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(WINDOW_START, tick=True):
        yield


def totp_code(user) -> str:
    secret = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data["secret"]
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def sign_in(client, user, password=PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


def sign_in_fully(client, user):
    sign_in(client, user)
    return client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})


def reauthenticate(client):
    """allauth asks for the password again before any change to MFA, even just after sign-in."""
    return client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def test_it_renders_the_sign_in_page_with_exit_this_page(client):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    content = response.content
    assert EXIT_THIS_PAGE in content
    assert b'name="login"' in content and b'type="email"' in content
    assert b'name="password"' in content and b'autocomplete="current-password"' in content
    assert b'<label class="govuk-label" for="id_login">' in content
    assert reverse("account_reset_password").encode() in content
    assert b"Forgot your password?" in content
    assert reverse("account_signup").encode() not in content
    assert b"<title>Sign in" in content


def test_it_shows_an_error_summary_when_the_sign_in_form_is_empty(client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})

    assert response.status_code == 200
    assert ERROR_SUMMARY in response.content
    assert b'href="#id_login"' in response.content
    assert b'class="govuk-error-message"' in response.content
    assert b"<title>Error: Sign in" in response.content


def test_it_refuses_a_wrong_password_without_saying_whether_the_account_exists(client, member):
    user = member(Role.CASEWORKER)

    wrong_password = sign_in(client, user, password="not-the-password")
    unknown_email = client.post(reverse("account_login"), {"login": "nobody@example.test", "password": PASSWORD})

    for response in (wrong_password, unknown_email):
        assert response.status_code == 200
        assert ERROR_SUMMARY in response.content
        assert b"The email address or password is not correct." in response.content


@pytest.mark.parametrize(
    "url_name",
    [
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key_done",
        "account_inactive",
    ],
)
def test_it_renders_the_pages_before_sign_in_with_exit_this_page(client, url_name):
    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert EXIT_THIS_PAGE in response.content
    assert b"<h1" in response.content


def test_it_shows_an_error_summary_when_the_reset_form_is_invalid(client):
    response = client.post(reverse("account_reset_password"), {"email": "not an email"})

    assert response.status_code == 200
    assert ERROR_SUMMARY in response.content
    assert b'href="#id_email"' in response.content


def test_it_explains_a_bad_password_reset_link(client):
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "not-a-real-key"})

    response = client.get(url)

    assert response.status_code == 200
    assert EXIT_THIS_PAGE in response.content
    assert b"This link does not work" in response.content
    assert reverse("account_reset_password").encode() in response.content


def test_it_asks_for_a_code_after_the_password_when_the_account_has_mfa(client, member):
    user = member(Role.CASEWORKER)

    response = sign_in(client, user)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    page = client.get(reverse("mfa_authenticate"))
    assert page.status_code == 200
    assert EXIT_THIS_PAGE in page.content
    assert b'name="code"' in page.content
    assert b'autocomplete="one-time-code"' in page.content
    assert b"recovery code" in page.content
    # Still not signed in: the home page sends them back to sign in.
    assert client.get("/")["Location"].startswith(reverse("account_login"))


def test_it_signs_in_with_password_and_authenticator_code(client, member):
    user = member(Role.CASEWORKER)
    sign_in(client, user)

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(user)})

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert home.wsgi_request.user == user
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN, user_id=user.pk).exists()


def test_it_refuses_a_wrong_authenticator_code(client, member):
    user = member(Role.CASEWORKER)
    sign_in(client, user)
    wrong = "000000" if totp_code(user) != "000000" else "111111"

    response = client.post(reverse("mfa_authenticate"), {"code": wrong})

    assert response.status_code == 200
    assert ERROR_SUMMARY in response.content
    assert b'href="#id_code"' in response.content
    assert b"Incorrect code." in response.content
    assert b"<title>Error: " in response.content
    assert client.get("/")["Location"].startswith(reverse("account_login"))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_IN, user_id=user.pk).exists()


def test_it_accepts_a_recovery_code_instead_of_the_app(client, member):
    user = member(Role.CASEWORKER)
    code = RecoveryCodes.activate(user).get_unused_codes()[0]
    sign_in(client, user)

    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_renders_the_account_pages_for_a_signed_in_user(client, member):
    user = member(Role.CASEWORKER)
    RecoveryCodes.activate(user)
    sign_in_fully(client, user)
    reauthenticate(client)

    for name in [
        "account_logout",
        "account_change_password",
        "mfa_index",
        "mfa_view_recovery_codes",
        "mfa_generate_recovery_codes",
        "mfa_deactivate_totp",
        "usersessions_list",
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert b'class="govuk-heading-l"' in response.content, name
        assert EXIT_THIS_PAGE not in response.content, name


def test_it_shows_unused_recovery_codes(client, member):
    user = member(Role.CASEWORKER)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    sign_in_fully(client, user)
    reauthenticate(client)

    response = client.get(reverse("mfa_view_recovery_codes"))

    assert all(code.encode() in response.content for code in codes)


def test_it_shows_errors_on_the_change_password_form(client, member):
    user = member(Role.CASEWORKER)
    sign_in_fully(client, user)

    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": "short", "password2": "short"},
    )

    assert response.status_code == 200
    assert ERROR_SUMMARY in response.content
    for field in ("oldpassword", "password1"):
        assert f'href="#id_{field}"'.encode() in response.content


def test_it_asks_for_the_password_again_before_sensitive_changes(client, member, login):
    user = member(Role.CASEWORKER)
    login(user)  # a session with no record of how the user signed in

    response = client.get(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'name="password"' in page.content
    assert reverse("mfa_reauthenticate").encode() in page.content
    wrong = client.post(response["Location"], {"password": "wrong"})
    assert ERROR_SUMMARY in wrong.content


def test_it_renders_the_code_reauthentication_page(client, member, login):
    login(member(Role.CASEWORKER))

    response = client.get(reverse("mfa_reauthenticate"))

    assert response.status_code == 200
    assert b'name="code"' in response.content
    assert reverse("account_reauthenticate").encode() in response.content


def test_it_signs_out_from_the_sign_out_page(client, member):
    user = member(Role.CASEWORKER)
    sign_in_fully(client, user)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert client.get("/")["Location"].startswith(reverse("account_login"))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SIGN_OUT, user_id=user.pk).exists()
