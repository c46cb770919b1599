"""Permissions for reporting.

The dashboard shows aggregate figures only, never a person: commissioners see it for the areas
their organisation serves (reporting.selectors.dashboard_areas), administrators for any area.
"""

import rules

from safepath.core.access import acting_at, has_role
from safepath.core.roles import OrganisationType, Role

VIEW_DASHBOARD = "reporting.view_dashboard"

commissioner = acting_at(OrganisationType.COMMISSIONER, Role.COMMISSIONER)
administrator = has_role(Role.ADMINISTRATOR)

rules.add_perm(VIEW_DASHBOARD, commissioner | administrator)
