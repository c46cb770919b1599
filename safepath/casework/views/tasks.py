"""Tasks on a case: open ones first (overdue marked), the form to add one, marking one done."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepath.casework import selectors
from safepath.casework.forms import TaskForm
from safepath.casework.services import task_add, task_done
from safepath.casework.views.common import case_for, paginate, render_section
from safepath.core.access import get_scoped_or_404
from safepath.core.forms import posted


@require_http_methods(["GET", "POST"])
def tasks(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk)
    form = TaskForm(posted(request), provider_id=case.provider_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task_add(
                request=request,
                case=case,
                token=data["token"],
                title=data["title"],
                due_on=data["due_on"],
                assigned_to=data["assigned_to"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Task added."))
            return redirect("casework:tasks", case.pk)
    context = {"form": form, "page": paginate(request, selectors.tasks_of(case)), "today": timezone.localdate()}
    return render_section(request, "casework/tasks.html", case, "casework:tasks", context)


@require_POST
def task_mark_done(request: HttpRequest, pk: int, task_pk: int) -> HttpResponse:
    case = case_for(request, pk)
    task = get_scoped_or_404(selectors.tasks_of(case), pk=task_pk)
    task_done(request=request, case=case, task=task)
    messages.success(request, _("Task marked as done."))
    return redirect("casework:tasks", case.pk)
