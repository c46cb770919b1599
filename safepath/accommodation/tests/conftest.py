"""A small world for the accommodation view tests: two councils, a provider running services in
both (with secret addresses), a referring provider holding a case, and one of every other role."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from safepath.accommodation.choices import ServiceType
from safepath.accommodation.tests import factories as f
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, make_member

NOW = timezone.datetime(2026, 6, 1, 12, 0, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def frozen() -> Any:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def acc(db: Any, frozen: Any) -> dict[str, Any]:
    kent, (medway,) = f.council("Kent", "Medway")
    _leics, (city,) = f.council("Leicestershire", "Leicester City")
    hub = OrganisationFactory(type=OrganisationType.HUB)
    runner, referrer, other = f.provider("Haven Trust"), f.provider("Medway Outreach"), f.provider("Elsewhere Aid")
    refuge = f.make_service(runner, medway, "Medway Refuge", spaces=2)
    city_refuge = f.make_service(runner, city, "City Refuge", spaces=2, accepts_men=True)
    sanctuary = f.make_service(runner, medway, "Medway Sanctuary", type=ServiceType.SANCTUARY)
    case = f.make_case(hub, referrer, "Morwenna", "Tregothnan", area=medway)
    placement = f.place(case, refuge, date(2026, 5, 1))
    pending = f.refer(
        f.make_case(hub, referrer, "Tamsin", "Rowe", area=medway), city_refuge, out_of_area_reason="safety"
    )
    users = {
        "runner": make_member(Role.CASEWORKER, runner),
        "runner_manager": make_member(Role.TEAM_MANAGER, runner),
        "referrer": make_member(Role.CASEWORKER, referrer),
        "other": make_member(Role.CASEWORKER, other),
        "hub": make_member(Role.TRIAGE_WORKER, hub),
        "commissioner": make_member(Role.COMMISSIONER),
        "admin": make_member(Role.ADMINISTRATOR),
        "volunteer": make_member(Role.VOLUNTEER, runner),
    }
    return {
        "kent": kent,
        "medway": medway,
        "city": city,
        "refuge": refuge,
        "city_refuge": city_refuge,
        "sanctuary": sanctuary,
        "case": case,
        "placement": placement,
        "pending": pending,
        "users": users,
    }
