"""URL × role rows for commissioning.

World: the commissioner's organisation leads a contract delivered by the team manager's
provider, and co-commissions (pools money into) a contract another commissioner leads;
a third contract lies between two other organisations. The commissioner's organisation has
a funding source with an allocation and a budget plan; so does another commissioner.

| URL | allowed | 403 | 404 |
|---|---|---|---|
| contracts, contracts_export | commissioner, provider's team manager | everyone else | — |
| contract | lead or co-commissioner, delivering provider's manager | others | another's contract |
| contract_add, rules, rule_add | commissioner | everyone else | — |
| rule_retire | commissioner (own organisation's rule) | everyone else | another's or a rule for everyone |
| option_decide, variation_add, decommission, target_add, partner_add | lead commissioner | co-commissioner, managers, others | another's contract |
| funding, source_add, allocation_add, funding_flow, budgets | commissioner | everyone else | — |
| spend_record, budget, appraisal_add | commissioner (own) | everyone else | another commissioner's |
| target_update | lead commissioner | co-commissioner, managers, others | another's contract, or a target not of the contract |
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from safepath.commissioning import services
from safepath.commissioning.models import BudgetPlan
from safepath.commissioning.tests.factories import body, make_contract, make_funding
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, Row

R = Role
COMM, TM = R.COMMISSIONER, R.TEAM_MANAGER


def extend_world(world: dict[str, Any]) -> None:
    orgs = world["orgs"]
    other_commissioner = OrganisationFactory(type=OrganisationType.COMMISSIONER)
    own = make_contract(orgs[COMM], orgs[TM])
    pooled = make_contract(other_commissioner)
    pooled.co_commissioners.add(orgs[COMM])
    elsewhere = make_contract(other_commissioner)
    own_money = make_funding(orgs[COMM], Decimal("1000.00"))
    other_money = make_funding(other_commissioner, Decimal("1000.00"))
    world["comm"] = {
        "own": own,
        "pooled": pooled,
        "elsewhere": elsewhere,
        "own_option": own.options.get(sequence=1),
        "pooled_option": pooled.options.get(sequence=1),
        "elsewhere_option": elsewhere.options.get(sequence=1),
        "own_allocation": services.allocation_create(
            request=None, funding_year=own_money, contract=own, amount=Decimal("10.00")
        ),
        "other_allocation": services.allocation_create(
            request=None, funding_year=other_money, contract=elsewhere, amount=Decimal("10.00")
        ),
        "own_rule": services.rule_create(
            request=None, organisation=orgs[COMM], name="Ours", kind="extension", required_body=body("cabinet")
        ),
        "other_rule": services.rule_create(
            request=None,
            organisation=other_commissioner,
            name="Theirs",
            kind="extension",
            required_body=body("cabinet"),
        ),
        "own_plan": BudgetPlan.objects.create(owner=orgs[COMM], name="Ours", base_year=2025),
        "other_plan": BudgetPlan.objects.create(owner=other_commissioner, name="Theirs", base_year=2025),
    }
    for key in ("own", "pooled", "elsewhere"):
        world["comm"][f"{key}_target"] = services.target_create(
            request=None,
            contract=world["comm"][key],
            name="Clients feeling safer at exit",
            kind="outcome",
            polarity="higher",
            value=Decimal("80"),
            unit="%",
            period_start=date(2025, 4, 1),
            period_end=date(2026, 3, 31),
        )


def _k(key: str) -> Any:
    return lambda w: [w["comm"][key].pk]


BOTH = {COMM: 200, TM: 200}
ROWS: list[Row] = [
    Row("commissioning:contracts", BOTH, default=403),
    Row("commissioning:contracts_export", BOTH, default=403),
    Row("commissioning:contract_add", {COMM: 200}, default=403),
    Row("commissioning:rules", {COMM: 200}, default=403),
    Row("commissioning:rule_add", {COMM: 200}, default=403),
    Row("commissioning:rule_retire", {COMM: 302}, default=403, method="post", args=_k("own_rule")),
    Row("commissioning:rule_retire", {COMM: 404}, default=403, method="post", args=_k("other_rule")),
    Row("commissioning:contract", BOTH, default=403, args=_k("own")),
    Row("commissioning:contract", {COMM: 200, TM: 404}, default=403, args=_k("pooled")),
    Row("commissioning:contract", {COMM: 404, TM: 404}, default=403, args=_k("elsewhere")),
    Row("commissioning:option_decide", {COMM: 200}, default=403, args=_k("own_option")),
    Row("commissioning:option_decide", {COMM: 403}, default=403, args=_k("pooled_option")),
    Row("commissioning:option_decide", {COMM: 404}, default=403, args=_k("elsewhere_option")),
    Row("commissioning:option_decide", {COMM: 200}, default=403, method="post", args=_k("own_option")),
    Row("commissioning:option_decide", {COMM: 403}, default=403, method="post", args=_k("pooled_option")),
]
for _name in (
    "commissioning:variation_add",
    "commissioning:decommission",
    "commissioning:target_add",
    "commissioning:partner_add",
):
    ROWS += [
        Row(_name, {COMM: 200}, default=403, args=_k("own")),
        Row(_name, {COMM: 403}, default=403, args=_k("pooled")),
        Row(_name, {COMM: 404}, default=403, args=_k("elsewhere")),
    ]
ROWS += [
    Row("commissioning:funding", {COMM: 200}, default=403),
    Row("commissioning:allocation_add", {COMM: 200}, default=403),
    Row("commissioning:source_add", {COMM: 200}, default=403),
    Row("commissioning:funding_flow", {COMM: 200}, default=403),
    Row("commissioning:budgets", {COMM: 200}, default=403),
    Row("commissioning:spend_record", {COMM: 200}, default=403, args=_k("own_allocation")),
    Row("commissioning:spend_record", {COMM: 404}, default=403, args=_k("other_allocation")),
    Row("commissioning:budget", {COMM: 200}, default=403, args=_k("own_plan")),
    Row("commissioning:budget", {COMM: 404}, default=403, args=_k("other_plan")),
    Row("commissioning:appraisal_add", {COMM: 200}, default=403, args=_k("own_plan")),
    Row("commissioning:appraisal_add", {COMM: 404}, default=403, args=_k("other_plan")),
]


# --- target updates (narrative and hand-recorded actual): the lead commissioner only ---------


def _t(contract: str, target: str) -> Any:
    return lambda w: [w["comm"][contract].pk, w["comm"][target].pk]


ROWS += [
    Row("commissioning:target_update", {COMM: 200}, default=403, args=_t("own", "own_target")),
    Row("commissioning:target_update", {COMM: 200}, default=403, method="post", args=_t("own", "own_target")),
    Row("commissioning:target_update", {COMM: 403}, default=403, args=_t("pooled", "pooled_target")),
    Row("commissioning:target_update", {COMM: 404}, default=403, args=_t("elsewhere", "elsewhere_target")),
    # A target of another contract under the lead's own contract's address: not found.
    Row("commissioning:target_update", {COMM: 404}, default=403, args=_t("own", "elsewhere_target")),
]
