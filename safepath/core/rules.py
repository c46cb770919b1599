"""Permissions for the audit log: administrators search it; nobody edits it."""

import rules

from safepath.core.access import has_role
from safepath.core.roles import Role

VIEW_AUDIT = "core.view_audit"

rules.add_perm(VIEW_AUDIT, has_role(Role.ADMINISTRATOR))
