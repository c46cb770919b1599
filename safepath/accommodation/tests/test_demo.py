"""The demo's safe-accommodation records: services in the scenario's areas and one out of area,
placements in and out of area, declines for no capacity; loaded once, quickly."""

from __future__ import annotations

import time

import pytest
from django.utils import timezone

from safepath.accommodation import demo
from safepath.accommodation.models import Placement, Service
from safepath.accounts.models import Organisation
from safepath.areas.models import Area
from safepath.demo.scenarios import LEICESTERSHIRE, MEDWAY
from safepath.demo.services import _load_areas
from safepath.programmes.tests.factories import open_case


@pytest.mark.django_db
@pytest.mark.parametrize("scenario", [MEDWAY, LEICESTERSHIRE], ids=["medway", "leicestershire"])
def test_it_loads_services_and_placements_once(scenario):
    _load_areas(scenario)
    orgs = {
        key: Organisation.objects.create(name=name, type=kind)
        for key, (name, kind, _a) in scenario.organisations.items()
    }
    areas = list(Area.objects.all())
    for i in range(50):
        case = open_case(orgs["hub"], orgs["provider"], f"Person{i}", "Demo", "safe-accommodation")
        case.person.area = areas[i % len(areas)]
        case.person.save()
    started = time.monotonic()
    demo.demo_load(scenario=scenario, organisations=orgs, end=timezone.now())
    assert time.monotonic() - started < 10
    counts = (Service.objects.count(), Placement.objects.count())
    demo.demo_load(scenario=scenario, organisations=orgs, end=timezone.now())
    assert (Service.objects.count(), Placement.objects.count()) == counts
    placements = Placement.objects.all()
    assert (
        placements.filter(out_of_area=True).exists()
        and placements.filter(out_of_area=False, status="in_support").exists()
    )
    assert placements.filter(status="declined", decline_reason="no_capacity").exists()
    assert placements.filter(status="ended").exclude(destination="").exists()
    assert Service.objects.filter(provider=orgs["provider"]).values("area").distinct().count() >= 2
    assert Service.objects.filter(type="sanctuary").exists()
