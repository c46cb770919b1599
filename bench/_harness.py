"""Shared set-up and statistics for the benchmarks (Django must be set up first)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.db import connection

from safepath.accounts.models import User
from safepath.core.roles import Role
from safepath.demo.scenarios import SCENARIOS, demo_email
from safepath.demo.services import scenario_load

SCENARIO = "medway"
# The RFC 6238 example secret the test suite uses too.
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 - published test secret, benchmark accounts only
LOGIN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"

# Authenticators this process created, removed again by cleanup().
_created_authenticators: list[int] = []


@dataclass(frozen=True)
class Staff:
    role: str
    email: str
    user: User


def prepare_database() -> None:
    """Migrate, create the cache table and load the demo scenario (idempotent)."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    scenario_load(scenario=SCENARIOS[SCENARIO])


def demo_staff() -> list[Staff]:
    """One demo account per role, each with a TOTP authenticator so MFA applies as for real staff."""
    staff = []
    for role in Role.values:
        email = demo_email(role)
        user = User.objects.get(email=email)
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            authenticator = Authenticator.objects.create(
                user=user, type=Authenticator.Type.TOTP, data={"secret": TOTP_SECRET}
            )
            _created_authenticators.append(authenticator.pk)
        staff.append(Staff(role=role, email=email, user=user))
    return staff


def cleanup() -> None:
    """Remove the authenticators added here, so a `--database current` run leaves the demo as it was."""
    if _created_authenticators:
        Authenticator.objects.filter(pk__in=_created_authenticators).delete()
        _created_authenticators.clear()


def database_vendor() -> str:
    return connection.vendor


def percentile(values: Sequence[float], p: float) -> float:
    """Nearest-rank percentile: the smallest value with at least p% of values at or below it."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary_ms(seconds: Sequence[float]) -> dict[str, float | int]:
    """p50, p95, max and mean of timings given in seconds, in milliseconds."""
    ms = [s * 1000 for s in seconds]
    return {
        "requests": len(ms),
        "p50_ms": round(percentile(ms, 50), 2),
        "p95_ms": round(percentile(ms, 95), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(sum(ms) / len(ms), 2),
    }
