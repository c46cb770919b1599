"""Roles and organisation types (DOMAIN.md, "Who uses safepath"). Pure data, no Django models."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    COMMISSIONER = "commissioner", _("Commissioner")
    PROVIDER = "provider", _("Provider")
    HUB = "hub", _("Single point of access (hub)")
    REFERRING_AGENCY = "referring_agency", _("Referring agency")
    MARAC = "marac", _("MARAC")


class Role(models.TextChoices):
    TRIAGE_WORKER = "triage_worker", _("Triage worker")
    CASEWORKER = "caseworker", _("Caseworker")
    TEAM_MANAGER = "team_manager", _("Team manager")
    VOLUNTEER = "volunteer", _("Volunteer")
    MARAC_COORDINATOR = "marac_coordinator", _("MARAC coordinator")
    MARAC_REPRESENTATIVE = "marac_representative", _("MARAC representative")
    REFERRING_PROFESSIONAL = "referring_professional", _("Referring professional")
    COMMISSIONER = "commissioner", _("Commissioner")
    ADMINISTRATOR = "administrator", _("Administrator")


# Which roles each kind of organisation can hold. Administrators belong to the
# host organisation, which may be of any type.
ROLES_BY_ORGANISATION_TYPE: dict[str, frozenset[str]] = {
    OrganisationType.COMMISSIONER: frozenset({Role.COMMISSIONER, Role.ADMINISTRATOR}),
    OrganisationType.PROVIDER: frozenset(
        {Role.CASEWORKER, Role.TEAM_MANAGER, Role.VOLUNTEER, Role.MARAC_REPRESENTATIVE, Role.ADMINISTRATOR}
    ),
    OrganisationType.HUB: frozenset(
        {Role.TRIAGE_WORKER, Role.TEAM_MANAGER, Role.MARAC_REPRESENTATIVE, Role.ADMINISTRATOR}
    ),
    OrganisationType.REFERRING_AGENCY: frozenset(
        {Role.REFERRING_PROFESSIONAL, Role.MARAC_REPRESENTATIVE, Role.MARAC_COORDINATOR, Role.ADMINISTRATOR}
    ),
    OrganisationType.MARAC: frozenset({Role.MARAC_COORDINATOR, Role.MARAC_REPRESENTATIVE, Role.ADMINISTRATOR}),
}

# Every role is a staff role and must use multi-factor authentication.
STAFF_ROLES = frozenset(Role.values)


def role_allowed(organisation_type: str, role: str) -> bool:
    return role in ROLES_BY_ORGANISATION_TYPE.get(organisation_type, frozenset())
