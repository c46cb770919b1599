"""Permissions for risk configuration: administrators set the thresholds; commissioners may read them.

Not in a `rules.py` because rules' autodiscovery imports only `<app>/rules.py`, and
safepath/risk/rules.py holds the pure risk rules. safepath/people/urls.py imports this
module so that the permissions are registered whenever the URLs are loaded.
"""

import rules

from safepath.core.access import has_role
from safepath.core.roles import Role

VIEW_THRESHOLDS = "risk.view_thresholds"
MANAGE_THRESHOLDS = "risk.manage_thresholds"

rules.add_perm(VIEW_THRESHOLDS, has_role(Role.ADMINISTRATOR, Role.COMMISSIONER))
rules.add_perm(MANAGE_THRESHOLDS, has_role(Role.ADMINISTRATOR))
