"""Factories for MARAC tests and the benchmark: records written directly (fast), MARAC referrals
through the service that intake uses."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from safepath.accounts.models import Organisation
from safepath.areas.models import Area
from safepath.core.roles import OrganisationType
from safepath.marac import services
from safepath.marac.models import MaracReferral, Meeting
from safepath.people.models import Person
from safepath.referrals.models import Referral
from safepath.testing import AreaFactory, OrganisationFactory

_refs = itertools.count(1)


def make_marac(area: Area | None = None, name: str = "", **settings: Any) -> Organisation:
    area = area or AreaFactory()
    marac = OrganisationFactory(type=OrganisationType.MARAC, **({"name": name} if name else {}))
    marac.areas.add(area)
    if settings:
        from safepath.marac.models import MaracSettings

        MaracSettings.objects.create(marac=marac, **settings)
    return marac


def hub() -> Organisation:
    return Organisation.objects.filter(type=OrganisationType.HUB).first() or OrganisationFactory(
        type=OrganisationType.HUB
    )


def make_person(first: str = "Amira", last: str = "Khan", **fields: Any) -> Person:
    return Person.objects.create(first_name=first, last_name=last, **fields)


def referral(
    *,
    person: Person,
    area: Area | None,
    received_at: datetime,
    source: str = "police",
    is_marac_case: bool = True,
    is_repeat: bool = False,
    criteria: list[str] | None = None,
    children: int | None = None,
    perpetrator: Person | None = None,
    hub_org: Organisation | None = None,
    save: bool = True,
) -> Referral:
    row = Referral(
        reference=f"SP-T{next(_refs):06d}",
        hub=hub_org or hub(),
        channel="professional",
        source=source,
        received_at=received_at,
        person=person,
        area=area,
        risk_level="high" if is_marac_case else "standard",
        marac_criteria=criteria if criteria is not None else (["visible_high_risk"] if is_marac_case else []),
        is_marac_case=is_marac_case,
        is_repeat=is_repeat,
        children_in_household=children,
        perpetrator=perpetrator,
    )
    if save:
        row.save()
    return row


def marac_case(area: Area, received_at: datetime | None = None, **kwargs: Any) -> MaracReferral:
    person = kwargs.pop("person", None) or make_person()
    made = referral(person=person, area=area, received_at=received_at or timezone.now() - timedelta(days=3), **kwargs)
    services.marac_referrals_from_referrals([made])
    return MaracReferral.objects.get(referral=made)


def meeting(
    marac: Organisation,
    *,
    held_at: datetime | None = None,
    agencies: list[Organisation] = (),  # type: ignore[assignment]
    build: bool = False,
    release: bool = False,
) -> Meeting:
    made = services.meeting_create(
        request=None,
        marac=marac,
        held_at=held_at or timezone.now() + timedelta(days=1),
        chair="DI Test",
        agencies=list(agencies),
    )
    if build:
        services.agenda_build(request=None, meeting=made)
    if release:
        services.agenda_release(request=None, meeting=made)
    made.refresh_from_db()
    return made


def day(text: str) -> date:
    return date.fromisoformat(text)
