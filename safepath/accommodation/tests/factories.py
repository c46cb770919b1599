"""Records for the accommodation tests and URL table: areas (councils with localities),
services with bedspaces and secret addresses, cases and placements made through the services."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from safepath.accommodation import matching, services
from safepath.accommodation.choices import ServiceType
from safepath.accommodation.models import Bedspace, Placement, Service
from safepath.accounts.models import Organisation
from safepath.areas.models import Area
from safepath.cases.models import Case
from safepath.core.roles import OrganisationType
from safepath.programmes.tests.factories import open_case
from safepath.testing import AreaFactory, OrganisationFactory

# Every address in the tests contains this marker; no response outside the service may.
MARKER = "Xylophone Mews"


def token() -> str:
    return uuid.uuid4().hex


def council(name: str, *localities: str) -> tuple[Area, list[Area]]:
    parent = AreaFactory(name=name)
    return parent, [AreaFactory(name=n, parent=parent) for n in localities]


def provider(name: str | None = None) -> Organisation:
    return OrganisationFactory(type=OrganisationType.PROVIDER, **({"name": name} if name else {}))


def make_service(
    org: Organisation,
    area: Area,
    name: str | None = None,
    type: str = ServiceType.REFUGE,
    spaces: int = 2,
    address: str | None = None,
    **space: Any,
) -> Service:
    service = services.service_create(
        request=None,
        provider=org,
        area=area,
        name=name or f"Service {uuid.uuid4().hex[:6]}",
        type=type,
        address=address if address is not None else f"{uuid.uuid4().hex[:4]} {MARKER}, Testtown",
    )
    if type != ServiceType.SANCTUARY:
        for n in range(spaces):
            services.bedspace_add(request=None, service=service, label=f"Room {n + 1}", **({"max_children": 3} | space))
    return service


def make_case(
    hub: Organisation, org: Organisation, first: str = "Morwenna", last: str = "Tregothnan", **person: Any
) -> Case:
    case = open_case(hub, org, first, last, "safe-accommodation")
    if person:
        type(case.person).objects.filter(pk=case.person.pk).update(**person)
        case.person.refresh_from_db()
    return case


def refer(case: Case, service: Service, children: list[matching.Child] | None = None, **kwargs: Any) -> Placement:
    return services.placement_refer(
        request=None, case=case, service=service, token=token(), children=children or [], **kwargs
    )


def _day_before(day: date) -> datetime:
    return datetime.combine(day - timedelta(days=1), time(10, 0), tzinfo=timezone.get_current_timezone())


def place(
    case: Case, service: Service, moved_in_on: date, bedspace: Bedspace | None = None, **kwargs: Any
) -> Placement:
    placement = refer(case, service, referred_at=_day_before(moved_in_on), **kwargs)
    services.placement_accept(request=None, placement=placement, at=_day_before(moved_in_on))
    if service.is_sanctuary:
        return services.placement_move_in(
            request=None, placement=placement, moved_in_on=moved_in_on, measures="New locks and a door alarm"
        )
    space = bedspace or service.bedspaces.filter(state="vacant").first()
    return services.placement_move_in(request=None, placement=placement, moved_in_on=moved_in_on, bedspace=space)


def decline(
    case: Case, service: Service, reason: str = "no_capacity", on: date | None = None, **kwargs: Any
) -> Placement:
    at = _day_before(on + timedelta(days=1)) if on else None
    placement = refer(case, service, referred_at=at, **kwargs)
    return services.placement_decline(request=None, placement=placement, reason=reason, at=at)


def move_on(
    placement: Placement, ended_on: date, reason: str = "planned_move_on", destination: str = "own_tenancy"
) -> Placement:
    return services.placement_end(
        request=None, placement=placement, ended_on=ended_on, reason=reason, destination=destination
    )


def unmet(case: Case, area: Area, reason: str, on: date) -> Any:
    return services.unmet_need_record(
        request=None,
        case=case,
        area=area,
        reason=reason,
        token=token(),
        recorded_at=_day_before(on + timedelta(days=1)),
    )
