"""Permissions for group programmes, volunteers' sessions and perpetrator interventions.

Which records a user can reach at all is decided by programmes.selectors (404 outside them);
these decide what they may do there. Group programmes and volunteers use the case
permissions (cases.rules): caseworkers and managers work with programmes (WORK_CASES),
managers set them up and assign volunteers (MANAGE_CASES), volunteers record their
sessions (VOLUNTEER_SESSIONS).
"""

import rules

from safepath.cases.rules import MANAGE_CASES, VOLUNTEER_SESSIONS, WORK_CASES, provider_workers

VIEW_PROGRAMMES = WORK_CASES  # programmes, cohorts, enrolments, attendance
MANAGE_PROGRAMMES = MANAGE_CASES  # add programmes and cohorts
ASSIGN_VOLUNTEERS = MANAGE_CASES
RECORD_VOLUNTEER_SESSIONS = VOLUNTEER_SESSIONS

# Perpetrator interventions: caseworkers and managers at a provider see the orders their
# organisation placed or delivers (orders_for scopes which); only the delivering provider
# changes an order's status and outcome.
VIEW_ORDERS = "programmes.view_orders"
UPDATE_ORDER = "programmes.update_order"


@rules.predicate
def delivers_order(user: object, order: object) -> bool:
    membership = getattr(user, "current_membership", None)
    return bool(membership and order is not None and getattr(order, "provider_id", None) == membership.organisation_id)


rules.add_perm(VIEW_ORDERS, provider_workers)
rules.add_perm(UPDATE_ORDER, provider_workers & delivers_order)
