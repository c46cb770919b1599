"""The safety plan: the current version, the earlier ones, and revising it (a new version)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safepath.casework import selectors, services
from safepath.casework.forms import ActionFormSet, SafetyPlanForm, action_initial, actions_from
from safepath.casework.views.common import case_for, paginate, render_section
from safepath.core.forms import posted

HISTORY_PAGE = 10


@require_GET
def safety_plan(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk)
    context = {
        "plan": selectors.current_plan(case),
        "history": paginate(request, selectors.plan_history(case), HISTORY_PAGE),
        "today": timezone.localdate(),
    }
    return render_section(request, "casework/safety_plan.html", case, "casework:safety_plan", context)


@require_http_methods(["GET", "POST"])
def safety_plan_revise(request: HttpRequest, pk: int) -> HttpResponse:
    """Writing the first plan or revising it. The form carries the plan's version, so a
    revision made meanwhile by a colleague is reported instead of overwritten."""
    case = case_for(request, pk)
    plan = selectors.current_plan(case)
    form = SafetyPlanForm(posted(request), initial=SafetyPlanForm.initial_for(plan))
    actions = ActionFormSet(posted(request), initial=action_initial(plan), prefix="actions")
    if request.method == "POST" and all([form.is_valid(), actions.is_valid()]):
        data = form.cleaned_data
        try:
            services.safety_plan_revise(
                request=request,
                case=case,
                token=data["token"],
                version=data["version"],
                review_on=data["review_on"],
                summary=data["summary"],
                actions=actions_from(actions),
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Safety plan saved."))
            return redirect("casework:safety_plan", case.pk)
    context = {"form": form, "actions": actions, "plan": plan}
    return render_section(request, "casework/safety_plan_revise.html", case, "casework:safety_plan", context)
