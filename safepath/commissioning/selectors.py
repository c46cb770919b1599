"""Reads for commissioning, scoped to the user's current organisation.

Scope (ADR 0012): a commissioner reaches the contracts their organisation leads or
co-commissions (a pooled contract names each funding organisation as a co-commissioner)
and the funding sources and budget plans it owns; a provider's team manager reaches the
contracts their organisation delivers as lead provider or partner. Anyone else: nothing.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum

from safepath.commissioning import approvals, terms
from safepath.commissioning.choices import ChangeKind, Decision
from safepath.commissioning.models import (
    ZERO,
    AlertWindow,
    Allocation,
    ApprovalBody,
    ApprovalRule,
    BudgetPlan,
    Contract,
    ContractPartner,
    DeadlineAlert,
    Decommissioning,
    ExtensionOption,
    FundingSource,
    FundingYear,
    OptionAppraisal,
    Spend,
    Target,
    TargetUpdate,
)
from safepath.core.roles import OrganisationType, Role


def _membership(user: Any) -> Any:
    return getattr(user, "current_membership", None)


def _commissioner_org(user: Any) -> int | None:
    m = _membership(user)
    if m and m.role == Role.COMMISSIONER and m.organisation.type == OrganisationType.COMMISSIONER:
        return m.organisation_id
    return None


def _provider_org(user: Any) -> int | None:
    m = _membership(user)
    if m and m.role == Role.TEAM_MANAGER and m.organisation.type == OrganisationType.PROVIDER:
        return m.organisation_id
    return None


# --- contracts ------------------------------------------------------------------------------


def contracts_for(user: Any) -> QuerySet[Contract]:
    """Every contract the user may see; nothing for anyone not recognised."""
    if (org := _commissioner_org(user)) is not None:
        ids = Contract.objects.filter(Q(commissioner_id=org) | Q(co_commissioners__id=org)).values("pk")
        return Contract.objects.filter(pk__in=ids)
    if (org := _provider_org(user)) is not None:
        return Contract.objects.filter(pk__in=ContractPartner.objects.filter(organisation_id=org).values("contract_id"))
    return Contract.objects.none()


def contract_list(user: Any) -> QuerySet[Contract]:
    partners = ContractPartner.objects.select_related("organisation")
    return (
        contracts_for(user)
        .select_related("commissioner", "decommissioning")
        .prefetch_related(Prefetch("partners", queryset=partners), "options")
    )


def contract_detail(user: Any) -> QuerySet[Contract]:
    return (
        contract_list(user)
        .select_related("first_approved_by")
        .prefetch_related("co_commissioners", "pathways", "variations__decided_by_body", "targets")
    )


def targets_for_contract(contract: Contract) -> QuerySet[Target]:
    """The contract's outcome and output targets, by period (reporting rates them RAG)."""
    return Target.objects.filter(contract=contract).order_by("period_start", "kind", "name", "id")


def updates_for_target(target: Target) -> QuerySet[TargetUpdate]:
    """Every update written about the target, latest period first, newest first within it."""
    return (
        TargetUpdate.objects.filter(target=target).select_related("author").order_by("-period_end", "-created", "-id")
    )


def targets_with_latest_update(contract: Contract) -> list[tuple[Target, TargetUpdate | None]]:
    """Each target beside its latest update (latest period, newest written): two queries."""
    targets = list(targets_for_contract(contract))
    latest: dict[int, TargetUpdate] = {}
    for update in TargetUpdate.objects.filter(target__contract=contract).order_by("-period_end", "-created", "-id"):
        latest.setdefault(update.target_id, update)
    return [(t, latest.get(t.pk)) for t in targets]


def register_contracts(contracts: QuerySet[Contract] | None = None) -> QuerySet[Contract]:
    return (contracts if contracts is not None else Contract.objects.all()).order_by("reference")


# --- terms, options and the rules that govern them -------------------------------------------


def rule_specs(kind: str | None = None, organisation_id: int | None = None) -> list[approvals.Rule]:
    """Active rules for everyone, and those the organisation's own constitution adds."""
    rows = ApprovalRule.objects.filter(is_active=True).select_related("required_body")
    rows = rows.filter(Q(organisation__isnull=True) | Q(organisation_id=organisation_id))
    if kind:
        rows = rows.filter(kind=kind)
    return [
        approvals.Rule(
            r.pk, r.name, r.kind, body_spec(r.required_body), r.months_over, r.first_approved_by_id, r.value_over
        )
        for r in rows
    ]


def body_spec(body: ApprovalBody) -> approvals.Body:
    return approvals.Body(body.pk, body.name, body.rank)


def fallback_body() -> ApprovalBody:
    body = ApprovalBody.objects.order_by("rank", "pk").first()
    if body is None:  # pragma: no cover - the data migration creates the defaults
        raise ApprovalBody.DoesNotExist("No decision-making bodies are configured.")
    return body


@dataclass(frozen=True)
class Requirement:
    body: ApprovalBody
    rule: ApprovalRule | None


def requirement(change: approvals.Change, contract: Contract) -> Requirement:
    """The body that must take a decision on the contract, and the rule that says so (None: the fallback)."""
    rule = approvals.governing_rule(rule_specs(change.kind, contract.commissioner_id), change)
    if rule is None:
        return Requirement(fallback_body(), None)
    row = ApprovalRule.objects.select_related("required_body").get(pk=rule.id)
    return Requirement(row.required_body, row)


def extension_change(option: ExtensionOption, contract: Contract) -> approvals.Change:
    return approvals.Change(
        ChangeKind.EXTENSION,
        months=option.months,
        value=contract.annual_value * option.months / 12,
        first_approved_by=contract.first_approved_by_id,
    )


@dataclass(frozen=True)
class OptionRow:
    option: ExtensionOption
    period: terms.Period
    is_next: bool  # the one option that can be decided now
    overdue: bool
    days_left: int

    @property
    def status_tag(self) -> str:
        if self.option.decision == Decision.APPROVED:
            return "govuk-tag--green"
        if self.option.decision in (Decision.DECLINED, Decision.LAPSED):
            return "govuk-tag--grey"
        return "govuk-tag--red" if self.overdue else "govuk-tag--yellow"


def option_schedule(contract: Contract, today: date) -> list[OptionRow]:
    """Each option's period and deadline; the next undecided one after those approved is open."""
    options = sorted(contract.options.all(), key=lambda o: o.sequence)
    periods = terms.option_periods(contract.initial_end_date, [o.months for o in options], contract.decision_lead_days)
    rows, blocked = [], _is_decommissioned(contract)
    for option, period in zip(options, periods, strict=True):
        pending = option.decision == Decision.PENDING
        is_next = pending and not blocked
        rows.append(
            OptionRow(option, period, is_next, is_next and today > period.deadline, (period.deadline - today).days)
        )
        blocked = blocked or option.decision != Decision.APPROVED
    return rows


def decommissioning_of(contract: Contract) -> Decommissioning | None:
    return Decommissioning.objects.filter(contract=contract).select_related("decided_by_body", "required_body").first()


def _is_decommissioned(contract: Contract) -> bool:
    try:
        return contract.decommissioning is not None
    except Contract.decommissioning.RelatedObjectDoesNotExist:
        return False


def contract_alerts(contract: Contract) -> QuerySet[DeadlineAlert]:
    return DeadlineAlert.objects.filter(option__contract=contract).select_related("option")


def open_options(today: date) -> list[tuple[Contract, OptionRow]]:
    """Every contract's next option still to decide, with its schedule (for deadline alerts)."""
    contracts = Contract.objects.filter(options__decision=Decision.PENDING, decommissioning__isnull=True).distinct()
    found = []
    for contract in contracts.prefetch_related("options"):
        found += [(contract, row) for row in option_schedule(contract, today) if row.is_next]
    return found


def alert_windows() -> list[int]:
    return sorted({0, *AlertWindow.objects.values_list("days_before", flat=True)})


# --- funding --------------------------------------------------------------------------------


def sources_for(user: Any) -> QuerySet[FundingSource]:
    org = _commissioner_org(user)
    return FundingSource.objects.filter(owner_id=org) if org is not None else FundingSource.objects.none()


def funding_years_for(user: Any) -> QuerySet[FundingYear]:
    return FundingYear.objects.filter(source__in=sources_for(user)).select_related("source")


def allocations_for(user: Any) -> QuerySet[Allocation]:
    return Allocation.objects.filter(funding_year__in=funding_years_for(user)).select_related(
        "funding_year__source", "contract", "provider"
    )


def years_for(user: Any) -> list[int]:
    return sorted(set(funding_years_for(user).values_list("year", flat=True)))


@dataclass(frozen=True)
class SourceRow:
    funding_year: FundingYear
    allocated: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.funding_year.amount - self.allocated


def source_rows(user: Any, year: int) -> list[SourceRow]:
    years = funding_years_for(user).filter(year=year).annotate(allocated=Sum("allocations__amount"))
    return [SourceRow(fy, fy.allocated or ZERO) for fy in years.order_by("source__funder", "source__name")]


@dataclass(frozen=True)
class AllocationRow:
    allocation: Allocation
    quarters: list[Decimal | None]  # recorded spend per quarter, None when not recorded
    spent: Decimal
    recorded_from: str  # "quarterly returns" or "perpetrator orders"

    @property
    def remaining(self) -> Decimal:
        return self.allocation.amount - self.spent


def allocation_rows(user: Any, year: int) -> list[AllocationRow]:
    """Each allocation in the year with its spend per quarter. Spot purchases of perpetrator
    work bought from a named provider take their spend from the orders themselves."""
    allocations = list(allocations_for(user).filter(funding_year__year=year).prefetch_related("spend"))
    orders = _perpetrator_spend_by_quarter(
        year, [a.provider_id for a in allocations if a.provider_id and not a.contract_id]
    )
    rows = []
    for allocation in allocations:
        if allocation.provider_id and not allocation.contract_id:
            quarters: list[Decimal | None] = list(orders.get(allocation.provider_id, [ZERO] * 4))
            source = "perpetrator orders"
        else:
            recorded = {s.quarter: s.amount for s in allocation.spend.all()}
            quarters = [recorded.get(q) for q in (1, 2, 3, 4)]
            source = "quarterly returns"
        rows.append(AllocationRow(allocation, quarters, sum((q or ZERO for q in quarters), ZERO), source))
    return rows


def _perpetrator_spend_by_quarter(year: int, provider_ids: list[int]) -> dict[int, list[Decimal]]:
    """Perpetrator spot purchases (safepath.programmes) per provider and quarter of the year.
    Shared by every allocation naming the provider: allocate once per provider and year."""
    if not provider_ids:
        return {}
    from safepath.programmes.selectors import perpetrator_spend

    totals: dict[int, list[Decimal]] = defaultdict(lambda: [ZERO] * 4)
    for provider_id in set(provider_ids):
        for row in perpetrator_spend(provider_id, date(year, 4, 1), date(year + 1, 3, 31)):
            if row.provider_id == provider_id:
                totals[provider_id][terms.quarter_of(row.period) - 1] += row.total
    return dict(totals)


def spend_for(allocation: Allocation) -> dict[int, Decimal]:
    return dict(Spend.objects.filter(allocation=allocation).values_list("quarter", "amount"))


# --- budgets and options --------------------------------------------------------------------


def plans_for(user: Any) -> QuerySet[BudgetPlan]:
    org = _commissioner_org(user)
    return BudgetPlan.objects.filter(owner_id=org) if org is not None else BudgetPlan.objects.none()


def appraisals_for(user: Any) -> QuerySet[OptionAppraisal]:
    org = _commissioner_org(user)
    return OptionAppraisal.objects.filter(owner_id=org) if org is not None else OptionAppraisal.objects.none()
