"""How the money flows in a financial year: funding sources → contracts (and spot purchases) →
providers and sub-contracted partners. One set of links feeds both the diagram (charts.py) and
the table beside it, so the two cannot disagree."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext as _

from safepath.commissioning import selectors
from safepath.commissioning.choices import PartnerRole
from safepath.commissioning.models import ZERO, Allocation, ContractPartner

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Link:
    stage: int  # 1: source to contract; 2: contract to provider
    source: str
    target: str
    amount: Decimal
    share: Decimal  # percentage of the money through the contract (the middle node)


@dataclass
class Flow:
    year: int
    links: list[Link] = field(default_factory=list)

    def totals(self, stage: int, end: str) -> dict[str, Decimal]:
        sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for link in self.links:
            if link.stage == stage:
                sums[getattr(link, end)] += link.amount
        return dict(sums)

    @property
    def funders(self) -> dict[str, Decimal]:
        return self.totals(1, "source")

    @property
    def contracts(self) -> dict[str, Decimal]:
        return self.totals(1, "target")

    @property
    def providers(self) -> dict[str, Decimal]:
        return self.totals(2, "target")

    @property
    def total(self) -> Decimal:
        return sum(self.funders.values(), ZERO)

    def share_of_total(self, amount: Decimal) -> Decimal:
        return _percent(amount, self.total)


def _percent(part: Decimal, whole: Decimal) -> Decimal:
    return (part * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP) if whole else ZERO


def split(amount: Decimal, shares: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """Divide `amount` by percentage shares in whole pennies; the first (the lead) takes the
    rounding remainder so the parts always add up to the amount exactly."""
    parts = [(name, (amount * share / 100).quantize(PENNY, ROUND_HALF_UP)) for name, share in shares]
    if parts:
        first_name, first = parts[0]
        parts[0] = (first_name, first + amount - sum((p for _n, p in parts), ZERO))
    return parts


def contract_label(contract: Any) -> str:
    return f"{contract.reference} {contract.title}"


def funding_flow(user: Any, year: int) -> Flow:
    """The year's flow through the money the user's commissioning organisation manages."""
    return funding_flow_for(selectors.allocations_for(user), year)


def funding_flow_for_organisation(organisation_id: int, year: int) -> Flow:
    """The same for an organisation, without a user (for the committee paper)."""
    allocations = Allocation.objects.filter(funding_year__source__owner_id=organisation_id)
    return funding_flow_for(allocations.select_related("funding_year__source", "contract", "provider"), year)


def funding_flow_for(allocations_qs: Any, year: int) -> Flow:
    allocations = list(allocations_qs.filter(funding_year__year=year))
    into: dict[str, Decimal] = defaultdict(lambda: ZERO)
    stage1: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    shares_of: dict[str, list[tuple[str, Decimal]]] = {}
    spot: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    by_contract = _partners(a.contract_id for a in allocations if a.contract_id)
    for allocation in allocations:
        if allocation.contract_id:
            middle = contract_label(allocation.contract)
            shares_of[middle] = [(p.organisation.name, p.share) for p in by_contract[allocation.contract_id]]
        else:
            middle = _("Spot purchases: %(what)s") % {"what": allocation.spot_purchase}
            who = allocation.provider.name if allocation.provider_id else _("Provider not yet chosen")
            spot[middle][who] += allocation.amount
        stage1[(allocation.funding_year.source.name, middle)] += allocation.amount
        into[middle] += allocation.amount
    flow = Flow(year)
    for (source, middle), amount in sorted(stage1.items()):
        flow.links.append(Link(1, source, middle, amount, _percent(amount, into[middle])))
    for middle in sorted(into):
        if middle in spot:
            parts = sorted(spot[middle].items())
        else:
            parts = split(into[middle], shares_of.get(middle) or [(_("No provider named"), Decimal(100))])
        flow.links += [Link(2, middle, name, part, _percent(part, into[middle])) for name, part in parts]
    return flow


def pooled(flow: Flow) -> list[tuple[str, Decimal, list[Link]]]:
    """Contracts (or purchases) paid for by more than one source: a pooled budget, with each
    source's contribution and share."""
    found = []
    for middle, amount in sorted(flow.contracts.items()):
        links = [link for link in flow.links if link.stage == 1 and link.target == middle]
        if len(links) > 1:
            found.append((middle, amount, sorted(links, key=lambda x: -x.amount)))
    return found


def _partners(contract_ids: Any) -> dict[int, list[ContractPartner]]:
    """Each contract's partners, lead first then by share."""
    rows = ContractPartner.objects.filter(contract_id__in=set(contract_ids)).select_related("organisation")
    found: dict[int, list[ContractPartner]] = defaultdict(list)
    for partner in sorted(rows, key=lambda p: (p.role != PartnerRole.LEAD, -p.share, p.pk)):
        found[partner.contract_id].append(partner)
    return found
