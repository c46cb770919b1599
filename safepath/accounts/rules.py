"""Permissions for accounts, organisations and the audit log (`rules` predicates).

Autodiscovered by rules.apps.AutodiscoverRulesConfig.
"""

import rules

from safepath.core.access import has_role
from safepath.core.roles import Role

is_administrator = has_role(Role.ADMINISTRATOR)
is_team_manager = has_role(Role.TEAM_MANAGER)
is_commissioner = has_role(Role.COMMISSIONER)

VIEW_USERS = "accounts.view_users"
MANAGE_USERS = "accounts.manage_users"
VIEW_ORGANISATIONS = "accounts.view_organisations"
MANAGE_ORGANISATIONS = "accounts.manage_organisations"

rules.add_perm(VIEW_USERS, is_administrator | is_team_manager)
rules.add_perm(MANAGE_USERS, is_administrator)
rules.add_perm(VIEW_ORGANISATIONS, is_administrator | is_commissioner)
rules.add_perm(MANAGE_ORGANISATIONS, is_administrator)
