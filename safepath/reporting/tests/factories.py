"""Records for the reporting tests, written directly (no services): the metrics read only what
is stored, and the tests need thousands of rows quickly, in any shape."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any

from safepath.accounts.models import Organisation
from safepath.areas.models import Area
from safepath.cases.models import Case
from safepath.core.roles import OrganisationType
from safepath.people.models import Person
from safepath.referrals.models import Pathway, Referral
from safepath.reporting.periods import LOCAL
from safepath.testing import AreaFactory, OrganisationFactory

_numbers = itertools.count(1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL)


def hub() -> Organisation:
    return OrganisationFactory(type=OrganisationType.HUB)


def area(parent: Area | None = None, **kwargs: Any) -> Area:
    return AreaFactory(parent=parent, **kwargs)


def person(**kwargs: Any) -> Person:
    # Names a test can look for in a page: they must never appear on a commissioner's screen.
    kwargs.setdefault("first_name", "Zephyrine")
    kwargs.setdefault("last_name", f"Quixotic{next(_numbers)}")
    return Person.objects.create(**kwargs)


def referral(*, hub: Organisation, person: Person, received: datetime, **kwargs: Any) -> Referral:
    kwargs.setdefault("source", "police")
    kwargs.setdefault("risk_level", "standard")
    kwargs.setdefault("channel", "professional")
    return Referral.objects.create(
        reference=f"R{next(_numbers):08d}", hub=hub, person=person, received_at=received, **kwargs
    )


def pathway(code: str) -> Pathway:
    return Pathway.objects.get_or_create(code=code, defaults={"name": code.upper()})[0]


def case(
    *, provider: Organisation, referral: Referral | None, person: Person, code: str, opened: datetime, **kwargs: Any
) -> Case:
    kwargs.setdefault("risk_level", referral.risk_level if referral else "standard")
    kwargs.setdefault("waiting_since", opened)
    return Case.objects.create(
        reference=f"C{next(_numbers):08d}",
        person=person,
        pathway=pathway(code),
        provider=provider,
        referral=referral,
        opened_at=opened,
        **kwargs,
    )


def days(n: float) -> timedelta:
    return timedelta(days=n)


def make_member_worker(provider: Organisation):  # -> User
    from safepath.core.roles import Role
    from safepath.testing import make_member

    return make_member(Role.CASEWORKER, provider)
