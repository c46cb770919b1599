"""Permissions for cases. Which cases a user can reach at all is decided by
cases.selectors.cases_for (404 outside it); these decide what they may do there."""

import rules

from safepath.core.access import acting_at, has_role
from safepath.core.roles import OrganisationType, Role

provider_workers = acting_at(OrganisationType.PROVIDER, Role.CASEWORKER, Role.TEAM_MANAGER)
provider_manager = acting_at(OrganisationType.PROVIDER, Role.TEAM_MANAGER)
provider_volunteer = acting_at(OrganisationType.PROVIDER, Role.VOLUNTEER)
administrator = has_role(Role.ADMINISTRATOR)

VIEW_CASES = "cases.view_cases"  # case pages, caseloads (workers and managers)
WORK_CASES = "cases.work_cases"  # contacts, notes, safety plans, reviews, outcomes
MANAGE_CASES = "cases.manage_cases"  # allocate, waiting lists, team view, approve closure, decide handovers
VOLUNTEER_SESSIONS = "cases.volunteer_sessions"  # a volunteer's assigned people and their sessions
CONFIGURE_PATHWAYS = "cases.configure_pathways"  # support periods, windows, engagement rules, benchmarks

rules.add_perm(VIEW_CASES, provider_workers)
rules.add_perm(WORK_CASES, provider_workers)
rules.add_perm(MANAGE_CASES, provider_manager)
rules.add_perm(VOLUNTEER_SESSIONS, provider_volunteer)
rules.add_perm(CONFIGURE_PATHWAYS, administrator)
