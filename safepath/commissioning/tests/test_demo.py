"""The demo's contracts and money, loaded against stand-in organisations (fast: no referrals)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from safepath.commissioning import demo, flow, terms
from safepath.commissioning.models import Allocation, BudgetPlan, Contract, FundingYear
from safepath.core.roles import OrganisationType, Role
from safepath.testing import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime(2026, 11, 20, 9, 0))


def _orgs(*keys: str) -> dict:
    orgs = {"commissioner": OrganisationFactory(type=OrganisationType.COMMISSIONER)}
    for key in keys:
        orgs[key] = OrganisationFactory(type=OrganisationType.PROVIDER)
    return orgs


def test_it_loads_medway_pooled_by_council_and_nhs_once() -> None:
    orgs = _orgs("provider")
    demo.demo_load(scenario=SimpleNamespace(name="medway"), organisations=orgs, end=NOW)
    demo.demo_load(scenario=SimpleNamespace(name="medway"), organisations=orgs, end=NOW)
    contract = Contract.objects.get()
    assert list(contract.options.values_list("months", flat=True)) == [24, 12]
    for year in (2025, 2026):
        funded = sum(a.amount for a in Allocation.objects.filter(contract=contract, funding_year__year=year))
        assert Decimal(170_000) <= funded <= Decimal(210_000)
        assert (
            Allocation.objects.filter(contract=contract, funding_year__year=year)
            .values("funding_year__source")
            .distinct()
            .count()
            == 2
        )


def test_it_loads_leicestershire_consortium_grant_and_review() -> None:
    orgs = _orgs("provider", "provider_community", "provider_children", "provider_perpetrator")
    demo.demo_load(scenario=SimpleNamespace(name="leicestershire"), organisations=orgs, end=NOW)
    consortium = Contract.objects.get(reference="LCC-DSVA-2201")
    assert sorted(consortium.partners.values_list("share", flat=True)) == [15, 30, 55]
    grant = FundingYear.objects.get(source__name__startswith="Safe accommodation grant", year=2026)
    assert grant.amount == Decimal(1_100_000)
    user = make_member(Role.COMMISSIONER, orgs["commissioner"])
    user.current_membership = user.memberships.get()
    money = flow.funding_flow(user, 2026)
    assert money.total == sum(money.providers.values())
    assert orgs["provider_perpetrator"].name in money.providers
    plan = BudgetPlan.objects.get()
    base = sum(line.committed for line in plan.lines.filter(year=plan.base_year))
    assert base == Decimal(9_400_000)
    assert sum(plan.savings.values_list("amount", flat=True)) == Decimal(3_500_000)
    assert plan.options.count() == 3
    assert terms.financial_year(NOW.date()) == 2026
