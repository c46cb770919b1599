"""Permissions for people's records and risk assessments. Which people a user can reach at
all is decided by people.selectors.people_for (404 outside it); these decide what they may do."""

import rules

from safepath.core.access import acting_at
from safepath.core.roles import OrganisationType, Role

hub_staff = acting_at(OrganisationType.HUB, Role.TRIAGE_WORKER, Role.TEAM_MANAGER)
provider_workers = acting_at(OrganisationType.PROVIDER, Role.CASEWORKER, Role.TEAM_MANAGER)

VIEW_PERSON = "people.view_person"
EDIT_PERSON = "people.edit_person"
MERGE_PEOPLE = "people.merge_people"
ASSESS_RISK = "people.assess_risk"

# Volunteers do not open person records: they see what they need about the people assigned
# to them on their own pages (programmes app).
rules.add_perm(VIEW_PERSON, hub_staff | provider_workers)
rules.add_perm(EDIT_PERSON, hub_staff | provider_workers)
rules.add_perm(MERGE_PEOPLE, hub_staff)
rules.add_perm(ASSESS_RISK, hub_staff | provider_workers)

# Risk-threshold permissions live beside their views; importing registers them.
from safepath.people import rules_risk  # noqa: E402, F401
