"""Permissions for safe accommodation. Which services and placements a user can reach at all
is decided by accommodation.selectors (404 outside them); these decide what they may do there.

| permission | who |
|---|---|
| SEARCH | provider caseworkers and managers, hub triage workers and managers |
| VIEW_SERVICES | provider caseworkers and managers (their own services), commissioners, administrators |
| MANAGE_VACANCIES | provider caseworkers and managers (their own services' bedspaces and placements) |
| MANAGE_SERVICES | provider team managers (add their organisation's services and spaces) |
| VIEW_RETURN | commissioners, administrators (figures suppressed) |
| REFER | provider caseworkers and managers, from a case they hold |
| DECIDE_PLACEMENT | staff of the provider running the placement's service |
| WITHDRAW_PLACEMENT | staff of the provider that referred |
"""

import rules

from safepath.core.access import acting_at, has_role
from safepath.core.roles import OrganisationType, Role

provider_workers = acting_at(OrganisationType.PROVIDER, Role.CASEWORKER, Role.TEAM_MANAGER)
provider_manager = acting_at(OrganisationType.PROVIDER, Role.TEAM_MANAGER)
hub_workers = acting_at(OrganisationType.HUB, Role.TRIAGE_WORKER, Role.TEAM_MANAGER)
commissioner = acting_at(OrganisationType.COMMISSIONER, Role.COMMISSIONER)
administrator = has_role(Role.ADMINISTRATOR)

SEARCH = "accommodation.search"
VIEW_SERVICES = "accommodation.view_services"
MANAGE_VACANCIES = "accommodation.manage_vacancies"
MANAGE_SERVICES = "accommodation.manage_services"
VIEW_RETURN = "accommodation.view_return"
REFER = "accommodation.refer"
DECIDE_PLACEMENT = "accommodation.decide_placement"
WITHDRAW_PLACEMENT = "accommodation.withdraw_placement"


def _org_id(user: object) -> int | None:
    membership = getattr(user, "current_membership", None)
    return membership.organisation_id if membership else None


@rules.predicate
def runs_service(user: object, placement: object) -> bool:
    """The placement's service is run by the user's organisation (None: any placement)."""
    if placement is None:
        return True
    return placement.service.provider_id == _org_id(user)  # type: ignore[attr-defined]


@rules.predicate
def referred_it(user: object, placement: object) -> bool:
    if placement is None:
        return True
    return placement.referring_organisation_id == _org_id(user)  # type: ignore[attr-defined]


rules.add_perm(SEARCH, provider_workers | hub_workers)
rules.add_perm(VIEW_SERVICES, provider_workers | commissioner | administrator)
rules.add_perm(MANAGE_VACANCIES, provider_workers)
rules.add_perm(MANAGE_SERVICES, provider_manager)
rules.add_perm(VIEW_RETURN, commissioner | administrator)
rules.add_perm(REFER, provider_workers)
rules.add_perm(DECIDE_PLACEMENT, provider_workers & runs_service)
rules.add_perm(WITHDRAW_PLACEMENT, provider_workers & referred_it)
