"""Permissions for referrals, triage, routing and import."""

import rules

from safepath.core.access import acting_at
from safepath.core.roles import OrganisationType, Role

hub_staff = acting_at(OrganisationType.HUB, Role.TRIAGE_WORKER, Role.TEAM_MANAGER)
referrer = acting_at(OrganisationType.REFERRING_AGENCY, Role.REFERRING_PROFESSIONAL)
provider_staff = acting_at(OrganisationType.PROVIDER, Role.CASEWORKER, Role.TEAM_MANAGER)
provider_manager = acting_at(OrganisationType.PROVIDER, Role.TEAM_MANAGER)

MAKE_REFERRAL = "referrals.make_referral"
VIEW_OWN_REFERRALS = "referrals.view_own_referrals"
TRIAGE = "referrals.triage"  # see the queue and referral details, record contact attempts
CHANGE_STATUS = "referrals.change_status"  # decline, signpost, withdraw, route
IMPORT = "referrals.import"
VIEW_WORK_ITEMS = "referrals.view_work_items"  # a provider's incoming routed referrals
DECIDE_WORK_ITEMS = "referrals.decide_work_items"

rules.add_perm(MAKE_REFERRAL, referrer)
rules.add_perm(VIEW_OWN_REFERRALS, referrer)
rules.add_perm(TRIAGE, hub_staff)
rules.add_perm(CHANGE_STATUS, hub_staff)
rules.add_perm(IMPORT, hub_staff)
rules.add_perm(VIEW_WORK_ITEMS, provider_staff)
rules.add_perm(DECIDE_WORK_ITEMS, provider_manager)
