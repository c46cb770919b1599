"""Test-wide settings and role fixtures. See safepath/testing.py for factories."""

from __future__ import annotations

import os

os.environ.setdefault("SAFEPATH_ENV", "test")
os.environ.setdefault("SAFEPATH_VAR_DIR", os.path.join(os.path.dirname(__file__), "var", "test"))

import pytest

pytest_plugins = ["safepath.testing"]


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEMO_SKIP_MFA = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    from django.core.cache import cache

    cache.clear()
