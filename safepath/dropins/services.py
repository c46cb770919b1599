"""Writes for drop-in visits and venues: validated, in one transaction, audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Organisation, User
from safepath.areas.models import Area
from safepath.cases.models import Case
from safepath.core.audit import Action, audit_event
from safepath.core.once import check_token
from safepath.core.roles import OrganisationType
from safepath.dropins import selectors
from safepath.dropins.models import Venue, Visit, Visitor

# --- venues -----------------------------------------------------------------------------------


@transaction.atomic
def venue_create(*, request: HttpRequest | None, provider: Organisation, name: str, area: Area) -> Venue:
    name = " ".join((name or "").split())
    if provider.type != OrganisationType.PROVIDER:
        raise ValidationError(_("Only a provider runs drop-ins."))
    if not name:
        raise ValidationError({"name": _("Enter the name of the venue.")})
    if Venue.objects.filter(provider=provider, name__iexact=name).exists():
        raise ValidationError({"name": _("Your organisation already has a venue with this name.")})
    venue = Venue.objects.create(provider=provider, name=name, area=area)
    audit_event(action=Action.CREATE, request=request, obj=venue)
    return venue


@transaction.atomic
def venue_set_active(*, request: HttpRequest | None, venue: Venue, active: bool) -> Venue:
    """Open a venue again or retire it: a retired venue is not offered for new visits, and its
    visits still count."""
    if venue.is_active != active:
        venue.is_active = active
        venue.save(update_fields=["is_active"])
        audit_event(action=Action.UPDATE, request=request, obj=venue, reason="opened" if active else "retired")
    return venue


# --- visits -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitInput:
    venue_id: int | None
    on: date | None
    visitor: str
    outcomes: list[str] = field(default_factory=list)
    case_reference: str = ""


def _check(provider: Organisation, data: VisitInput, cases: QuerySet[Case]) -> tuple[Venue, Case | None]:
    errors: dict[str, str] = {}
    venue = Venue.objects.filter(pk=data.venue_id, provider=provider, is_active=True).first()
    if venue is None:
        errors["venue"] = _("Choose the venue.")
    if data.on is None:
        errors["on"] = _("Enter the date of the visit.")
    elif data.on > timezone.localdate():
        errors["on"] = _("The date of the visit must be today or in the past.")
    if data.visitor not in Visitor.values:
        errors["visitor"] = _("Choose whether the visitor was new or returning.")
    allowed = dict(selectors.outcome_choices())
    if not data.outcomes:
        errors["outcomes"] = _("Choose what happened at the visit.")
    elif any(code not in allowed for code in data.outcomes):
        errors["outcomes"] = _("Choose what happened from the list.")
    case = None
    reference = data.case_reference.strip().upper()
    if reference:
        # Only the provider's own cases: any other reference reads as unknown, whether it exists or not.
        case = cases.filter(reference=reference, provider=provider).first()
        if case is None:
            errors["case_reference"] = _(
                "None of your organisation's cases has this reference. Check it, or leave it blank."
            )
    if errors:
        raise ValidationError(errors)
    assert venue is not None
    return venue, case


def visit_record(
    *,
    request: HttpRequest | None,
    provider: Organisation,
    token: str,
    data: VisitInput,
    cases: QuerySet[Case],
    by: User | None = None,
) -> Visit:
    """Record one drop-in visit. `cases` is the recorder's scoped cases
    (cases.selectors.cases_for): a visit links only to a case they may open. Submitting the
    same form again returns the visit saved the first time."""
    check_token(token)
    found = Visit.objects.filter(form_token=token, provider=provider).first()
    if found is not None:
        return found
    venue, case = _check(provider, data, cases)
    user = by or (request.user if request is not None and request.user.is_authenticated else None)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                provider=provider,
                venue=venue,
                on=data.on,
                visitor=data.visitor,
                outcomes=sorted(set(data.outcomes)),
                case=case,
                recorded_by=user,
                recorded_at=timezone.now(),
                form_token=token,
            )
            audit_event(action=Action.CREATE, request=request, obj=visit)
            if case is not None:
                audit_event(action=Action.UPDATE, request=request, obj=case, reason=f"drop-in visit {visit.pk}")
    except IntegrityError:
        # The same form submitted twice at once: the other request saved it.
        found = Visit.objects.filter(form_token=token, provider=provider).first()
        if found is None:
            raise
        return found
    return visit
