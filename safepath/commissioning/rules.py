"""Permissions for commissioning.

Which contracts a user reaches at all is decided by selectors.contracts_for (404 outside it):
commissioners reach the contracts their organisation leads or co-commissions (pooled money),
providers' team managers the contracts their organisation delivers as lead or partner. These
decide what they may do there: commissioners manage; only the lead commissioner changes a
contract (co-commissioners read it); providers read their contracts and targets.
"""

from __future__ import annotations

from typing import Any

import rules

from safepath.core.access import acting_at
from safepath.core.roles import OrganisationType, Role

VIEW_CONTRACTS = "commissioning.view_contracts"
MANAGE_CONTRACTS = "commissioning.manage_contracts"
VIEW_FUNDING = "commissioning.view_funding"
MANAGE_FUNDING = "commissioning.manage_funding"

commissioner = acting_at(OrganisationType.COMMISSIONER, Role.COMMISSIONER)
provider_manager = acting_at(OrganisationType.PROVIDER, Role.TEAM_MANAGER)


@rules.predicate
def leads_contract(user: Any, contract: Any = None) -> bool:
    """With no contract (a list page), true; with one, only for its lead commissioner."""
    if contract is None:
        return True
    membership = getattr(user, "current_membership", None)
    return bool(membership and contract.commissioner_id == membership.organisation_id)


rules.add_perm(VIEW_CONTRACTS, commissioner | provider_manager)
rules.add_perm(MANAGE_CONTRACTS, commissioner & leads_contract)
rules.add_perm(VIEW_FUNDING, commissioner)
rules.add_perm(MANAGE_FUNDING, commissioner)
