"""Permissions for drop-in visits. Which visits and venues a user reaches at all is decided by
dropins.selectors (their own provider's only); these decide what they may do there."""

import rules

from safepath.core.access import acting_at
from safepath.core.roles import OrganisationType, Role

provider_workers = acting_at(OrganisationType.PROVIDER, Role.CASEWORKER, Role.TEAM_MANAGER)
provider_manager = acting_at(OrganisationType.PROVIDER, Role.TEAM_MANAGER)

RECORD_VISITS = "dropins.record_visits"  # record a visit, see the organisation's visit counts
MANAGE_VENUES = "dropins.manage_venues"  # open and retire the organisation's venues

rules.add_perm(RECORD_VISITS, provider_workers)
rules.add_perm(MANAGE_VENUES, provider_manager)
