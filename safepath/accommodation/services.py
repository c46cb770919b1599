"""Writes for safe accommodation. Every function validates, writes in one transaction and
audits; audit reasons name what happened, never a person or an address.

A placement moves along PLACEMENT_TRANSITIONS, one immutable PlacementChange row per move.
Moving in occupies a bedspace and moving on frees it, in the same transaction; the database
refuses a second household in support in one bedspace (models.one_household_per_bedspace).
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accommodation import crypto, matching
from safepath.accommodation.choices import (
    DECLINE_REASONS,
    DESTINATIONS,
    END_REASONS,
    PLACEMENT_TRANSITIONS,
    STAFF_STATES,
    BedspaceState,
    OutOfAreaReason,
    PlacementKind,
    PlacementStatus,
    ServiceType,
)
from safepath.accommodation.models import Bedspace, Placement, PlacementChange, Service, UnmetNeed
from safepath.accommodation.selectors import is_out_of_area, terms
from safepath.accounts.models import Organisation, User
from safepath.areas.models import Area
from safepath.cases.models import Case
from safepath.core.audit import Action, audit_event
from safepath.core.once import check_token
from safepath.core.roles import OrganisationType


def acting_user(request: HttpRequest | None) -> User | None:
    return request.user if request is not None and request.user.is_authenticated else None  # type: ignore[return-value]


# --- services and bedspaces (configuration; no personal data, but the address is secret) -------


@transaction.atomic
def service_create(
    *,
    request: HttpRequest | None,
    provider: Organisation,
    area: Area,
    name: str,
    type: str,
    address: str = "",
    languages: str = "",
    by_and_for: str = "",
    lgbt: bool = False,
    complex_needs: bool = False,
) -> Service:
    if provider.type != OrganisationType.PROVIDER:
        raise ValidationError({"provider": _("Choose a provider organisation.")})
    if type not in ServiceType.values:
        raise ValidationError({"type": _("Choose the type of accommodation.")})
    if not name.strip():
        raise ValidationError({"name": _("Enter the service's name.")})
    if Service.objects.filter(provider=provider, name=name.strip()).exists():
        raise ValidationError({"name": _("Your organisation already has a service with this name.")})
    service = Service.objects.create(
        provider=provider,
        area=area,
        name=name.strip(),
        type=type,
        address_sealed=crypto.seal(address.strip()),
        languages=languages.strip(),
        by_and_for=by_and_for.strip(),
        lgbt=lgbt,
        complex_needs=complex_needs,
    )
    audit_event(action=Action.CREATE, request=request, obj=service, reason="accommodation service")
    return service


@transaction.atomic
def service_address_set(*, request: HttpRequest | None, service: Service, address: str) -> Service:
    """Replace the secret address (the audit row says it changed, never what to)."""
    service.address_sealed = crypto.seal(address.strip())
    service.save(update_fields=["address_sealed"])
    audit_event(action=Action.UPDATE, request=request, obj=service, reason="address changed")
    return service


@transaction.atomic
def bedspace_add(
    *,
    request: HttpRequest | None,
    service: Service,
    label: str,
    accessible: bool = False,
    accepts_men: bool = False,
    max_children: int = 0,
    max_boy_age: int | None = None,
    accepts_pets: bool = False,
) -> Bedspace:
    if service.is_sanctuary:
        raise ValidationError(_("A sanctuary scheme fits security at people's own homes: it has no bedspaces."))
    if not label.strip():
        raise ValidationError({"label": _("Enter a name for the space, for example Room 3.")})
    if service.bedspaces.filter(label=label.strip()).exists():
        raise ValidationError({"label": _("This service already has a space with that name.")})
    bedspace = Bedspace.objects.create(
        service=service,
        label=label.strip(),
        accessible=accessible,
        accepts_men=accepts_men,
        max_children=max_children,
        max_boy_age=max_boy_age,
        accepts_pets=accepts_pets,
        state_changed_at=timezone.now(),
        state_changed_by=acting_user(request),
    )
    audit_event(action=Action.CREATE, request=request, obj=bedspace, reason="bedspace")
    return bedspace


@transaction.atomic
def bedspace_state_set(*, request: HttpRequest | None, bedspace: Bedspace, state: str) -> Bedspace:
    """Staff mark a bedspace vacant, reserved or out of use. Occupied comes only from a move-in,
    and an occupied bedspace is freed only by moving the household on."""
    current = Bedspace.objects.select_for_update().get(pk=bedspace.pk)
    if state not in STAFF_STATES:
        raise ValidationError({"state": _("Choose vacant, reserved or out of use.")})
    if current.state == BedspaceState.OCCUPIED:
        raise ValidationError(
            {"state": _("Someone lives in this space. Record their move-on from the placement first.")}
        )
    if current.state != state:
        current.state = state
        current.state_changed_at = timezone.now()
        current.state_changed_by = acting_user(request)
        current.save(update_fields=["state", "state_changed_at", "state_changed_by"])
        audit_event(action=Action.UPDATE, request=request, obj=current, reason=f"bedspace {state}")
    return current


# --- placements ---------------------------------------------------------------------------------


def _term_exists(vocabulary: str, code: str) -> bool:
    return bool(code) and terms(vocabulary).filter(code=code).exists()


def _move(
    request: HttpRequest | None, placement: Placement, to: str, reason: str = "", fields: tuple[str, ...] = ()
) -> Placement:
    if to not in PLACEMENT_TRANSITIONS[placement.status]:
        raise ValidationError(
            _("This placement is %(status)s: it cannot be changed that way.")
            % {"status": PlacementStatus(placement.status).label.lower()}
        )
    was = placement.status
    placement.status = to
    placement.save(update_fields=["status", "updated_at", *fields])
    PlacementChange.objects.create(
        placement=placement, from_status=was, to_status=to, reason=reason, at=timezone.now(), by=acting_user(request)
    )
    audit_event(action=Action.UPDATE, request=request, obj=placement, reason=f"placement {to}")
    return placement


def _locked(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("service", "service__area")
        .get(pk=placement.pk)
    )


def _household_errors(adults: int, children: list[matching.Child]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not 1 <= adults <= 6:
        errors["adults"] = _("Enter the number of adults, from 1 to 6.")
    if len(children) > 12 or any(not 0 <= c.age <= 17 or c.sex not in (matching.GIRL, matching.BOY) for c in children):
        errors["children"] = _("Enter each child's age, from 0 to 17.")
    return errors


@transaction.atomic
def placement_refer(
    *,
    request: HttpRequest | None,
    case: Case,
    service: Service,
    token: str,
    adults: int = 1,
    children: list[matching.Child] | None = None,
    pets: bool = False,
    out_of_area_reason: str = "",
    referred_at: datetime | None = None,
) -> Placement:
    """Refer the case's household to a service. Out of the household's council, the reason is
    required (no local space, safety, ...). A second submission of the same form makes nothing."""
    check_token(token)
    existing = Placement.objects.filter(form_token=token).first()
    if existing is not None:
        return existing
    current = Case.objects.select_for_update(of=("self",)).select_related("person__area").get(pk=case.pk)
    children = children or []
    errors = _household_errors(adults, children)
    if not current.is_open:
        raise ValidationError(_("This case is closed. Reopen it before referring for accommodation."))
    if not service.is_active:
        errors["service"] = _("This service is not taking referrals.")
    out_of_area = is_out_of_area(service, current.person.area)
    if out_of_area and out_of_area_reason not in OutOfAreaReason.values:
        errors["out_of_area_reason"] = _("Choose why the household needs a place out of their area.")
    if errors:
        raise ValidationError(errors)
    placement = Placement.objects.create(
        case=current,
        service=service,
        kind=PlacementKind.SANCTUARY if service.is_sanctuary else PlacementKind.BEDSPACE,
        referring_organisation_id=current.provider_id,
        referred_at=referred_at or timezone.now(),
        referred_by=acting_user(request),
        adults=adults,
        children=[{"age": c.age, "sex": c.sex} for c in children],
        children_count=len(children),
        pets=pets,
        out_of_area=out_of_area,
        out_of_area_reason=out_of_area_reason if out_of_area else "",
        form_token=token,
    )
    PlacementChange.objects.create(
        placement=placement, to_status=placement.status, at=placement.referred_at, by=acting_user(request)
    )
    audit_event(action=Action.CREATE, request=request, obj=placement, reason=f"placement for case {current.pk}")
    return placement


@transaction.atomic
def placement_accept(*, request: HttpRequest | None, placement: Placement, at: datetime | None = None) -> Placement:
    current = _locked(placement)
    if current.status == PlacementStatus.ACCEPTED:
        return current  # the same decision submitted twice
    current.decided_at = at or timezone.now()
    return _move(request, current, PlacementStatus.ACCEPTED, fields=("decided_at",))


@transaction.atomic
def placement_decline(
    *, request: HttpRequest | None, placement: Placement, reason: str, at: datetime | None = None
) -> Placement:
    """Decline with a reason from the council's list ("no capacity" among them). A declined
    household counts in the return as not supported, under its latest reason."""
    current = _locked(placement)
    if current.status == PlacementStatus.DECLINED:
        return current
    if not _term_exists(DECLINE_REASONS, reason):
        raise ValidationError({"reason": _("Choose why the referral is declined.")})
    current.decided_at = at or timezone.now()
    current.decline_reason = reason
    return _move(request, current, PlacementStatus.DECLINED, reason, ("decided_at", "decline_reason"))


@transaction.atomic
def placement_withdraw(*, request: HttpRequest | None, placement: Placement) -> Placement:
    current = _locked(placement)
    if current.status == PlacementStatus.WITHDRAWN:
        return current
    return _move(request, current, PlacementStatus.WITHDRAWN)


@transaction.atomic
def placement_move_in(
    *,
    request: HttpRequest | None,
    placement: Placement,
    moved_in_on: date,
    bedspace: Bedspace | None = None,
    measures: str = "",
) -> Placement:
    """The household moves in (the bedspace becomes occupied), or, for a sanctuary scheme, the
    security measures are fitted at their own home (no bedspace)."""
    current = _locked(placement)
    if current.status == PlacementStatus.IN_SUPPORT:
        return current
    errors: dict[str, str] = {}
    if moved_in_on > timezone.localdate():
        errors["moved_in_on"] = _("The date must be today or in the past.")
    elif moved_in_on < timezone.localdate(current.referred_at):
        errors["moved_in_on"] = _("The date must be on or after the referral.")
    space = None
    if current.kind == PlacementKind.SANCTUARY:
        if not measures.strip():
            errors["measures"] = _("Describe the security measures fitted, for example new locks and a door alarm.")
    else:
        space = _free_bedspace(current, bedspace, errors)
    if errors:
        raise ValidationError(errors)
    current.moved_in_on = moved_in_on
    current.bedspace = space
    current.measures = measures.strip()
    try:
        with transaction.atomic():
            _move(request, current, PlacementStatus.IN_SUPPORT, fields=("moved_in_on", "bedspace", "measures"))
    except IntegrityError:  # a household moved into this bedspace at the same moment
        raise ValidationError({"bedspace": _("Someone has just moved into that space. Choose another.")}) from None
    if space is not None:
        _set_state(request, space, BedspaceState.OCCUPIED)
    return current


def _free_bedspace(placement: Placement, bedspace: Bedspace | None, errors: dict[str, str]) -> Bedspace | None:
    if bedspace is None:
        errors["bedspace"] = _("Choose the space the household moved into.")
        return None
    space = Bedspace.objects.select_for_update().filter(pk=bedspace.pk, service_id=placement.service_id).first()
    if space is None or not space.is_active:
        errors["bedspace"] = _("Choose a space at this service.")
    elif space.state not in (BedspaceState.VACANT, BedspaceState.RESERVED):
        errors["bedspace"] = _("That space is not free. Choose a vacant or reserved space.")
    return space


def _set_state(request: HttpRequest | None, bedspace: Bedspace, state: str) -> None:
    bedspace.state = state
    bedspace.state_changed_at = timezone.now()
    bedspace.state_changed_by = acting_user(request)
    bedspace.save(update_fields=["state", "state_changed_at", "state_changed_by"])
    audit_event(action=Action.UPDATE, request=request, obj=bedspace, reason=f"bedspace {state}")


@transaction.atomic
def placement_end(
    *, request: HttpRequest | None, placement: Placement, ended_on: date, reason: str, destination: str
) -> Placement:
    """Move-on (or the end of sanctuary support): why, and where the household went. The
    bedspace becomes vacant."""
    current = _locked(placement)
    if current.status == PlacementStatus.ENDED:
        return current
    errors: dict[str, str] = {}
    if not _term_exists(END_REASONS, reason):
        errors["reason"] = _("Choose why the support ended.")
    if not _term_exists(DESTINATIONS, destination):
        errors["destination"] = _("Choose where the household went.")
    if ended_on > timezone.localdate():
        errors["ended_on"] = _("The date must be today or in the past.")
    elif current.moved_in_on and ended_on < current.moved_in_on:
        errors["ended_on"] = _("The date must be on or after the move-in.")
    if errors:
        raise ValidationError(errors)
    current.ended_on, current.end_reason, current.destination = ended_on, reason, destination
    _move(request, current, PlacementStatus.ENDED, reason, ("ended_on", "end_reason", "destination"))
    if current.bedspace_id is not None:
        _set_state(request, Bedspace.objects.select_for_update().get(pk=current.bedspace_id), BedspaceState.VACANT)
    return current


@transaction.atomic
def unmet_need_record(
    *,
    request: HttpRequest | None,
    case: Case,
    area: Area,
    reason: str,
    token: str,
    recorded_at: datetime | None = None,
) -> UnmetNeed:
    """Record that the case's household could not be supported, and why (the return counts it)."""
    check_token(token)
    existing = UnmetNeed.objects.filter(form_token=token).first()
    if existing is not None:
        return existing
    if not _term_exists(DECLINE_REASONS, reason):
        raise ValidationError({"reason": _("Choose why the household could not be supported.")})
    unmet = UnmetNeed.objects.create(
        case=case,
        area=area,
        reason=reason,
        recorded_at=recorded_at or timezone.now(),
        recorded_by=acting_user(request),
        form_token=token,
    )
    audit_event(action=Action.CREATE, request=request, obj=unmet, reason=f"not supported, case {case.pk}")
    return unmet
