"""Test data for commissioning: contracts with partners and options, funding, budgets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count
from typing import Any

from safepath.accounts.models import Organisation
from safepath.commissioning import services
from safepath.commissioning.choices import PartnerRole, ProcurementRoute
from safepath.commissioning.models import ApprovalBody, Contract, FundingSource, FundingYear
from safepath.core.roles import OrganisationType
from safepath.testing import OrganisationFactory

_numbers = count(1)


def body(code: str) -> ApprovalBody:
    return ApprovalBody.objects.get(code=code)


def make_contract(
    commissioner: Organisation,
    provider: Organisation | None = None,
    *,
    partners: list[tuple[Organisation, Decimal]] = (),  # type: ignore[assignment]
    start: date = date(2024, 4, 1),
    initial_end: date = date(2026, 3, 31),
    options: list[int] = (24, 12),  # type: ignore[assignment]
    first_approved_by: str = "cabinet",
    annual: Decimal = Decimal("190000.00"),
    lead_days: int = 180,
    **fields: Any,
) -> Contract:
    provider = provider or OrganisationFactory(type=OrganisationType.PROVIDER)
    n = next(_numbers)
    lead_share = Decimal(100) - sum((s for _o, s in partners), Decimal(0))
    shares = [services.PartnerShare(provider, PartnerRole.LEAD, lead_share)]
    shares += [services.PartnerShare(o, PartnerRole.SUBCONTRACTOR, s) for o, s in partners]
    values = {
        "reference": f"DA-{n:04d}",
        "title": f"Domestic abuse support {n}",
        "department": "Public health",
        "description": "Integrated domestic abuse service",
        "supplier_name": provider.name,
        "supplier_registration_number": f"0{n:07d}",
        "sme": True,
        "voluntary_sector": True,
        "total_value": annual * 5,
        "annual_value": annual,
        "start_date": start,
        "initial_end_date": initial_end,
        "review_date": None,
        "procurement_route": ProcurementRoute.TENDERED,
        "first_approved_by": body(first_approved_by),
        "decision_lead_days": lead_days,
    } | fields
    return services.contract_create(
        request=None, commissioner=commissioner, partners=shares, option_months=list(options), **values
    )


def make_funding(owner: Organisation, amount: Decimal, *, year: int = 2025, name: str = "") -> FundingYear:
    source = FundingSource.objects.create(
        name=name or f"Public health grant {next(_numbers)}",
        kind="council_public_health",
        funder="The council",
        owner=owner,
    )
    return services.funding_year_set(request=None, source=source, year=year, amount=amount)
