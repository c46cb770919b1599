"""Records for the drop-in tests, written directly (the report reads only what is stored)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.utils import timezone

from safepath.accounts.models import Organisation
from safepath.areas.models import Area
from safepath.core.roles import OrganisationType
from safepath.dropins.models import Venue, Visit
from safepath.testing import OrganisationFactory

_numbers = itertools.count(1)


def provider() -> Organisation:
    return OrganisationFactory(type=OrganisationType.PROVIDER)


def venue(provider: Organisation, area: Area, name: str = "", **kwargs: Any) -> Venue:
    return Venue.objects.create(provider=provider, area=area, name=name or f"Venue {next(_numbers)}", **kwargs)


def visit(venue: Venue, on: date, visitor: str = "new", outcomes: list[str] | None = None, **kwargs: Any) -> Visit:
    return Visit.objects.create(
        provider_id=venue.provider_id,
        venue=venue,
        on=on,
        visitor=visitor,
        outcomes=outcomes if outcomes is not None else ["information_advice"],
        recorded_at=timezone.now(),
        **kwargs,
    )
