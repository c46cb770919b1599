"""Writes for perpetrator interventions bought order by order: the victim's worker orders one
from the victim's case; the delivering provider moves it along ORDER_TRANSITIONS and records
its dates and outcome. Each function validates, writes in one transaction and audits (never
with personal data in the reason).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Organisation
from safepath.cases.models import Case
from safepath.core.audit import Action, audit_event
from safepath.core.models import VocabularyTerm
from safepath.people.models import Person
from safepath.programmes.choices import (
    FINISHED_STATUSES,
    ORDER_TRANSITIONS,
    PERPETRATOR_OUTCOMES,
    STARTED_STATUSES,
    OrderStatus,
)
from safepath.programmes.models import PerpetratorOrder, PerpetratorOrderChange
from safepath.programmes.selectors import delivering_providers, harm_people_for
from safepath.programmes.services import acting_user, create_once


class OrderChanged(ValidationError):
    """The order changed since the form was shown; the second writer is told, not overwritten."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this order while you were working on it. "
                "Check the order as it is now, then try again."
            ),
            code="stale",
        )


@transaction.atomic
def perpetrator_order_create(
    *,
    request: HttpRequest | None,
    case: Case,
    person: Person,
    provider: Organisation,
    token: str,
    unit_description: str,
    unit_cost: Decimal,
    units: int,
    ordered_on: date | None = None,
    starts_on: date | None = None,
) -> PerpetratorOrder:
    """Order an intervention for a person causing harm to the case's person, from a provider on
    the perpetrator pathway. The order is linked to the victim's case for safety."""
    current = Case.objects.select_for_update().get(pk=case.pk)
    ordered_on = ordered_on or timezone.localdate()
    errors: dict[str, str] = {}
    if not current.is_open:
        raise ValidationError(_("This case is closed. Reopen it before ordering an intervention."))
    if not harm_people_for(current).filter(pk=person.pk).exists():
        errors["person"] = _("Choose a person causing harm recorded on this person's record.")
    if not delivering_providers().filter(pk=provider.pk).exists():
        errors["provider"] = _("Choose a provider of perpetrator interventions.")
    if not unit_description.strip():
        errors["unit_description"] = _("Enter what one unit is, for example “one session”.")
    if unit_cost < 0 or unit_cost.as_tuple().exponent < -2:  # type: ignore[operator]
        errors["unit_cost"] = _("Enter the cost in pounds and pence, for example 85.50.")
    if not 1 <= units <= 500:
        errors["units"] = _("Enter a number of units from 1 to 500.")
    if ordered_on > timezone.localdate():
        errors["ordered_on"] = _("The order date must be today or in the past.")
    if starts_on is not None and starts_on < ordered_on:
        errors["starts_on"] = _("The start date must be on or after the order date.")
    if errors:
        raise ValidationError(errors)
    order, created = create_once(
        PerpetratorOrder,
        token,
        person=person,
        victim_case=current,
        provider=provider,
        ordering_organisation_id=current.provider_id,
        ordered_by=acting_user(request),
        ordered_on=ordered_on,
        unit_description=unit_description.strip(),
        unit_cost=unit_cost,
        units=units,
        starts_on=starts_on,
        created_at=timezone.now(),
    )
    if created:
        PerpetratorOrderChange.objects.create(
            order=order, from_status="", to_status=order.status, at=order.created_at, by=acting_user(request)
        )
        audit_event(action=Action.CREATE, request=request, obj=order)
    return order


def _outcome_term(code: str) -> VocabularyTerm | None:
    return VocabularyTerm.objects.filter(vocabulary=PERPETRATOR_OUTCOMES, code=code, is_active=True).first()


def _order_errors(
    order: PerpetratorOrder, status: str, outcome: str, starts_on: date | None, ends_on: date | None
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if status in STARTED_STATUSES and starts_on is None:
        errors["starts_on"] = _("Enter the date the intervention started.")
    if status in FINISHED_STATUSES:
        if ends_on is None:
            errors["ends_on"] = _("Enter the date the intervention ended.")
        if not outcome or (_outcome_term(outcome) is None and outcome != order.outcome):
            errors["outcome"] = _("Choose the outcome.")
    elif outcome:
        errors["outcome"] = _("An outcome is recorded only when the intervention has ended.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The end date must be on or after the start date.")
    if ends_on and ends_on > timezone.localdate():
        errors["ends_on"] = _("The end date must be today or in the past.")
    return errors


@transaction.atomic
def perpetrator_order_update(
    *,
    request: HttpRequest | None,
    order: PerpetratorOrder,
    status: str,
    version: int | None,
    outcome: str = "",
    starts_on: date | None = None,
    ends_on: date | None = None,
) -> PerpetratorOrder:
    """The delivering provider moves the order along ORDER_TRANSITIONS and records its dates and
    outcome. A form showing an older version is refused (optimistic locking)."""
    current = PerpetratorOrder.objects.select_for_update().get(pk=order.pk)
    if version is not None and version != current.version:
        raise OrderChanged()
    if status not in OrderStatus.values:
        raise ValidationError({"status": _("Choose the order's status.")})
    unchanged = (current.status, current.outcome, current.starts_on, current.ends_on) == (
        status,
        outcome,
        starts_on,
        ends_on,
    )
    if unchanged:
        return current
    if status != current.status and status not in ORDER_TRANSITIONS[current.status]:
        raise ValidationError(
            {
                "status": _("An order that is “%(current)s” cannot be changed to “%(new)s”.")
                % {"current": OrderStatus(current.status).label, "new": OrderStatus(status).label}
            }
        )
    errors = _order_errors(current, status, outcome, starts_on, ends_on)
    if errors:
        raise ValidationError(errors)
    from_status = current.status
    current.status, current.outcome, current.starts_on, current.ends_on = status, outcome, starts_on, ends_on
    current.version += 1
    current.save()
    if from_status != status:
        PerpetratorOrderChange.objects.create(
            order=current,
            from_status=from_status,
            to_status=status,
            outcome=outcome,
            at=timezone.now(),
            by=acting_user(request),
        )
    audit_event(action=Action.UPDATE, request=request, obj=current, reason=f"status {from_status} to {status}")
    return current
