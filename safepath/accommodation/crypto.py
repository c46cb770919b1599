"""Sealing secret addresses (docs/adr/0011-secret-addresses.md).

A refuge's address is encrypted at rest with Fernet (AES-128-CBC with HMAC-SHA256). Keys come
from SAFEPATH_ADDRESS_KEY: one key, or several separated by commas (the first encrypts, all
decrypt, so a key can be rotated). Production refuses to start without it (settings). Outside
production an unset key is derived from SECRET_KEY with HKDF, so the demo and tests work and a
development database is still not readable without the project's secret.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

HKDF_SALT = b"safepath.accommodation.address"
HKDF_INFO = b"secret addresses v1"


class AddressUnreadable(Exception):
    """The stored address cannot be decrypted with the configured keys (the key changed)."""


def _derived_key() -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=HKDF_SALT, info=HKDF_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(settings.SECRET_KEY.encode()))


def _keys() -> list[bytes]:
    configured = [k.strip() for k in getattr(settings, "SAFEPATH_ADDRESS_KEY", "").split(",") if k.strip()]
    if configured:
        return [k.encode() for k in configured]
    if getattr(settings, "PRODUCTION", False):
        raise ImproperlyConfigured("SAFEPATH_ADDRESS_KEY must be set in production.")
    return [_derived_key()]


def _fernet() -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in _keys()])
    except ValueError:
        raise ImproperlyConfigured(
            "SAFEPATH_ADDRESS_KEY must be Fernet keys (32 url-safe base64 bytes), separated by commas."
        ) from None


def seal(address: str) -> str:
    """The encrypted form stored in the database ("" for no address)."""
    return _fernet().encrypt(address.encode()).decode() if address else ""


def unseal(token: str) -> str:
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise AddressUnreadable("the address cannot be read with the configured keys") from None


def reseal(token: str) -> str:
    """Re-encrypt under the first (newest) key, for key rotation."""
    return _fernet().rotate(token.encode()).decode() if token else ""
