"""Permissions for areas: administrators configure them; commissioners may read them."""

import rules

from safepath.core.access import has_role
from safepath.core.roles import Role

VIEW_AREAS = "areas.view_areas"
MANAGE_AREAS = "areas.manage_areas"

rules.add_perm(VIEW_AREAS, has_role(Role.ADMINISTRATOR, Role.COMMISSIONER))
rules.add_perm(MANAGE_AREAS, has_role(Role.ADMINISTRATOR))
