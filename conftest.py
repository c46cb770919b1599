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


def _transactional(item: pytest.Item) -> bool | None:
    """True for a test that empties the tables when it ends, False for one in a rolled-back
    transaction, None for a test without the database."""
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    if "live_server" in fixtures or "transactional_db" in fixtures:
        return True
    if marker is not None:
        return bool(marker.kwargs.get("transaction"))
    return False if "db" in fixtures else None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run transactional tests after every other test, and refuse a file mixing transactional tests with tests that use the database in a
    transaction. Tests run in parallel processes that take whole files (`--dist loadfile`); a
    transactional test empties the tables (the migrations' reference data too) when it ends, so
    it must run after the other tests of its process, which only holds when it has a file of its own
    and files are handed out in this order (`--no-loadscope-reorder`). pytest-django puts tests
    without the `db` fixture after transactional ones, but some use data through a module fixture."""
    items.sort(key=lambda item: _transactional(item) is True)
    kinds: dict[str, set[bool]] = {}
    for item in items:
        kind = _transactional(item)
        if kind is not None:
            kinds.setdefault(item.nodeid.split("::")[0], set()).add(kind)
    mixed = sorted(path for path, found in kinds.items() if len(found) > 1)
    if mixed:
        raise pytest.UsageError(
            "These files mix transactional tests (transaction=True, live_server) with other database tests; "
            "move the transactional ones to a file of their own: " + ", ".join(mixed)
        )
