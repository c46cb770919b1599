"""Money: funding sources and allocations, spend per quarter, the funding-flow diagram, budget
plans with savings, and options appraisals. Commissioners only; each sees their own."""

from __future__ import annotations

import base64
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Organisation
from safepath.commissioning import budgets, charts, flow, selectors, services, terms
from safepath.commissioning.choices import PreventionLevel
from safepath.commissioning.forms import AllocationForm, AppraisalForm, SourceForm, SpendForm
from safepath.commissioning.models import ZERO, BudgetPlan
from safepath.commissioning.rules import MANAGE_FUNDING, VIEW_FUNDING
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.forms import add_errors, posted
from safepath.core.roles import OrganisationType


def _year(request: HttpRequest, years: list[int]) -> int:
    """The year asked for, else the current financial year, else the latest with money."""
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    current = terms.financial_year(timezone.localdate())
    return current if current in years or not years else years[-1]


def _year_context(request: HttpRequest) -> dict:
    years = selectors.years_for(request.user)
    year = _year(request, years)
    return {
        "year": year,
        "year_label": terms.financial_year_label(year),
        "years": [(y, terms.financial_year_label(y)) for y in years],
    }


def funding(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_FUNDING)
    context = _year_context(request)
    sources = selectors.source_rows(request.user, context["year"])
    allocations = selectors.allocation_rows(request.user, context["year"])
    money = flow.funding_flow(request.user, context["year"])
    context |= {
        "pooled": flow.pooled(money),
        "sources": sources,
        "allocations": allocations,
        "total_amount": sum((s.funding_year.amount for s in sources), ZERO),
        "total_allocated": sum((s.allocated for s in sources), ZERO),
        "total_spent": sum((a.spent for a in allocations), ZERO),
        "can_manage": request.user.has_perm(MANAGE_FUNDING),
    }
    return render(request, "commissioning/funding.html", context)


def source_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_FUNDING)
    form = SourceForm(posted(request), initial={"year": terms.financial_year(timezone.localdate())})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.source_create(request=request, owner=request.membership.organisation, **data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Funding source added."))
            return redirect(f"{reverse('commissioning:funding')}?year={data['year']}")
    return render(request, "commissioning/source_add.html", {"form": form})


def allocation_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_FUNDING)
    form = AllocationForm(
        posted(request),
        funding_years=selectors.funding_years_for(request.user).order_by("-year", "source__name"),
        contracts=selectors.contracts_for(request.user),
        providers=Organisation.objects.filter(type=OrganisationType.PROVIDER, is_active=True),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            allocation = services.allocation_create(
                request=request,
                funding_year=data["funding_year"],
                contract=data["contract"],
                spot_purchase=data["spot_purchase"] if data["contract"] is None else "",
                provider=data["provider"],
                amount=data["amount"],
                token=data["token"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Money allocated."))
            return redirect(f"{reverse('commissioning:funding')}?year={allocation.funding_year.year}")
    return render(request, "commissioning/allocation_add.html", {"form": form})


def spend_record(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE_FUNDING)
    allocation = get_scoped_or_404(selectors.allocations_for(request.user), pk=pk)
    recorded = selectors.spend_for(allocation)
    form = SpendForm(posted(request), initial={f"q{q}": amount for q, amount in recorded.items()})
    if request.method == "POST" and form.is_valid():
        for quarter in (1, 2, 3, 4):
            amount = form.cleaned_data[f"q{quarter}"]
            if amount is not None and amount != recorded.get(quarter):
                services.spend_record(request=request, allocation=allocation, quarter=quarter, amount=amount)
        messages.success(request, _("Spend saved."))
        return redirect(f"{reverse('commissioning:funding')}?year={allocation.funding_year.year}")
    return render(request, "commissioning/spend.html", {"form": form, "allocation": allocation})


def funding_flow(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_FUNDING)
    context = _year_context(request)
    money = flow.funding_flow(request.user, context["year"])
    svg = charts.sankey_svg(money) if money.links else ""
    context |= {
        "flow": money,
        "svg_src": "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode() if svg else "",
        "stage1": [link for link in money.links if link.stage == 1],
        "stage2": [link for link in money.links if link.stage == 2],
        "providers": sorted(money.providers.items(), key=lambda kv: (-kv[1], kv[0])),
        "funders": sorted(money.funders.items(), key=lambda kv: (-kv[1], kv[0])),
    }
    return render(request, "commissioning/funding_flow.html", context)


def budget_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_FUNDING)
    plans = list(selectors.plans_for(request.user))
    return render(request, "commissioning/budgets.html", {"plans": plans})


def _sums(plan: BudgetPlan, field: str) -> dict[int, Decimal]:
    return dict(plan.lines.values("year").annotate(total=Sum(field)).values_list("year", "total"))


def budget_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, VIEW_FUNDING)
    plan = get_scoped_or_404(selectors.plans_for(request.user), pk=pk)
    savings = dict(plan.savings.values_list("year", "amount"))
    years = budgets.plan_years(plan.base_year, _sums(plan, "committed"), _sums(plan, "reinvestment"), savings)
    context = {
        "plan": plan,
        "years": [(row, terms.financial_year_label(row.year)) for row in years],
        "breakdown": _breakdown(plan, years),
        "appraisals": list(plan.options.all()),
        "can_manage": request.user.has_perm(MANAGE_FUNDING),
    }
    return render(request, "commissioning/budget.html", context)


def _breakdown(plan: BudgetPlan, years: list[budgets.YearRow]) -> dict:
    """Committed spend by level of prevention × target population, base year and last year."""
    shown = sorted({years[0].year, years[-1].year}) if years else []
    cells = (
        plan.lines.filter(year__in=shown)
        .values("year", "prevention_level", "population__name")
        .annotate(total=Sum("committed"))
    )
    populations = sorted({c["population__name"] for c in cells})
    table = {(c["year"], c["prevention_level"], c["population__name"]): c["total"] for c in cells}
    return {
        "years": [(y, terms.financial_year_label(y)) for y in shown],
        "populations": populations,
        "levels": PreventionLevel.choices,
        "cell": lambda y, level, pop: table.get((y, level, pop), ZERO),
        "level_total": lambda y, level: sum((v for (yy, lv, _p), v in table.items() if yy == y and lv == level), ZERO),
    }


def appraisal_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE_FUNDING)
    plan = get_scoped_or_404(selectors.plans_for(request.user), pk=pk)
    form = AppraisalForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appraisal_create(
                request=request,
                owner=plan.owner,
                plan=plan,
                token=data["token"],
                option=data["option"],
                benefits=data["benefits"],
                disadvantages=data["disadvantages"],
                risks=data["risks"],
                decision=data["decision"],
                decision_notes=data["decision_notes"],
                decided_on=timezone.localdate() if data["decision"] != "pending" else None,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Option recorded."))
            return redirect("commissioning:budget", pk=plan.pk)
    return render(request, "commissioning/appraisal_add.html", {"form": form, "plan": plan})
