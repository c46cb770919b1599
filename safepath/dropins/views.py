"""Drop-in pages for a provider's caseworkers and team managers: record a visit, see the
organisation's visits by month and venue, and (managers) open and retire venues.

Views orchestrate only: `require_perm` for what a role may do (403), scoped selectors to read
(404 outside the user's provider), services to write.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepath.cases.selectors import cases_for
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.forms import add_errors, posted
from safepath.dropins import selectors, services
from safepath.dropins.forms import VenueForm, VisitForm
from safepath.dropins.rules import MANAGE_VENUES, RECORD_VISITS

FIRST_YEAR = 2000


def _year(request: HttpRequest) -> int:
    this_year = timezone.localdate().year
    raw = request.GET.get("year", "")
    year = int(raw) if raw.isdigit() else this_year
    return min(max(year, FIRST_YEAR), this_year)


def visits(request: HttpRequest) -> HttpResponse:
    """The organisation's visits in a calendar year, by month and venue (their own operational
    figures, so shown as they are)."""
    require_perm(request, RECORD_VISITS)
    year = _year(request)
    venues = list(selectors.venues_for(request.user).order_by("-is_active", "name"))
    months = selectors.visits_by_month_and_venue(
        selectors.visits_for(request.user), date(year, 1, 1), date(year, 12, 31)
    )
    shown = [v for v in venues if v.is_active or any(m.by_venue.get(v.pk) for m in months)]
    context = {
        "year": year,
        "previous_year": year - 1 if year > FIRST_YEAR else None,
        "next_year": year + 1 if year < timezone.localdate().year else None,
        "venues": shown,
        "months": months,
        "venue_totals": {v.pk: sum(m.by_venue.get(v.pk, 0) for m in months) for v in shown},
        "totals": {
            "all": sum(m.total for m in months),
            "new": sum(m.new for m in months),
            "returning": sum(m.returning for m in months),
            "referrals": sum(m.referrals for m in months),
        },
        "can_manage": request.user.has_perm(MANAGE_VENUES),
    }
    return render(request, "dropins/visits.html", context)


@require_http_methods(["GET", "POST"])
def visit_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, RECORD_VISITS)
    venues = selectors.venues_for(request.user).filter(is_active=True).order_by("name")
    form = VisitForm(posted(request), venues=venues)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(
                request=request,
                provider=request.membership.organisation,  # type: ignore[attr-defined]
                token=form.cleaned_data["token"],
                data=form.service_input(),
                cases=cases_for(request.user),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Visit recorded. You can record the next one."))
            return redirect("dropins:visit_add")
    return render(request, "dropins/visit_add.html", {"form": form, "has_venues": bool(form.fields["venue"].choices)})


@require_http_methods(["GET", "POST"])
def venues(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_VENUES)
    form = VenueForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_create(
                request=request,
                provider=request.membership.organisation,  # type: ignore[attr-defined]
                name=form.cleaned_data["name"],
                area=form.cleaned_data["area"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Venue added."))
            return redirect("dropins:venues")
    context = {"form": form, "venues": selectors.venues_for(request.user).order_by("-is_active", "name")}
    return render(request, "dropins/venues.html", context)


@require_POST
def venue_active(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE_VENUES)
    venue = get_scoped_or_404(selectors.venues_for(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    services.venue_set_active(request=request, venue=venue, active=active)
    messages.success(
        request, _("Venue opened again.") if active else _("Venue retired: it is no longer offered for new visits.")
    )
    return redirect("dropins:venues")
