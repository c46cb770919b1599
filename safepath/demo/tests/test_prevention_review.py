"""The prevention-review scenario: Leicestershire's review of preventative services, the
commissioning side only — £9.4m of contracts falling to £5.9m through £1.0m, £0.5m and £2.0m of
savings, contracts extended or decommissioned, options appraised."""

from decimal import Decimal

from django.core.management import call_command
from django.db.models import Sum

from safepath.accounts.models import User
from safepath.commissioning.budgets import plan_years
from safepath.commissioning.models import BudgetLine, BudgetPlan, Contract, SavingsTarget
from safepath.core.roles import Role
from safepath.demo.scenarios import demo_email
from safepath.referrals.models import Referral

MILLION = Decimal(1_000_000)


def test_it_loads_the_review_with_its_budget_savings_contracts_and_options(db, client, settings):
    settings.DEMO_SKIP_MFA = True  # demo accounts have no authenticator
    call_command("demo", scenario="prevention-review", no_serve=True)
    assert not Referral.objects.exists()  # the commissioning side only

    plan = BudgetPlan.objects.get(name="Review of preventative services")
    committed = dict(
        BudgetLine.objects.filter(plan=plan).values_list("year").annotate(total=Sum("committed")).order_by()
    )
    reinvestment = dict(
        BudgetLine.objects.filter(plan=plan).values_list("year").annotate(total=Sum("reinvestment")).order_by()
    )
    savings = dict(SavingsTarget.objects.filter(plan=plan).values_list("year", "amount"))
    assert sorted(savings.values()) == [Decimal("0.5") * MILLION, Decimal("1.0") * MILLION, Decimal("2.0") * MILLION]
    years = plan_years(plan.base_year, committed, reinvestment, savings)
    assert years[0].envelope == Decimal("9.4") * MILLION
    assert years[-1].envelope == Decimal("5.9") * MILLION

    assert Contract.objects.filter(decommissioning__isnull=False).exists()
    assert plan.options.count() == 3

    call_command("demo", scenario="prevention-review", no_serve=True)  # safe to run again
    assert BudgetPlan.objects.count() == 1

    client.force_login(User.objects.get(email=demo_email(Role.COMMISSIONER)))
    page = client.get("/").content.decode()
    assert "Leicestershire review of preventative services" in page and "Budgets and savings" in page
