"""Scoped reads for safe accommodation.

Services: a provider's caseworkers and managers reach their own organisation's services;
commissioners and administrators reach every service (never its address); nobody else any.
Placements: a provider's caseworkers and managers reach placements to services their
organisation runs (the receiving side) and placements their organisation referred (the
referring side); nobody else any. The address is shown to the receiving side's staff only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from safepath.accommodation import matching
from safepath.accommodation.choices import (
    DECLINE_REASONS,
    DESTINATIONS,
    END_REASONS,
    BedspaceState,
    ServiceType,
)
from safepath.accommodation.crypto import AddressUnreadable, unseal
from safepath.accommodation.models import Bedspace, Placement, Service, UnmetNeed
from safepath.areas.models import Area
from safepath.core.models import VocabularyTerm
from safepath.core.roles import OrganisationType, Role

WORKER_ROLES = {Role.CASEWORKER, Role.TEAM_MANAGER}


def _membership(user: object) -> Any:
    return getattr(user, "current_membership", None)


def _provider_worker_org(user: object) -> int | None:
    membership = _membership(user)
    if membership is None or membership.organisation.type != OrganisationType.PROVIDER:
        return None
    return membership.organisation_id if membership.role in WORKER_ROLES else None


def services_for(user: object) -> QuerySet[Service]:
    org_id = _provider_worker_org(user)
    if org_id is not None:
        return Service.objects.filter(provider_id=org_id)
    membership = _membership(user)
    if membership is not None and (
        membership.role == Role.ADMINISTRATOR
        or (membership.role == Role.COMMISSIONER and membership.organisation.type == OrganisationType.COMMISSIONER)
    ):
        return Service.objects.all()
    return Service.objects.none()


def own_services(user: object) -> QuerySet[Service]:
    """Services run by the user's organisation (whose staff keep vacancies and see addresses)."""
    org_id = _provider_worker_org(user)
    return Service.objects.filter(provider_id=org_id) if org_id is not None else Service.objects.none()


def own_bedspaces(user: object) -> QuerySet[Bedspace]:
    org_id = _provider_worker_org(user)
    if org_id is None:
        return Bedspace.objects.none()
    return Bedspace.objects.filter(service__provider_id=org_id, is_active=True, service__is_active=True)


def is_own_staff(user: object, service: Service) -> bool:
    return _provider_worker_org(user) == service.provider_id and service.provider_id is not None


def address_for(user: object, service: Service) -> str | None:
    """The address for the service's own staff; None for everyone else (never shown)."""
    if not is_own_staff(user, service):
        return None
    try:
        return unseal(service.address_sealed)
    except AddressUnreadable:
        return ""


def placements_for(user: object) -> QuerySet[Placement]:
    org_id = _provider_worker_org(user)
    if org_id is None:
        return Placement.objects.none()
    return Placement.objects.filter(Q(service__provider_id=org_id) | Q(referring_organisation_id=org_id))


def incoming_placements(user: object) -> QuerySet[Placement]:
    org_id = _provider_worker_org(user)
    if org_id is None:
        return Placement.objects.none()
    return Placement.objects.filter(service__provider_id=org_id)


def case_placements(case: Any) -> QuerySet[Placement]:
    """Placements from a case (the case was reached through cases_for)."""
    return Placement.objects.filter(case=case).select_related("service", "service__area", "service__provider")


def vacant_bedspaces(service: Service) -> QuerySet[Bedspace]:
    return service.bedspaces.filter(is_active=True, state__in=[BedspaceState.VACANT, BedspaceState.RESERVED])


# --- vocabularies -----------------------------------------------------------------------------


def terms(vocabulary: str) -> QuerySet[VocabularyTerm]:
    return VocabularyTerm.objects.filter(vocabulary=vocabulary, is_active=True)


def labels(vocabulary: str) -> dict[str, str]:
    """Every term's label by code, retired ones too (old records keep their meaning)."""
    return dict(VocabularyTerm.objects.filter(vocabulary=vocabulary).values_list("code", "label"))


def decline_reasons() -> QuerySet[VocabularyTerm]:
    return terms(DECLINE_REASONS)


def end_reasons() -> QuerySet[VocabularyTerm]:
    return terms(END_REASONS)


def destinations() -> QuerySet[VocabularyTerm]:
    return terms(DESTINATIONS)


# --- areas ------------------------------------------------------------------------------------


def council_of(area: Area | None) -> int | None:
    return None if area is None else (area.parent_id or area.pk)


def area_and_descendants(area: Area) -> list[int]:
    """The area's id and every area under it (a council and its localities)."""
    ids, frontier = [area.pk], [area.pk]
    while frontier:
        frontier = list(Area.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        frontier = [pk for pk in frontier if pk not in ids]
        ids += frontier
    return ids


def is_out_of_area(service: Service, home: Area | None) -> bool:
    """Out of area: outside the household's council (a placement there records why)."""
    if home is None:
        return False
    rank = matching.locality(service.area_id, service.area.parent_id, home.pk, home.parent_id)
    return rank == matching.ELSEWHERE


# --- search -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    service: Service
    vacancies: int
    gaps: list[str]
    locality: int

    @property
    def fits(self) -> bool:
        return not self.gaps

    @property
    def where(self) -> str:
        return {
            matching.SAME_AREA: "In the household's area",
            matching.SAME_COUNCIL: "In the household's council",
        }.get(self.locality, "Out of area")


def space_of(bedspace: Bedspace) -> matching.Space:
    service = bedspace.service
    return matching.Space(
        accessible=bedspace.accessible,
        accepts_men=bedspace.accepts_men,
        max_children=bedspace.max_children,
        max_boy_age=bedspace.max_boy_age,
        accepts_pets=bedspace.accepts_pets,
        languages=tuple(service.language_list()),
        by_and_for=bool(service.by_and_for),
        lgbt=service.lgbt,
        complex_needs=service.complex_needs,
    )


def search(need: matching.Need, home: Area | None) -> list[Result]:
    """Services with a vacant bedspace, local first, then by how well their best vacancy fits.
    Only vacant bedspaces count (reserved ones are held for someone)."""
    bedspaces = Bedspace.objects.filter(
        is_active=True, state=BedspaceState.VACANT, service__is_active=True
    ).select_related("service", "service__area", "service__provider")
    best: dict[int, tuple[list[str], int, Service]] = {}
    for bedspace in bedspaces:
        found = matching.gaps(need, space_of(bedspace))
        current = best.get(bedspace.service_id)
        if current is None:
            best[bedspace.service_id] = (found, 1, bedspace.service)
        else:
            fewer = found if len(found) < len(current[0]) else current[0]
            best[bedspace.service_id] = (fewer, current[1] + 1, current[2])
    home_id, home_council = (home.pk, home.parent_id) if home else (None, None)
    results = [
        Result(service, count, found, matching.locality(service.area_id, service.area.parent_id, home_id, home_council))
        for found, count, service in best.values()
    ]
    return sorted(results, key=lambda r: (r.locality, len(r.gaps), r.service.name))


def sanctuary_schemes(home: Area | None) -> QuerySet[Service]:
    """Sanctuary schemes in the household's council (security fitted at their own home)."""
    if home is None:
        return Service.objects.none()
    council = council_of(home)
    return (
        Service.objects.filter(type=ServiceType.SANCTUARY, is_active=True)
        .filter(Q(area_id=council) | Q(area__parent_id=council))
        .select_related("area", "provider")
    )


def referable_services() -> QuerySet[Service]:
    """Services anyone who may refer can refer to (no address is ever read from these)."""
    return Service.objects.filter(is_active=True)


def case_unmet_needs(case: Any) -> QuerySet[UnmetNeed]:
    """Records that the case's household could not be supported (the case was reached through cases_for)."""
    return UnmetNeed.objects.filter(case=case).select_related("area")
