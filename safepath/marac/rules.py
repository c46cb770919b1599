"""Permissions for MARAC.

Which meetings, cases and actions a user can reach at all is decided by marac.selectors (404
outside them: a representative outside a meeting's access window gets 404); these decide what
each role may do there.
"""

import rules

from safepath.cases.rules import provider_workers
from safepath.core.access import acting_at, has_role
from safepath.core.roles import OrganisationType, Role

# A MARAC is run from a MARAC organisation, or from a referring agency (often the police).
coordinator = acting_at(OrganisationType.MARAC, Role.MARAC_COORDINATOR) | acting_at(
    OrganisationType.REFERRING_AGENCY, Role.MARAC_COORDINATOR
)
# Representatives belong to any partner agency (roles.ROLES_BY_ORGANISATION_TYPE decides which).
representative = has_role(Role.MARAC_REPRESENTATIVE)
commissioner = acting_at(OrganisationType.COMMISSIONER, Role.COMMISSIONER)

VIEW_MEETINGS = "marac.view_meetings"
COORDINATE = "marac.coordinate"  # MARAC referrals, meetings, agendas, minutes, case history
VIEW_ACTIONS = "marac.view_actions"
AGREE_ACTIONS = "marac.agree_actions"
RECORD_RESEARCH = "marac.record_research"
VIEW_DATASET = "marac.view_dataset"
REFER = "marac.refer"

rules.add_perm(VIEW_MEETINGS, coordinator | representative)
rules.add_perm(COORDINATE, coordinator)
rules.add_perm(VIEW_ACTIONS, coordinator | representative)
rules.add_perm(AGREE_ACTIONS, coordinator | representative)
rules.add_perm(RECORD_RESEARCH, representative)
rules.add_perm(VIEW_DATASET, coordinator | commissioner)
rules.add_perm(REFER, representative | coordinator | provider_workers)
