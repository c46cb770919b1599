"""Scoped reads for cases. Every view reaches a case through cases_for (404 outside it)."""

from __future__ import annotations

from django.db.models import QuerySet

from safepath.cases.models import Case, PathwaySettings, Team, VolunteerAssignment
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import Pathway

WORKER_ROLES = {Role.CASEWORKER, Role.TEAM_MANAGER}


def _membership(user: object) -> object | None:
    return getattr(user, "current_membership", None)


def cases_for(user: object) -> QuerySet[Case]:
    """Cases the user may open: a provider's caseworkers and managers see their organisation's
    cases; a volunteer sees only the cases they are currently assigned to; nobody else any."""
    membership = _membership(user)
    if membership is None or membership.organisation.type != OrganisationType.PROVIDER:  # type: ignore[attr-defined]
        return Case.objects.none()
    if membership.role in WORKER_ROLES:  # type: ignore[attr-defined]
        return Case.objects.filter(provider_id=membership.organisation_id)  # type: ignore[attr-defined]
    if membership.role == Role.VOLUNTEER:  # type: ignore[attr-defined]
        return Case.objects.filter(
            provider_id=membership.organisation_id,  # type: ignore[attr-defined]
            volunteer_assignments__volunteer=user,
            volunteer_assignments__ended_on__isnull=True,
        )
    return Case.objects.none()


def volunteer_assignments_for(user: object) -> QuerySet[VolunteerAssignment]:
    """A volunteer's current assignments at the organisation they are acting for."""
    membership = _membership(user)
    if membership is None or membership.role != Role.VOLUNTEER:  # type: ignore[attr-defined]
        return VolunteerAssignment.objects.none()
    return VolunteerAssignment.objects.filter(
        volunteer=user,
        ended_on__isnull=True,
        case__provider_id=membership.organisation_id,  # type: ignore[attr-defined]
    )


def teams_for(user: object) -> QuerySet[Team]:
    membership = _membership(user)
    if membership is None or membership.organisation.type != OrganisationType.PROVIDER:  # type: ignore[attr-defined]
        return Team.objects.none()
    return Team.objects.filter(organisation_id=membership.organisation_id, is_active=True)  # type: ignore[attr-defined]


def settings_for(pathway: Pathway | int) -> PathwaySettings:
    """The pathway's settings; defaults (saved) when an administrator has not set any."""
    pathway_id = pathway if isinstance(pathway, int) else pathway.pk
    settings, _ = PathwaySettings.objects.get_or_create(pathway_id=pathway_id)
    return settings
