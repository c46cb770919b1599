"""Addresses are sealed with Fernet; keys come from settings, and production needs one."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from safepath.accommodation import crypto


def test_it_round_trips_and_hides_the_text():
    sealed = crypto.seal("1 Secret Row")
    assert "Secret" not in sealed and crypto.unseal(sealed) == "1 Secret Row"
    assert crypto.seal("") == "" and crypto.unseal("") == ""


def test_it_derives_a_key_from_the_secret_key_outside_production():
    sealed = crypto.seal("1 Secret Row")
    with (
        override_settings(SECRET_KEY="another-secret-key-entirely-different-0123456789"),
        pytest.raises(crypto.AddressUnreadable),
    ):
        crypto.unseal(sealed)


def test_it_needs_a_key_in_production():
    with override_settings(PRODUCTION=True, SAFEPATH_ADDRESS_KEY=""), pytest.raises(ImproperlyConfigured):
        crypto.seal("1 Secret Row")


def test_it_rotates_keys():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(SAFEPATH_ADDRESS_KEY=old):
        sealed = crypto.seal("1 Secret Row")
    with override_settings(SAFEPATH_ADDRESS_KEY=f"{new},{old}"):
        assert crypto.unseal(sealed) == "1 Secret Row"
        resealed = crypto.reseal(sealed)
    with override_settings(SAFEPATH_ADDRESS_KEY=new):
        assert crypto.unseal(resealed) == "1 Secret Row"


def test_it_refuses_a_malformed_key():
    with override_settings(SAFEPATH_ADDRESS_KEY="not-a-key"), pytest.raises(ImproperlyConfigured):
        crypto.seal("x")
