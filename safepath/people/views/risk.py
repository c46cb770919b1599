"""Recording a risk assessment for a person, and the per-area risk thresholds."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepath.core.access import require_perm
from safepath.core.forms import add_errors, posted
from safepath.people import presenters, rules_risk
from safepath.people import rules as perms
from safepath.people.forms import RiskAssessmentForm, ThresholdSetForm
from safepath.people.selectors_records import instrument_for, threshold_sets, thresholds_in_force
from safepath.people.services_records import risk_assessment_add, threshold_set_add
from safepath.people.views.common import audit_view, merged_elsewhere, person_for
from safepath.risk.selectors import thresholds_for


@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request, pk, perms.ASSESS_RISK)
    if refused := merged_elsewhere(request, person):
        return refused
    today = timezone.localdate()
    instrument, fallback = instrument_for(person, today)
    context = {
        "person": person,
        "instrument": instrument,
        "fallback": fallback,
        "age": person.age_on(today),
        "thresholds": thresholds_for(person.area_id, today),
    }
    if instrument is None:
        audit_view(request, person, "risk assessment")
        return render(request, "people/assess.html", context | {"form": None})
    form = RiskAssessmentForm(posted(request), instrument=instrument)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            assessment = risk_assessment_add(
                request=request,
                person=person,
                token=data["token"],
                instrument=instrument,
                answers=form.answers(),
                judgement=data["judgement"],
                judgement_reason=data["judgement_reason"],
                police_incidents=data["police_incidents"],
                narrative=data["narrative"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, presenters.outcome_message(assessment))
            return redirect("people:detail", person.pk)
    audit_view(request, person, "risk assessment")
    return render(request, "people/assess.html", context | {"form": form})


def thresholds(request: HttpRequest) -> HttpResponse:
    require_perm(request, rules_risk.VIEW_THRESHOLDS)
    context = {
        "sets": list(threshold_sets()),
        "in_force": thresholds_in_force(timezone.localdate()),
        "today": timezone.localdate(),
        "can_manage": request.user.has_perm(rules_risk.MANAGE_THRESHOLDS),
    }
    return render(request, "people/thresholds.html", context)


@require_http_methods(["GET", "POST"])
def threshold_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, rules_risk.MANAGE_THRESHOLDS)
    form = ThresholdSetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            threshold_set_add(request=request, **form.service_values())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Risk thresholds added."))
            return redirect("people:thresholds")
    return render(request, "people/threshold_add.html", {"form": form})
