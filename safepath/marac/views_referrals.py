"""MARAC referrals: the coordinator's list, a partner agency's referral form and a case's MARAC history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action as AuditAction
from safepath.core.audit import audit_event, audit_many
from safepath.core.forms import posted
from safepath.marac import selectors, services
from safepath.marac.choices import ReferralStatus
from safepath.marac.forms import PartnerReferralForm
from safepath.marac.presenters import HELPERS
from safepath.marac.rules import COORDINATE, REFER

PAGE_SIZE = 50


def _render(request: HttpRequest, template: str, context: dict, **kwargs: Any) -> HttpResponse:
    return render(request, template, {**HELPERS, **context}, **kwargs)


def referrals(request: HttpRequest) -> HttpResponse:
    require_perm(request, COORDINATE)
    status = request.GET.get("status", ReferralStatus.PENDING)
    if status not in ReferralStatus.values and status != "all":
        status = ReferralStatus.PENDING
    rows = selectors.marac_referral_list(request.user, status="" if status == "all" else status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_many(action=AuditAction.VIEW, request=request, objects=list(page.object_list), reason="MARAC referrals")
    context = {"page": page, "status": status, "statuses": ReferralStatus.choices, "query": f"status={status}"}
    return _render(request, "marac/referrals.html", context)


def refer(request: HttpRequest) -> HttpResponse:
    require_perm(request, REFER)
    form = PartnerReferralForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            marac_referral = services.marac_referral_from_partner(
                request=request,
                sent=services.PartnerReferral(
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    date_of_birth=data["date_of_birth"],
                    postcode=data["postcode"],
                    reason=data["reason"],
                    dash_score=data["dash_score"],
                    children_in_household=data["children_in_household"],
                    source=data["source"],
                ),
                referring_agency=request.membership.organisation,  # type: ignore[attr-defined]
                token=data["token"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return _render(request, "marac/referred.html", {"reference": marac_referral.referral.reference})
    return _render(request, "marac/refer.html", {"form": form})


def history(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, COORDINATE)
    scoped = selectors.marac_referrals_for(request.user).select_related("referral__person")
    marac_referral = get_scoped_or_404(scoped, pk=pk)
    found = selectors.person_history(marac_referral)
    audit_event(action=AuditAction.VIEW, request=request, obj=marac_referral, reason="MARAC history")
    context = {
        "marac_referral": marac_referral,
        "person": marac_referral.referral.person,
        "today": timezone.localdate(),
        **found,
    }
    return _render(request, "marac/history.html", context)
