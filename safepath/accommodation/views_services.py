"""Services, their secret addresses, vacancies and the search for a household's needs.

The address appears on one page only (the service's own page, for its own staff), and that
showing is audited. Lists, search results and exports never carry it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepath.accommodation import selectors, services
from safepath.accommodation.choices import BedspaceState
from safepath.accommodation.forms import AddressForm, BedspaceForm, BedspaceStateForm, SearchForm, ServiceForm
from safepath.accommodation.rules import MANAGE_SERVICES, MANAGE_VACANCIES, REFER, SEARCH, VIEW_SERVICES
from safepath.areas.models import Area
from safepath.cases.pages import case_for_page
from safepath.cases.rules import WORK_CASES
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event
from safepath.core.forms import add_errors, posted

STATE_TAG = {
    BedspaceState.VACANT: "govuk-tag--green",
    BedspaceState.RESERVED: "govuk-tag--yellow",
    BedspaceState.OCCUPIED: "govuk-tag--blue",
    BedspaceState.OUT_OF_USE: "govuk-tag--grey",
}


def _with_counts(queryset: Any) -> Any:
    active = Q(bedspaces__is_active=True)
    return queryset.select_related("area", "provider").annotate(
        bedspace_count=Count("bedspaces", filter=active),
        vacant_count=Count("bedspaces", filter=active & Q(bedspaces__state=BedspaceState.VACANT)),
    )


def service_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_SERVICES)
    rows = list(_with_counts(selectors.services_for(request.user)).order_by("area__name", "name"))
    context = {"services": rows, "can_add": request.user.has_perm(MANAGE_SERVICES)}
    return render(request, "accommodation/services.html", context)


def service_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, VIEW_SERVICES)
    service = get_scoped_or_404(_with_counts(selectors.services_for(request.user)), pk=pk)
    address = selectors.address_for(request.user, service)
    if address is not None:
        audit_event(action=Action.VIEW, request=request, obj=service, reason="address shown")
    context = {
        "service": service,
        "address": address,
        "own": selectors.is_own_staff(request.user, service),
        "can_add_space": selectors.is_own_staff(request.user, service)
        and request.user.has_perm(MANAGE_SERVICES)
        and not service.is_sanctuary,
        "bedspaces": list(service.bedspaces.filter(is_active=True)),
        "state_tag": STATE_TAG,
    }
    return render(request, "accommodation/service.html", context)


def service_address(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE_VACANCIES)
    service = get_scoped_or_404(selectors.own_services(request.user), pk=pk)
    form = AddressForm(posted(request))
    if request.method == "POST" and form.is_valid():
        services.service_address_set(request=request, service=service, address=form.cleaned_data["address"])
        messages.success(request, _("Address saved."))
        return redirect("accommodation:service", pk=service.pk)
    return render(request, "accommodation/address.html", {"service": service, "form": form})


def vacancies(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_VACANCIES)
    bedspaces = list(
        selectors.own_bedspaces(request.user)
        .select_related("service", "service__area")
        .order_by("service__name", "label")
    )
    groups: dict[Any, list[Any]] = {}
    for bedspace in bedspaces:
        groups.setdefault(bedspace.service, []).append(bedspace)
    context = {"groups": groups, "state_tag": STATE_TAG, "form": BedspaceStateForm()}
    return render(request, "accommodation/vacancies.html", context)


@require_POST
def bedspace_state(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE_VACANCIES)
    bedspace = get_scoped_or_404(selectors.own_bedspaces(request.user), pk=pk)
    form = BedspaceStateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose vacant, reserved or out of use."))
        return redirect("accommodation:vacancies")
    try:
        services.bedspace_state_set(request=request, bedspace=bedspace, state=form.cleaned_data["state"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("%(label)s is now %(state)s.")
            % {"label": bedspace.label, "state": BedspaceState(form.cleaned_data["state"]).label.lower()},
        )
    return redirect("accommodation:vacancies")


# --- search -------------------------------------------------------------------------------------


def _search_case(request: HttpRequest) -> Any:
    """The case being searched for (?case=<id>), for those who may refer from it; else None."""
    raw = request.GET.get("case", "")
    if not raw or not request.user.has_perm(REFER):
        return None
    if not raw.isdigit():
        raise Http404
    return case_for_page(request, int(raw), WORK_CASES)


def _home_area_id(request: HttpRequest, case: Any) -> int | None:
    """The person's area, else the first area the user's organisation serves."""
    if case is not None and case.person.area_id:
        return case.person.area_id
    membership = getattr(request, "membership", None)
    first = membership.organisation.areas.order_by("name").first() if membership else None
    return first.pk if first else None


HOUSEHOLD_KEYS = ("adults", "girls_ages", "boys_ages", "pets")


def search(request: HttpRequest) -> HttpResponse:
    require_perm(request, SEARCH)
    case = _search_case(request)
    areas = Area.objects.filter(is_active=True)
    initial = {"area": _home_area_id(request, case), "gender": "woman", "adults": 1}
    form = SearchForm(request.GET if "gender" in request.GET else None, areas=areas, initial=initial)
    context: dict[str, Any] = {"form": form, "case": case, "results": None}
    if form.is_bound and form.is_valid():
        home = form.cleaned_data["area"]
        context |= {
            "results": selectors.search(form.need(), home),
            "sanctuary": list(selectors.sanctuary_schemes(home)),
            "home": home,
            "household_query": urlencode({k: v for k, v in request.GET.items() if k in HOUSEHOLD_KEYS}, doseq=False),
        }
    return render(request, "accommodation/search.html", context)


def service_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_SERVICES)
    form = ServiceForm(posted(request), areas=Area.objects.filter(is_active=True))
    if request.method == "POST" and form.is_valid():
        try:
            service = services.service_create(
                request=request, provider=request.membership.organisation, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Service added. Now add its spaces."))
            return redirect("accommodation:service", pk=service.pk)
    return render(request, "accommodation/service_add.html", {"form": form})


def bedspace_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE_SERVICES)
    service = get_scoped_or_404(selectors.own_services(request.user), pk=pk)
    form = BedspaceForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.bedspace_add(request=request, service=service, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Space added. It is vacant."))
            return redirect("accommodation:service", pk=service.pk)
    return render(request, "accommodation/bedspace_add.html", {"form": form, "service": service})
