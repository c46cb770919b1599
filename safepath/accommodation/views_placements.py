"""Placements: the referring side refers a household from a person's case (and may withdraw);
the receiving side (staff of the provider running the service) accepts or declines, records the
move-in and the move-on. Every read and write is audited. No page here shows an address."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepath.accommodation import selectors, services
from safepath.accommodation.choices import (
    DECLINE_REASONS,
    DESTINATIONS,
    END_REASONS,
    OPEN_STATUSES,
    PlacementKind,
    PlacementStatus,
)
from safepath.accommodation.forms import DecideForm, EndForm, MoveInForm, ReferForm, UnmetNeedForm
from safepath.accommodation.models import Placement
from safepath.accommodation.rules import (
    DECIDE_PLACEMENT,
    MANAGE_VACANCIES,
    REFER,
    WITHDRAW_PLACEMENT,
)
from safepath.areas.models import Area
from safepath.cases.pages import case_context, case_for_page
from safepath.cases.rules import VIEW_CASES, WORK_CASES
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event, audit_many
from safepath.core.forms import add_errors, posted

PAGE_SIZE = 50
STATUS_TAG = {
    PlacementStatus.REFERRED: "govuk-tag--blue",
    PlacementStatus.ACCEPTED: "govuk-tag--turquoise",
    PlacementStatus.DECLINED: "govuk-tag--grey",
    PlacementStatus.IN_SUPPORT: "govuk-tag--green",
    PlacementStatus.ENDED: "govuk-tag--purple",
    PlacementStatus.WITHDRAWN: "govuk-tag--grey",
}


def _labels() -> dict[str, dict[str, str]]:
    return {
        "decline": selectors.labels(DECLINE_REASONS),
        "end": selectors.labels(END_REASONS),
        "destination": selectors.labels(DESTINATIONS),
    }


def placements(request: HttpRequest) -> HttpResponse:
    """Referrals to the services the user's organisation runs, open ones first."""
    require_perm(request, MANAGE_VACANCIES)
    queryset = (
        selectors.incoming_placements(request.user)
        .select_related("case__person", "service", "service__area", "referring_organisation", "bedspace")
        .order_by("-referred_at", "-id")
    )
    show = request.GET.get("show", "open")
    if show != "all":
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    audit_many(action=Action.VIEW, request=request, objects=rows, reason="placement requests")
    context = {"page": page, "rows": rows, "status_tag": STATUS_TAG, "show": show, "query": f"show={show}"}
    return render(request, "accommodation/placements.html", context)


def _placement(request: HttpRequest, pk: int) -> Placement:
    require_perm(request, MANAGE_VACANCIES)
    return get_scoped_or_404(
        selectors.placements_for(request.user).select_related(
            "case__person", "service", "service__area", "service__provider", "referring_organisation", "bedspace"
        ),
        pk=pk,
    )


def placement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    audit_event(action=Action.VIEW, request=request, obj=placement)
    user = request.user
    status = placement.status
    context = {
        "placement": placement,
        "person": placement.case.person,
        "status_tag": STATUS_TAG,
        "labels": _labels(),
        "changes": list(placement.changes.select_related("by")),
        "receiving": user.has_perm(DECIDE_PLACEMENT, placement),
        "referring": user.has_perm(WITHDRAW_PLACEMENT, placement),
        "can_decide": status == PlacementStatus.REFERRED and user.has_perm(DECIDE_PLACEMENT, placement),
        "can_move_in": status == PlacementStatus.ACCEPTED and user.has_perm(DECIDE_PLACEMENT, placement),
        "can_end": status == PlacementStatus.IN_SUPPORT and user.has_perm(DECIDE_PLACEMENT, placement),
        "can_withdraw": status in (PlacementStatus.REFERRED, PlacementStatus.ACCEPTED)
        and user.has_perm(WITHDRAW_PLACEMENT, placement),
    }
    return render(request, "accommodation/placement.html", context)


def _decider(request: HttpRequest, pk: int) -> Placement:
    placement = _placement(request, pk)
    require_perm(request, DECIDE_PLACEMENT, placement)
    return placement


def placement_decide(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _decider(request, pk)
    form = DecideForm(posted(request), reasons=selectors.decline_reasons())
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "accept":
                services.placement_accept(request=request, placement=placement)
                messages.success(request, _("Referral accepted. Record the move-in when the household arrives."))
            else:
                services.placement_decline(request=request, placement=placement, reason=form.cleaned_data["reason"])
                messages.success(request, _("Referral declined. The referring service can see why."))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("accommodation:placement", pk=placement.pk)
    audit_event(action=Action.VIEW, request=request, obj=placement)
    return render(request, "accommodation/decide.html", {"placement": placement, "form": form})


def placement_move_in(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _decider(request, pk)
    sanctuary = placement.kind == PlacementKind.SANCTUARY
    bedspaces = None if sanctuary else selectors.vacant_bedspaces(placement.service)
    form = MoveInForm(posted(request), bedspaces=bedspaces)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.placement_move_in(
                request=request,
                placement=placement,
                moved_in_on=data["moved_in_on"],
                bedspace=data.get("bedspace"),
                measures=data.get("measures", ""),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Support started."))
            return redirect("accommodation:placement", pk=placement.pk)
    audit_event(action=Action.VIEW, request=request, obj=placement)
    return render(request, "accommodation/move_in.html", {"placement": placement, "form": form, "sanctuary": sanctuary})


def placement_end(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _decider(request, pk)
    form = EndForm(posted(request), reasons=selectors.end_reasons(), destinations=selectors.destinations())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.placement_end(
                request=request,
                placement=placement,
                ended_on=data["ended_on"],
                reason=data["reason"],
                destination=data["destination"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Move-on recorded. The space is vacant again."))
            return redirect("accommodation:placement", pk=placement.pk)
    audit_event(action=Action.VIEW, request=request, obj=placement)
    return render(request, "accommodation/end.html", {"placement": placement, "form": form})


@require_POST
def placement_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    placement = _placement(request, pk)
    require_perm(request, WITHDRAW_PLACEMENT, placement)
    try:
        services.placement_withdraw(request=request, placement=placement)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Referral withdrawn."))
    return redirect("accommodation:placement", pk=placement.pk)


# --- from a person's case -----------------------------------------------------------------------


def case_placements(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, VIEW_CASES)
    rows = list(selectors.case_placements(case))
    unmet = list(selectors.case_unmet_needs(case))
    audit_many(action=Action.VIEW, request=request, objects=[*rows, *unmet], reason=f"placements of case {case.pk}")
    context = case_context(request, case, "accommodation:case_placements") | {
        "rows": rows,
        "unmet": unmet,
        "status_tag": STATUS_TAG,
        "labels": _labels(),
        "can_refer": request.user.has_perm(REFER) and request.user.has_perm(WORK_CASES, case) and case.is_open,
    }
    return render(request, "accommodation/case_placements.html", context)


def _household_initial(request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {k: request.GET[k] for k in ("adults", "girls_ages", "boys_ages") if k in request.GET}
    if request.GET.get("pets"):
        initial["pets"] = True
    return initial


def placement_refer(request: HttpRequest, pk: int, service_pk: int) -> HttpResponse:
    require_perm(request, REFER)
    case = case_for_page(request, pk, WORK_CASES)
    service = get_scoped_or_404(selectors.referable_services().select_related("area", "provider"), pk=service_pk)
    out_of_area = selectors.is_out_of_area(service, case.person.area)
    form = ReferForm(posted(request), out_of_area=out_of_area, initial=_household_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placement = services.placement_refer(
                request=request,
                case=case,
                service=service,
                token=data["token"],
                adults=data["adults"],
                children=form.children(),
                pets=data["pets"],
                out_of_area_reason=data.get("out_of_area_reason", ""),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Referral sent to %(service)s.") % {"service": service.name})
            return redirect("accommodation:placement", pk=placement.pk)
    context = case_context(request, case, "accommodation:case_placements") | {
        "service": service,
        "form": form,
        "out_of_area": out_of_area,
    }
    return render(request, "accommodation/refer.html", context)


def unmet_need_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the household could not be supported (no referral could be made), and why."""
    require_perm(request, REFER)
    case = case_for_page(request, pk, WORK_CASES)
    form = UnmetNeedForm(
        posted(request),
        areas=Area.objects.filter(is_active=True),
        reasons=selectors.decline_reasons(),
        initial={"area": case.person.area_id},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.unmet_need_record(
                request=request, case=case, area=data["area"], reason=data["reason"], token=data["token"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Recorded: the household could not be supported."))
            return redirect("accommodation:case_placements", pk=case.pk)
    context = case_context(request, case, "accommodation:case_placements") | {"form": form}
    return render(request, "accommodation/unmet_add.html", context)
