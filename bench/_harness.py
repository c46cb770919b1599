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


# Marks the benchmark's synthetic population, so a run on an existing database reuses it.
POPULATION_MARKER = "(benchmark population)"


def existing_people(count: int, seed: int = 1) -> tuple[list, list[int]]:
    """`count` known victims with their matching keys (bulk-created once, reused after).

    Returns the identities (safepath.people.synthetic, deterministic for the seed) and the
    person ids in the same order, so a benchmark can make referrals about known people.
    """
    from django.db import transaction

    from safepath.people.matching import blocking_keys
    from safepath.people.models import Person, PersonKey
    from safepath.people.synthetic import people

    county_area()
    identities = [_local(i, n) for n, i in enumerate(people(count, seed=seed))]
    ids = list(Person.objects.filter(address=POPULATION_MARKER).order_by("pk").values_list("pk", flat=True)[:count])
    batch = 5_000
    for start in range(len(ids), count, batch):
        chunk = identities[start : start + batch]
        with transaction.atomic():
            created = Person.objects.bulk_create(
                [
                    Person(first_name=i.first_name, last_name=i.last_name, date_of_birth=i.date_of_birth, postcode=i.postcode, address=POPULATION_MARKER)
                    for i in chunk
                ]
            )
            PersonKey.objects.bulk_create(
                [PersonKey(person_id=p.pk, key=key) for p, i in zip(created, chunk, strict=True) for key in blocking_keys(i)],
                batch_size=10_000,
            )
        ids.extend(p.pk for p in created)
    _analyze()
    return identities, ids


def _analyze() -> None:
    """Refresh the planner's statistics after the bulk load, as autovacuum would in a live database.

    Without them PostgreSQL plans the candidate search for empty tables (a sequential scan).
    """
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM too: it marks the pages all-visible, so the candidate search reads keys from the
            # index alone (an index-only scan), as it does once autovacuum has been by.
            cursor.execute("VACUUM (ANALYZE) people_person, people_personkey, people_personname, referrals_referral")
        elif connection.vendor == "sqlite":
            cursor.execute("ANALYZE")


# A county's worth of postcode districts (about 450 sectors): the demo scenario's Medway
# districts and the rest of a county, so that people are about as dense per sector as in a
# real county with 200,000 people known to its service.
MEDWAY_DISTRICTS = ("ME1", "ME2", "ME3", "ME4", "ME5", "ME7", "ME8")
COUNTY_DISTRICTS = MEDWAY_DISTRICTS + tuple(f"ME{n}" for n in range(9, 21)) + tuple(f"CT{n}" for n in range(1, 22)) + tuple(f"TN{n}" for n in range(1, 11))
REST_OF_COUNTY = "Rest of the county (benchmark)"


def local_postcode(n: int) -> str:
    """A postcode in the county, spread evenly over its sectors (deterministic for n)."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    district = COUNTY_DISTRICTS[n % len(COUNTY_DISTRICTS)]
    return f"{district} {n // len(COUNTY_DISTRICTS) % 9 + 1}{letters[n * 7 % 20]}{letters[n // 20 % 20]}"


def county_area() -> None:
    """An area for the county's districts outside the demo scenario's, so each postcode has an area."""
    from safepath.areas.models import Area, RuralUrbanClass

    districts = " ".join(d for d in COUNTY_DISTRICTS if d not in MEDWAY_DISTRICTS)
    Area.objects.update_or_create(
        name=REST_OF_COUNTY, defaults={"postcode_districts": districts, "rural_urban_class": RuralUrbanClass.RURAL_TOWN_FRINGE}
    )


def _local(identity, n: int):  # type: ignore[no-untyped-def]
    """People known to a county's service live in the county: nine in ten get a county postcode."""
    from dataclasses import replace

    return replace(identity, postcode=local_postcode(n * 31 + 7)) if n % 10 else identity
