"""Links in notice emails carry the service's address (SAFEPATH_BASE_URL), set or worked out in production."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from safepath.core.links import absolute_url


def test_a_link_is_the_path_on_the_services_address(settings):
    settings.BASE_URL = "https://safepath.example.gov.uk"
    assert absolute_url("/reporting/papers/") == "https://safepath.example.gov.uk/reporting/papers/"
    settings.BASE_URL = ""  # not set outside production: the path alone
    assert absolute_url("/reporting/papers/") == "/reporting/papers/"


def _production_base_url(tmp_path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SAFEPATH_ENV": "production",
        "SAFEPATH_SECRET_KEY": "x" * 50,
        "SAFEPATH_ADDRESS_KEY": "A" * 43 + "=",
        "SAFEPATH_ALLOWED_HOSTS": ".council.gov.uk,safepath.council.gov.uk",
        "SAFEPATH_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "safepath.settings",
        **extra,
    }
    if "SAFEPATH_BASE_URL" not in extra:
        env.pop("SAFEPATH_BASE_URL", None)
    env.pop("DATABASE_URL", None)
    code = "import django; django.setup(); from django.conf import settings; print(settings.BASE_URL)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False)  # noqa: S603 - our own interpreter and code


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({}, "https://safepath.council.gov.uk"),  # the first host name allowed that is a host, not a domain
        ({"SAFEPATH_BASE_URL": "https://safepath.example.gov.uk/"}, "https://safepath.example.gov.uk"),
    ],
)
def test_production_has_an_address_for_links(tmp_path, given, expected):
    result = _production_base_url(tmp_path, **given)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_an_address_without_a_scheme_is_refused_in_plain_words(tmp_path):
    result = _production_base_url(tmp_path, SAFEPATH_BASE_URL="safepath.example.gov.uk")
    assert result.returncode != 0
    assert "SAFEPATH_BASE_URL must start with https://" in result.stderr
