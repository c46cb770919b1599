"""Every staff account must set up an authenticator app before doing anything else."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
import time_machine
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.urls import reverse

from safepath.core.roles import Role
from safepath.testing import PASSWORD

pytestmark = pytest.mark.django_db

# The start of a 30-second TOTP window, so a code made here is still valid when posted.
WINDOW_START = datetime(2025, 3, 3, 9, 0, 0, tzinfo=UTC)
SETUP_URL = reverse("mfa_activate_totp")


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(WINDOW_START, tick=True):
        yield


@pytest.fixture
def staff_without_mfa(member):
    return member(Role.CASEWORKER, with_mfa=False)


def code_for(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def sign_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_it_signs_in_an_account_without_mfa_with_the_password_alone(client, staff_without_mfa):
    response = sign_in(client, staff_without_mfa)

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("path", ["/", "/glossary/", "/settings/", "/admin/users/", "/admin/audit/", "/no-such-page/"])
def test_it_sends_a_signed_in_user_without_mfa_to_set_it_up(client, staff_without_mfa, path):
    sign_in(client, staff_without_mfa)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"] == SETUP_URL


def test_it_refuses_posts_too_until_mfa_is_set_up(client, staff_without_mfa):
    sign_in(client, staff_without_mfa)

    response = client.post(reverse("sign_out_everywhere"))

    assert response["Location"] == SETUP_URL
    assert client.get("/")["Location"] == SETUP_URL  # still signed in: nothing was done


def test_it_explains_why_an_authenticator_app_is_needed(client, staff_without_mfa):
    sign_in(client, staff_without_mfa)
    # allauth asks for the password once more before any change to MFA.
    to_reauthenticate = client.get(SETUP_URL)
    assert to_reauthenticate["Location"].startswith(reverse("account_reauthenticate"))
    client.post(to_reauthenticate["Location"], {"password": PASSWORD})

    response = client.get(SETUP_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Every staff account needs an authenticator app" in content
    assert 'src="data:image/svg+xml;base64,' in content
    secret = client.session[SECRET_SESSION_KEY]
    assert secret[:4] in content  # the key is shown as text for people who cannot scan
    assert 'name="code"' in content and 'for="id_code"' in content


def test_it_lets_the_user_in_once_the_authenticator_app_is_set_up(client, staff_without_mfa):
    sign_in(client, staff_without_mfa)
    reauthenticate = client.get(SETUP_URL)["Location"]
    client.post(reauthenticate, {"password": PASSWORD})
    client.get(SETUP_URL)
    secret = client.session[SECRET_SESSION_KEY]

    response = client.post(SETUP_URL, {"code": code_for(secret)})

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=staff_without_mfa, type=Authenticator.Type.TOTP).exists()
    codes = client.get(response["Location"])
    assert codes.status_code == 200
    assert b"recovery codes" in codes.content
    assert client.get("/").status_code == 200


def test_it_refuses_a_wrong_code_when_setting_up(client, staff_without_mfa):
    sign_in(client, staff_without_mfa)
    client.post(client.get(SETUP_URL)["Location"], {"password": PASSWORD})
    client.get(SETUP_URL)
    right = code_for(client.session[SECRET_SESSION_KEY])

    response = client.post(SETUP_URL, {"code": "000000" if right != "000000" else "111111"})

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b'href="#id_code"' in response.content
    assert client.get("/")["Location"] == SETUP_URL


def test_it_lets_a_demo_account_skip_mfa_when_the_demo_allows_it(client, settings, member):
    settings.DEMO_SKIP_MFA = True
    user = member(Role.CASEWORKER, with_mfa=False, is_demo=True)
    sign_in(client, user)

    assert client.get("/").status_code == 200


def test_it_still_requires_mfa_from_other_accounts_in_the_demo(client, settings, staff_without_mfa):
    settings.DEMO_SKIP_MFA = True
    sign_in(client, staff_without_mfa)

    assert client.get("/")["Location"] == SETUP_URL


def test_it_requires_mfa_from_demo_accounts_when_the_demo_does_not_allow_skipping(client, member):
    user = member(Role.CASEWORKER, with_mfa=False, is_demo=True)
    sign_in(client, user)

    assert client.get("/")["Location"] == SETUP_URL
