"""Demo records for safe accommodation: services in the scenario's areas (and one partner
refuge out of area), bedspaces with vacancies, and placements made record by record through
the services from existing cases: in area and out of area, moved on, and declined for no
capacity. Every figure in the return is counted from these records. Runs once per scenario.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from safepath.accommodation import matching, services
from safepath.accommodation.choices import BedspaceState, ServiceType
from safepath.accommodation.models import Service
from safepath.accommodation.selectors import is_out_of_area
from safepath.accounts.models import Organisation
from safepath.areas.models import Area, RuralUrbanClass
from safepath.cases.choices import OPEN_STATUSES
from safepath.cases.models import Case
from safepath.core.roles import OrganisationType

# (name, type, area, bedspaces, space attributes, service attributes); area None: the council.
SERVICES: dict[str, list[tuple[str, str, str | None, int, dict[str, Any], dict[str, Any]]]] = {
    "medway": [
        (
            "Medway Women's Refuge",
            ServiceType.REFUGE,
            "Chatham",
            8,
            {"max_children": 3, "max_boy_age": 14},
            {"languages": "Polish, Punjabi"},
        ),
        (
            "Medway Dispersed Homes",
            ServiceType.DISPERSED,
            "Gillingham and Rainham",
            5,
            {"max_children": 4, "accepts_men": True, "accepts_pets": True},
            {},
        ),
        ("Medway Sanctuary Scheme", ServiceType.SANCTUARY, None, 0, {}, {}),
    ],
    "leicestershire": [
        (
            "Leicester City Refuge",
            ServiceType.REFUGE,
            "Leicester",
            10,
            {"max_children": 3, "max_boy_age": 12},
            {"languages": "Gujarati, Urdu, Punjabi", "by_and_for": "South Asian women"},
        ),
        (
            "Charnwood Second Stage Flats",
            ServiceType.SECOND_STAGE,
            "Charnwood",
            6,
            {"max_children": 3, "accessible": True},
            {},
        ),
        (
            "Melton Dispersed Homes",
            ServiceType.DISPERSED,
            "Melton",
            4,
            {"max_children": 4, "accepts_men": True, "accepts_pets": True},
            {"lgbt": True},
        ),
        ("Leicestershire Sanctuary Scheme", ServiceType.SANCTUARY, None, 0, {}, {}),
    ],
}
# A partner outside the scenario's council, for placements out of area.
PARTNER = {
    "medway": ("West Kent Refuge Partnership", "Maidstone", "Maidstone Refuge"),
    "leicestershire": ("Trent Women's Aid", "Nottingham", "Nottingham Refuge"),
}
COUNCIL = {"medway": "Medway", "leicestershire": "Leicester and Leicestershire"}
STREETS = ["Orchard Row", "Mill Lane", "Chapel Walk", "Station Yard", "Elm Close"]


def _address(rng: random.Random, town: str) -> str:
    return f"{rng.randint(2, 90)} {rng.choice(STREETS)}, {town}"


def _services(scenario_name: str, provider: Organisation, rng: random.Random) -> list[Service]:
    made = []
    council = Area.objects.get(name=COUNCIL[scenario_name])
    for name, kind, area_name, spaces, space, extra in SERVICES[scenario_name]:
        area = Area.objects.get(name=area_name) if area_name else council
        service = services.service_create(
            request=None, provider=provider, area=area, name=name, type=kind, address=_address(rng, area.name), **extra
        )
        for n in range(spaces):
            services.bedspace_add(request=None, service=service, label=f"Room {n + 1}", **space)
        made.append(service)
    return made


def _partner(scenario_name: str, rng: random.Random) -> Service:
    org_name, area_name, service_name = PARTNER[scenario_name]
    org, _ = Organisation.objects.update_or_create(name=org_name, defaults={"type": OrganisationType.PROVIDER})
    area, _ = Area.objects.update_or_create(
        name=area_name,
        defaults={"rural_urban_class": RuralUrbanClass.URBAN_CITY_TOWN, "adult_women": 70_000, "adult_men": 68_000},
    )
    service = services.service_create(
        request=None,
        provider=org,
        area=area,
        name=service_name,
        type=ServiceType.REFUGE,
        address=_address(rng, area_name),
    )
    for n in range(6):
        services.bedspace_add(request=None, service=service, label=f"Room {n + 1}", max_children=3, accepts_men=False)
    return service


def _at(day: Any) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=timezone.get_current_timezone())


def _children(rng: random.Random) -> list[matching.Child]:
    return [
        matching.Child(rng.randint(0, 12), rng.choice([matching.GIRL, matching.BOY]))
        for _ in range(rng.choice([0, 0, 1, 1, 2, 3]))
    ]


def _stay(case: Case, service: Service, partner: Service, rng: random.Random, today: Any) -> None:
    """One household's journey: sometimes declined for no capacity first (then placed out of
    area), placed, and, for older placements, moved on."""
    start = today - timedelta(days=rng.randint(5, 330))
    children = _children(rng)
    target = service
    if rng.random() < 0.25:  # no local space: declined, then placed with the partner out of area
        first = services.placement_refer(
            request=None,
            case=case,
            service=service,
            token=_token(rng),
            children=children,
            referred_at=_at(start - timedelta(days=2)),
        )
        services.placement_decline(
            request=None, placement=first, reason="no_capacity", at=_at(start - timedelta(days=1))
        )
        target = partner
    reason = "no_local_space" if target is partner else ""
    if target is not partner and rng.random() < 0.1:
        target, reason = partner, "safety"
    if is_out_of_area(target, case.person.area) and not reason:
        reason = "household_choice"
    bedspace = target.bedspaces.filter(state=BedspaceState.VACANT).first() if not target.is_sanctuary else None
    if not target.is_sanctuary and bedspace is None:
        return
    placement = services.placement_refer(
        request=None,
        case=case,
        service=target,
        token=_token(rng),
        children=children,
        out_of_area_reason=reason,
        referred_at=_at(start - timedelta(days=1)),
    )
    services.placement_accept(request=None, placement=placement, at=_at(start - timedelta(days=1)))
    services.placement_move_in(
        request=None,
        placement=placement,
        moved_in_on=start,
        bedspace=bedspace,
        measures="New locks, door and window alarms" if target.is_sanctuary else "",
    )
    if (today - start).days > 60 and rng.random() < 0.7:
        ended = start + timedelta(days=rng.randint(20, min(200, (today - start).days)))
        reason, place = rng.choice(
            [
                ("planned_move_on", "own_tenancy"),
                ("planned_move_on", "private_rented"),
                ("left_unplanned", "family_friends"),
                ("moved_for_safety", "another_refuge"),
            ]
        )
        if target.is_sanctuary:
            reason, place = "measures_complete", "stayed_home"
        services.placement_end(request=None, placement=placement, ended_on=ended, reason=reason, destination=place)


def _token(rng: random.Random) -> str:
    return f"{rng.getrandbits(128):032x}"


def demo_load(*, scenario: Any, organisations: dict[str, Organisation], end: datetime) -> None:
    if scenario.name not in SERVICES:
        return
    provider = organisations["provider"]
    if Service.objects.filter(provider=provider).exists():
        return  # loaded before
    rng = random.Random(f"accommodation-{scenario.name}")  # noqa: S311 - synthetic data, repeatable
    local = _services(scenario.name, provider, rng)
    partner = _partner(scenario.name, rng)
    today = timezone.localdate(end)
    cases = list(
        Case.objects.filter(provider=provider, status__in=OPEN_STATUSES)
        .select_related("person__area")
        .order_by("pk")[:45]
    )
    for case in cases:
        _stay(case, rng.choice(local), partner, rng, today)
    # Some declines that ended nowhere (no capacity anywhere local), and a few spaces out of use.
    for case in Case.objects.filter(provider=provider, status__in=OPEN_STATUSES).order_by("-pk")[:8]:
        placement = services.placement_refer(
            request=None,
            case=case,
            service=local[0],
            token=_token(rng),
            referred_at=_at(today - timedelta(days=rng.randint(1, 300))),
        )
        services.placement_decline(
            request=None,
            placement=placement,
            reason=rng.choice(["no_capacity", "no_capacity", "needs_not_met", "risk_to_others"]),
            at=placement.referred_at,
        )
    for service in local:
        for bedspace in service.bedspaces.filter(state=BedspaceState.VACANT)[:1]:
            services.bedspace_state_set(request=None, bedspace=bedspace, state=BedspaceState.OUT_OF_USE)
