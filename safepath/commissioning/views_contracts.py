"""Contracts: the register, a contract's terms, options, partners, targets and money, and the
decisions commissioners record on them. Permission first (403), then scope (404)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Organisation
from safepath.commissioning import selectors, services
from safepath.commissioning.choices import PartnerRole
from safepath.commissioning.exports import contracts_register
from safepath.commissioning.forms import (
    ContractForm,
    DecommissionForm,
    OptionDecisionForm,
    PartnerForm,
    RuleForm,
    TargetForm,
    TargetUpdateForm,
    VariationForm,
)
from safepath.commissioning.models import ApprovalBody, ApprovalRule, Contract, ExtensionOption
from safepath.commissioning.rules import MANAGE_CONTRACTS, VIEW_CONTRACTS, VIEW_FUNDING
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event
from safepath.core.exports import FORMATS, table_response
from safepath.core.forms import add_errors, posted
from safepath.core.roles import OrganisationType


def contracts(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_CONTRACTS)
    today = timezone.localdate()
    rows = [
        (c, next((r for r in selectors.option_schedule(c, today) if r.is_next), None))
        for c in selectors.contract_list(request.user)
    ]
    due = sorted((row for _c, row in rows if row is not None), key=lambda r: r.period.deadline)
    context = {"rows": rows, "due": due, "can_manage": request.user.has_perm(MANAGE_CONTRACTS)}
    return render(request, "commissioning/contracts.html", context)


def contracts_export(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_CONTRACTS)
    fmt = request.GET.get("format", "csv")
    if fmt not in FORMATS:
        fmt = "csv"
    audit_event(
        action=Action.EXPORT, request=request, object_type="commissioning.contract", reason="contracts register"
    )
    return table_response(contracts_register(selectors.contracts_for(request.user)), fmt, "contracts-register")


def _contract(request: HttpRequest, pk: int, *, manage: bool = False) -> Contract:
    require_perm(request, MANAGE_CONTRACTS if manage else VIEW_CONTRACTS)
    contract = get_scoped_or_404(selectors.contract_detail(request.user), pk=pk)
    if manage:
        require_perm(request, MANAGE_CONTRACTS, contract)  # co-commissioners read, the lead changes
    return contract


def contract_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk)
    today = timezone.localdate()
    sees_money = request.user.has_perm(VIEW_FUNDING)
    context = {
        "contract": contract,
        "schedule": selectors.option_schedule(contract, today),
        "partners": list(contract.partners.all()),
        "targets": selectors.targets_with_latest_update(contract),
        "variations": list(contract.variations.all()),
        "decommissioning": selectors.decommissioning_of(contract),
        "alerts": list(selectors.contract_alerts(contract)),
        "allocations": list(contract.allocations.select_related("funding_year__source")) if sees_money else [],
        "appraisals": list(contract.appraisals.all()) if sees_money else [],
        "can_manage": request.user.has_perm(MANAGE_CONTRACTS, contract),
    }
    return render(request, "commissioning/contract.html", context)


def _providers() -> object:
    return Organisation.objects.filter(type=OrganisationType.PROVIDER, is_active=True)


def contract_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_CONTRACTS)
    own = request.membership.organisation
    form = ContractForm(
        posted(request),
        providers=_providers(),
        bodies=_bodies(),
        commissioners=Organisation.objects.filter(type=OrganisationType.COMMISSIONER, is_active=True).exclude(
            pk=own.pk
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lead = data["lead_provider"]
        try:
            contract = services.contract_create(
                request=request,
                commissioner=own,
                partners=[services.PartnerShare(lead, PartnerRole.LEAD, Decimal(100))],
                option_months=data["options"],
                co_commissioners=list(data["co_commissioners"]),
                supplier_name=lead.name,
                vat_unrecoverable=data["vat_unrecoverable"] or Decimal(0),
                **{k: data[k] for k in CONTRACT_FIELDS},
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Contract added."))
            return redirect("commissioning:contract", pk=contract.pk)
    return render(request, "commissioning/contract_add.html", {"form": form})


CONTRACT_FIELDS = (
    "reference",
    "title",
    "department",
    "description",
    "supplier_registration_number",
    "sme",
    "voluntary_sector",
    "total_value",
    "annual_value",
    "start_date",
    "initial_end_date",
    "review_date",
    "procurement_route",
    "first_approved_by",
    "decision_lead_days",
)


def partner_add(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk, manage=True)
    form = PartnerForm(posted(request), providers=_providers().exclude(contract_parts__contract=contract))
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_add(
                request=request,
                contract=contract,
                organisation=form.cleaned_data["organisation"],
                share=form.cleaned_data["share"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Partner added."))
            return redirect("commissioning:contract", pk=contract.pk)
    return render(request, "commissioning/partner_add.html", {"form": form, "contract": contract})


def approval_rules(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_CONTRACTS)
    org = request.membership.organisation_id
    rules = ApprovalRule.objects.filter(is_active=True).filter(Q(organisation__isnull=True) | Q(organisation_id=org))
    context = {
        "rules": rules.select_related("required_body", "first_approved_by").order_by(
            "kind", "required_body__rank", "id"
        ),
        "bodies": ApprovalBody.objects.all(),
        "windows": selectors.alert_windows(),
    }
    return render(request, "commissioning/rules.html", context)


def rule_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_CONTRACTS)
    form = RuleForm(posted(request), bodies=_bodies())
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_create(request=request, organisation=request.membership.organisation, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Rule added. It applies to decisions from now on."))
            return redirect("commissioning:rules")
    return render(request, "commissioning/rule_add.html", {"form": form})


def rule_retire(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE_CONTRACTS)
    own = ApprovalRule.objects.filter(organisation_id=request.membership.organisation_id, is_active=True)
    rule = get_scoped_or_404(own, pk=pk)
    if request.method == "POST":
        services.rule_retire(request=request, rule=rule)
        messages.success(request, _("Rule retired."))
    return redirect("commissioning:rules")


def _bodies() -> object:
    return ApprovalBody.objects.all()


def option_decide(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE_CONTRACTS)
    option = get_scoped_or_404(
        ExtensionOption.objects.filter(contract__in=selectors.contracts_for(request.user)), pk=pk
    )
    contract = _contract(request, option.contract_id, manage=True)
    row = next(r for r in selectors.option_schedule(contract, timezone.localdate()) if r.option.pk == option.pk)
    required = selectors.requirement(selectors.extension_change(option, contract), contract)
    form = OptionDecisionForm(posted(request), bodies=_bodies(), initial={"version": option.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.option_decide(
                request=request,
                option=option,
                decision=data["decision"],
                body=data["body"],
                decided_on=data["decided_on"],
                evidence=data["evidence"],
                version=data["version"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("commissioning:contract", pk=contract.pk)
    context = {"form": form, "contract": contract, "row": row, "required": required}
    return render(request, "commissioning/option_decide.html", context)


def variation_add(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk, manage=True)
    form = VariationForm(posted(request), bodies=_bodies())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.variation_record(
                request=request,
                contract=contract,
                token=data["token"],
                description=data["description"],
                value_change=data["value_change"],
                agreed_on=data["agreed_on"],
                body=data["body"],
                evidence=data["evidence"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Variation recorded."))
            return redirect("commissioning:contract", pk=contract.pk)
    return render(request, "commissioning/variation_add.html", {"form": form, "contract": contract})


def decommission(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk, manage=True)
    form = DecommissionForm(posted(request), bodies=_bodies())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.contract_decommission(
                request=request,
                contract=contract,
                end_date=data["end_date"],
                transition_plan=data["transition_plan"],
                decided_on=data["decided_on"],
                body=data["body"],
                evidence=data["evidence"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Decommissioning recorded."))
            return redirect("commissioning:contract", pk=contract.pk)
    return render(request, "commissioning/decommission.html", {"form": form, "contract": contract})


def target_add(request: HttpRequest, pk: int) -> HttpResponse:
    contract = _contract(request, pk, manage=True)
    form = TargetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.target_create(
                request=request,
                contract=contract,
                name=data["name"],
                kind=data["kind"],
                polarity=data["polarity"],
                value=data["value"],
                unit=data["unit"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                metric=data["metric"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Target added."))
            return redirect("commissioning:contract", pk=contract.pk)
    return render(request, "commissioning/target_add.html", {"form": form, "contract": contract})


def target_update(request: HttpRequest, pk: int, target_pk: int) -> HttpResponse:
    """The lead commissioner writes a target's narrative for a period (and the actual, when no
    report measure gives it). Earlier updates are listed below the form: they are never changed."""
    contract = _contract(request, pk, manage=True)
    target = get_scoped_or_404(selectors.targets_for_contract(contract), pk=target_pk)
    form = TargetUpdateForm(posted(request), target=target)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.target_update_record(
                request=request,
                target=target,
                token=data["token"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                narrative=data["narrative"],
                actual=data.get("actual"),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Update saved."))
            return redirect("commissioning:contract", pk=contract.pk)
    context = {
        "form": form,
        "contract": contract,
        "target": target,
        "updates": list(selectors.updates_for_target(target)),
    }
    return render(request, "commissioning/target_update.html", context)
