"""Writes for commissioning. Each validates, writes in one transaction and audits.

Decisions (extensions, variations, decommissioning) are checked against the approval rules
(configuration, approvals.py): the body recorded as taking the decision must hold at least
the authority the governing rule requires, or the decision is refused and nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Organisation
from safepath.commissioning import approvals, measures, selectors, terms
from safepath.commissioning.choices import ChangeKind, Decision, PartnerRole
from safepath.commissioning.models import (
    ZERO,
    Allocation,
    ApprovalBody,
    ApprovalRule,
    Contract,
    ContractPartner,
    Decommissioning,
    ExtensionOption,
    FundingSource,
    FundingYear,
    OptionAppraisal,
    Spend,
    Target,
    TargetUpdate,
    Variation,
)
from safepath.core.audit import Action, audit_event
from safepath.core.once import check_token

PENNY = Decimal("0.01")


class DecisionChanged(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            _("Someone else recorded a decision on this option while you were working on it. Check it as it is now."),
            code="stale",
        )


def _user(request: HttpRequest | None) -> Any:
    return request.user if request is not None and request.user.is_authenticated else None


def _authority_error(deciding: ApprovalBody, required: selectors.Requirement) -> str | None:
    if approvals.may_decide(selectors.body_spec(deciding), selectors.body_spec(required.body)):
        return None
    because = required.rule.name if required.rule else _("the default rule")
    return _("%(deciding)s cannot take this decision: it needs %(required)s (%(rule)s).") % {
        "deciding": deciding.name,
        "required": required.body.name,
        "rule": because,
    }


# --- contracts ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerShare:
    organisation: Organisation
    role: str
    share: Decimal


def _partner_errors(partners: list[PartnerShare]) -> list[str]:
    errors = []
    if sum(1 for p in partners if p.role == PartnerRole.LEAD) != 1:
        errors.append(_("Name exactly one lead provider."))
    if len({p.organisation.pk for p in partners}) != len(partners):
        errors.append(_("Name each provider once."))
    if any(not ZERO < p.share <= 100 for p in partners):
        errors.append(_("Each share must be more than 0% and at most 100%."))
    if sum((p.share for p in partners), ZERO) != 100:
        errors.append(_("The shares must add up to 100%."))
    return errors


@transaction.atomic
def contract_create(
    *,
    request: HttpRequest | None,
    commissioner: Organisation,
    partners: list[PartnerShare],
    option_months: list[int],
    co_commissioners: list[Organisation] = (),  # type: ignore[assignment]
    pathways: list[Any] = (),  # type: ignore[assignment]
    **fields: Any,
) -> Contract:
    """Add a contract with its lead provider and partners (shares adding up to 100%) and its
    extension options (months each: [24, 12] for 2+2+1 with a 2-year initial term)."""
    errors = _partner_errors(partners)
    if any(not 1 <= m <= 120 for m in option_months):
        errors.append(_("Each extension option must be from 1 to 120 months."))
    if errors:
        raise ValidationError(errors)
    if Contract.objects.filter(reference=fields.get("reference", "")).exists():
        errors.append(_("A contract with this reference already exists."))
        raise ValidationError({"reference": errors[-1]})
    fields.setdefault("end_date", fields["initial_end_date"])
    contract = Contract(commissioner=commissioner, **fields)
    contract.full_clean(exclude=["commissioner", "first_approved_by"], validate_constraints=False)
    if contract.initial_end_date < contract.start_date:
        raise ValidationError({"initial_end_date": _("The initial term must end on or after its start.")})
    contract.save()
    contract.co_commissioners.set([o for o in co_commissioners if o.pk != commissioner.pk])
    contract.pathways.set(pathways)
    ContractPartner.objects.bulk_create(
        ContractPartner(contract=contract, organisation=p.organisation, role=p.role, share=p.share) for p in partners
    )
    ExtensionOption.objects.bulk_create(
        ExtensionOption(contract=contract, sequence=i, months=m) for i, m in enumerate(option_months, start=1)
    )
    audit_event(action=Action.CREATE, request=request, obj=contract)
    return contract


@transaction.atomic
def partner_add(
    *, request: HttpRequest | None, contract: Contract, organisation: Organisation, share: Decimal
) -> ContractPartner:
    """Add a sub-contracted partner; its share comes out of the lead provider's."""
    contract = _locked(contract)
    lead = contract.partners.select_for_update().get(role=PartnerRole.LEAD)
    if contract.partners.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": _("This provider is already on the contract.")})
    if not ZERO < share < lead.share:
        raise ValidationError(
            {
                "share": _("The share must be more than 0%% and less than the lead provider's %(lead)s%%.")
                % {"lead": f"{lead.share:g}"}
            }
        )
    lead.share -= share
    lead.save(update_fields=["share"])
    partner = ContractPartner.objects.create(
        contract=contract, organisation=organisation, role=PartnerRole.SUBCONTRACTOR, share=share
    )
    audit_event(action=Action.CREATE, request=request, obj=partner, reason=f"partner on contract {contract.pk}")
    return partner


def _locked(contract: Contract) -> Contract:
    return Contract.objects.select_for_update().get(pk=contract.pk)


@transaction.atomic
def option_decide(
    *,
    request: HttpRequest | None,
    option: ExtensionOption,
    decision: str,
    body: ApprovalBody,
    decided_on: date,
    evidence: str,
    version: int | None = None,
) -> ExtensionOption:
    """Approve or decline the next extension option. The deciding body must hold the authority
    the governing rule requires. Approving moves the contract's end date to the end of the
    extension; declining lets every later option lapse."""
    contract = _locked(option.contract)
    current = ExtensionOption.objects.select_for_update().get(pk=option.pk)
    if version is not None and version != current.version:
        raise DecisionChanged()
    if decision not in (Decision.APPROVED, Decision.DECLINED):
        raise ValidationError({"decision": _("Choose whether the extension is approved or declined.")})
    row = next((r for r in selectors.option_schedule(contract, decided_on) if r.option.pk == current.pk), None)
    if row is None or not row.is_next:
        raise ValidationError(_("This option cannot be decided now: decide the earlier options first."))
    errors: dict[str, str] = {}
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The decision date must be today or in the past.")
    if decided_on >= row.period.starts:
        errors["decided_on"] = _("The term this option would extend has already ended; it can no longer be taken.")
    if not evidence.strip():
        errors["evidence"] = _("Enter the evidence for the decision, for example the minute or report reference.")
    required = selectors.requirement(selectors.extension_change(current, contract), contract)
    if (message := _authority_error(body, required)) is not None:
        errors["body"] = message
    if errors:
        raise ValidationError(errors)
    current.decision, current.decided_by_body, current.decided_on = decision, body, decided_on
    current.decided_by, current.evidence = _user(request), evidence.strip()
    current.required_body, current.rule = required.body, required.rule
    current.version += 1
    current.save()
    if decision == Decision.APPROVED:
        contract.end_date = row.period.ends
        contract.save(update_fields=["end_date"])
    else:
        contract.options.filter(sequence__gt=current.sequence, decision=Decision.PENDING).update(
            decision=Decision.LAPSED
        )
    audit_event(action=Action.UPDATE, request=request, obj=current, reason=f"extension option {decision}")
    return current


@transaction.atomic
def variation_record(
    *,
    request: HttpRequest | None,
    contract: Contract,
    token: str,
    description: str,
    value_change: Decimal,
    agreed_on: date,
    body: ApprovalBody,
    evidence: str,
) -> Variation:
    check_token(token)
    contract = _locked(contract)
    if (existing := Variation.objects.filter(form_token=token).first()) is not None:
        return existing
    change = approvals.Change(
        ChangeKind.VARIATION, value=abs(value_change), first_approved_by=contract.first_approved_by_id
    )
    required = selectors.requirement(change, contract)
    errors: dict[str, str] = {}
    if not description.strip():
        errors["description"] = _("Describe the variation.")
    if agreed_on > timezone.localdate():
        errors["agreed_on"] = _("The date agreed must be today or in the past.")
    if contract.total_value + value_change < 0:
        errors["value_change"] = _("The contract's total value cannot fall below £0.")
    if (message := _authority_error(body, required)) is not None:
        errors["body"] = message
    if errors:
        raise ValidationError(errors)
    variation = Variation.objects.create(
        contract=contract,
        description=description.strip(),
        value_change=value_change,
        agreed_on=agreed_on,
        required_body=required.body,
        decided_by_body=body,
        rule=required.rule,
        evidence=evidence.strip(),
        recorded_by=_user(request),
        form_token=token,
    )
    contract.total_value += value_change
    contract.save(update_fields=["total_value"])
    audit_event(action=Action.CREATE, request=request, obj=variation, reason=f"variation of contract {contract.pk}")
    return variation


@transaction.atomic
def contract_decommission(
    *,
    request: HttpRequest | None,
    contract: Contract,
    end_date: date,
    transition_plan: str,
    decided_on: date,
    body: ApprovalBody,
    evidence: str,
) -> Decommissioning:
    """End a contract early or at the end of its term, with a plan for the people it serves.
    Options still undecided lapse."""
    contract = _locked(contract)
    if Decommissioning.objects.filter(contract=contract).exists():
        raise ValidationError(_("This contract is already being decommissioned."))
    change = approvals.Change(
        ChangeKind.DECOMMISSION, value=contract.annual_value, first_approved_by=contract.first_approved_by_id
    )
    required = selectors.requirement(change, contract)
    errors: dict[str, str] = {}
    if not transition_plan.strip():
        errors["transition_plan"] = _("Describe the transition plan: how people using the service will be supported.")
    if end_date < decided_on:
        errors["end_date"] = _("The end date must be on or after the decision date.")
    if end_date > contract.end_date:
        errors["end_date"] = _("The end date cannot be after the contract's current end date.")
    if decided_on > timezone.localdate():
        errors["decided_on"] = _("The decision date must be today or in the past.")
    if (message := _authority_error(body, required)) is not None:
        errors["body"] = message
    if errors:
        raise ValidationError(errors)
    record = Decommissioning.objects.create(
        contract=contract,
        end_date=end_date,
        transition_plan=transition_plan.strip(),
        decided_on=decided_on,
        required_body=required.body,
        decided_by_body=body,
        rule=required.rule,
        evidence=evidence.strip(),
        recorded_by=_user(request),
    )
    contract.end_date = end_date
    contract.save(update_fields=["end_date"])
    contract.options.filter(decision=Decision.PENDING).update(decision=Decision.LAPSED)
    audit_event(action=Action.CREATE, request=request, obj=record, reason=f"decommissioning of contract {contract.pk}")
    return record


@transaction.atomic
def target_create(
    *,
    request: HttpRequest | None,
    contract: Contract,
    name: str,
    kind: str,
    polarity: str,
    value: Decimal,
    unit: str,
    period_start: date,
    period_end: date,
    metric: str = "",
) -> Target:
    if period_end < period_start:
        raise ValidationError({"period_end": _("The end of the period must be on or after its start.")})
    measure = measures.measure(metric)
    if metric and measure is None:
        raise ValidationError({"metric": _("Choose a measure from the list.")})
    target = Target(
        contract=contract,
        name=name.strip(),
        kind=kind,
        polarity=polarity,
        value=value,
        unit=measure.unit if measure is not None and measure.unit else unit.strip(),
        period_start=period_start,
        period_end=period_end,
        metric=metric,
    )
    target.full_clean()
    target.save()
    audit_event(action=Action.CREATE, request=request, obj=target, reason=f"target for contract {contract.pk}")
    return target


def target_update_record(
    *,
    request: HttpRequest | None,
    target: Target,
    token: str,
    period_start: date,
    period_end: date,
    narrative: str,
    actual: Decimal | None = None,
) -> TargetUpdate:
    """A narrative (and, for a target no report measure gives, the actual) for one period.
    Added, never changed: the history stays. A second submission of the same form returns the
    first update."""
    check_token(token)
    with transaction.atomic():
        target = Target.objects.select_for_update().get(pk=target.pk)  # one submission at a time
        if (existing := TargetUpdate.objects.filter(form_token=token).first()) is not None:
            return existing
        errors: dict[str, str] = {}
        if not narrative.strip():
            errors["narrative"] = _("Write the narrative: how the service did against the target, and why.")
        if period_end < period_start:
            errors["period_end"] = _("The end of the period must be on or after its start.")
        elif period_start > target.period_end or period_end < target.period_start:
            errors["period_start"] = _("The period must fall within the target's period, %(start)s to %(end)s.") % {
                "start": f"{target.period_start:%-d %B %Y}",
                "end": f"{target.period_end:%-d %B %Y}",
            }
        elif period_start > timezone.localdate():
            errors["period_start"] = _("The period must have started: write about a period once it begins.")
        if actual is not None and target.metric:
            errors["actual"] = _(
                "This target's actual comes from the report (%(measure)s). Leave the actual blank."
            ) % {"measure": target.measure.label if target.measure else target.metric}
        if errors:
            raise ValidationError(errors)
        update = TargetUpdate.objects.create(
            target=target,
            period_start=period_start,
            period_end=period_end,
            actual=actual,
            narrative=narrative.strip(),
            author=_user(request),
            form_token=token,
        )
        audit_event(
            action=Action.CREATE, request=request, obj=update, reason=f"update to target {target.pk}; form {token}"
        )
    return update


@transaction.atomic
def rule_create(
    *,
    request: HttpRequest | None,
    organisation: Organisation,
    name: str,
    kind: str,
    required_body: ApprovalBody,
    months_over: int | None = None,
    first_approved_by: ApprovalBody | None = None,
    value_over: Decimal | None = None,
) -> ApprovalRule:
    """Add a rule from the organisation's constitution. It governs decisions from now on;
    decisions already taken keep the rule they were taken under."""
    rule = ApprovalRule(
        organisation=organisation,
        name=name.strip(),
        kind=kind,
        required_body=required_body,
        months_over=months_over,
        first_approved_by=first_approved_by,
        value_over=value_over,
    )
    rule.full_clean()
    rule.save()
    audit_event(action=Action.CREATE, request=request, obj=rule)
    return rule


@transaction.atomic
def rule_retire(*, request: HttpRequest | None, rule: ApprovalRule) -> ApprovalRule:
    """Stop applying a rule; it stays on record for the decisions taken under it."""
    rule.is_active = False
    rule.save(update_fields=["is_active"])
    audit_event(action=Action.UPDATE, request=request, obj=rule, reason="rule retired")
    return rule


# --- money ----------------------------------------------------------------------------------


@transaction.atomic
def source_create(
    *, request: HttpRequest | None, owner: Organisation, name: str, kind: str, funder: str, year: int, amount: Decimal
) -> FundingSource:
    source = FundingSource(owner=owner, name=name.strip(), kind=kind, funder=funder.strip())
    source.full_clean()
    source.save()
    audit_event(action=Action.CREATE, request=request, obj=source)
    funding_year_set(request=request, source=source, year=year, amount=amount)
    return source


@transaction.atomic
def funding_year_set(*, request: HttpRequest | None, source: FundingSource, year: int, amount: Decimal) -> FundingYear:
    """Set a source's amount for a year; never below what is already allocated from it."""
    funding_year, _created = FundingYear.objects.select_for_update().get_or_create(
        source=source, year=year, defaults={"amount": ZERO}
    )
    allocated = funding_year.allocations.aggregate(total=Sum("amount"))["total"] or ZERO
    if amount < allocated:
        raise ValidationError(
            {
                "amount": _(
                    "£%(allocated)s is already allocated from this source for the year; the amount cannot be less."
                )
                % {"allocated": f"{allocated:,.2f}"}
            }
        )
    funding_year.amount = amount
    funding_year.save(update_fields=["amount"])
    audit_event(
        action=Action.UPDATE, request=request, obj=funding_year, reason=f"amount for {terms.financial_year_label(year)}"
    )
    return funding_year


@transaction.atomic
def allocation_create(
    *,
    request: HttpRequest | None,
    funding_year: FundingYear,
    amount: Decimal,
    contract: Contract | None = None,
    spot_purchase: str = "",
    provider: Organisation | None = None,
    token: str | None = None,
) -> Allocation:
    """Allocate money from a source's year. The source's row is locked (SELECT … FOR UPDATE)
    while its allocations are summed, so two allocations made at the same moment cannot
    together exceed it (ADR 0012)."""
    if token is not None:
        check_token(token)
        if (existing := Allocation.objects.filter(form_token=token).first()) is not None:
            return existing
    locked = FundingYear.objects.select_for_update().get(pk=funding_year.pk)
    errors: dict[str, str] = {}
    if (contract is None) == (not spot_purchase.strip()):
        errors["contract"] = _("Choose a contract, or say what spot purchases the money is for.")
    if amount <= 0 or amount != amount.quantize(PENNY):
        errors["amount"] = _("Enter an amount in pounds and pence, more than £0.")
    allocated = locked.allocations.aggregate(total=Sum("amount"))["total"] or ZERO
    if not errors and allocated + amount > locked.amount:
        errors["amount"] = _("Only £%(left)s of this source is left to allocate for %(year)s.") % {
            "left": f"{locked.amount - allocated:,.2f}",
            "year": locked.label,
        }
    if errors:
        raise ValidationError(errors)
    allocation = Allocation.objects.create(
        funding_year=locked,
        contract=contract,
        spot_purchase=spot_purchase.strip() if contract is None else "",
        provider=provider if contract is None else None,
        amount=amount,
        form_token=token,
    )
    FundingYear.objects.filter(pk=locked.pk).update(allocated_total=F("allocated_total") + amount)
    audit_event(action=Action.CREATE, request=request, obj=allocation)
    return allocation


@transaction.atomic
def spend_record(*, request: HttpRequest | None, allocation: Allocation, quarter: int, amount: Decimal) -> Spend:
    if quarter not in (1, 2, 3, 4):
        raise ValidationError({"quarter": _("Choose a quarter.")})
    if amount < 0:
        raise ValidationError({"amount": _("Spend cannot be negative.")})
    spend, _created = Spend.objects.update_or_create(
        allocation=allocation, quarter=quarter, defaults={"amount": amount}
    )
    audit_event(action=Action.UPDATE, request=request, obj=spend, reason=f"spend quarter {quarter}")
    return spend


# --- options appraisal ----------------------------------------------------------------------


@transaction.atomic
def appraisal_create(
    *,
    request: HttpRequest | None,
    owner: Organisation,
    option: str,
    benefits: str,
    disadvantages: str,
    risks: str,
    decision: str,
    decision_notes: str = "",
    decided_on: date | None = None,
    plan: Any = None,
    contract: Contract | None = None,
    token: str | None = None,
) -> OptionAppraisal:
    if token is not None:
        check_token(token)
        if (existing := OptionAppraisal.objects.filter(form_token=token).first()) is not None:
            return existing
    if not option.strip():
        raise ValidationError({"option": _("Describe the option.")})
    appraisal = OptionAppraisal.objects.create(
        owner=owner,
        plan=plan,
        contract=contract,
        option=option.strip(),
        benefits=benefits.strip(),
        disadvantages=disadvantages.strip(),
        risks=risks.strip(),
        decision=decision,
        decision_notes=decision_notes.strip(),
        decided_on=decided_on,
        form_token=token,
    )
    audit_event(action=Action.CREATE, request=request, obj=appraisal)
    return appraisal
