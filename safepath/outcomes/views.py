"""Outcome pages of a case (change over time, recording answers), health advocacy, and the
framework configuration administrators use.

Views orchestrate only. A case is reached through cases.pages.case_for_page (404 outside
the user's scope, audited as a view); roles that never see outcomes (volunteers,
commissioners, hub staff) are refused first with 403. Writes go through services.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from safepath.cases.choices import CaseStatus
from safepath.cases.models import Case
from safepath.cases.pages import case_context, case_for_page
from safepath.cases.rules import CONFIGURE_PATHWAYS, VIEW_CASES, WORK_CASES
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.forms import add_errors, posted
from safepath.outcomes import presenters, selectors, services
from safepath.outcomes.choices import HEALTH_TRANSITIONS, HealthStatus, Moment
from safepath.outcomes.forms import (
    FrameworkAddForm,
    FrameworkForm,
    HealthActionForm,
    HealthStatusForm,
    MeasureAddForm,
    MomentForm,
    RecordForm,
)

PAGE_SIZE = 25


def _case(request: HttpRequest, pk: int, perm: str = VIEW_CASES) -> Case:
    require_perm(request, perm)  # the role first: a volunteer or commissioner learns nothing (403)
    return case_for_page(request, pk, perm)


# --- a case's outcomes ----------------------------------------------------------------------------


def case_outcomes(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    facts = selectors.case_facts(case)
    frameworks = selectors.frameworks_for_case(case, facts)
    recordings = selectors.recordings_for_case(case)
    asked = [m for f in frameworks for m in f.asked]  # type: ignore[attr-defined]
    scale_ids = {m.scale_id for m in asked} | {r.measure.scale_id for r in recordings}
    reasons = dict(selectors.skip_reasons(active_only=False))
    context = case_context(request, case, "outcomes:case") | {
        "histories": presenters.history(frameworks, recordings, selectors.scale_labels(scale_ids), reasons),
        "due": selectors.due_counts(case, frameworks=frameworks, recordings=recordings, today=timezone.localdate()),
        "risk": presenters.risk(selectors.risk_change(case, facts)),
        "can_record": request.user.has_perm(WORK_CASES, case),
    }
    return render(request, "outcomes/case.html", context)


def _suggested_moment(case: Case, due: dict[str, int], recorded: bool) -> str:
    if case.status in (CaseStatus.STEPPING_DOWN, CaseStatus.CLOSED):
        return Moment.EXIT
    return Moment.INTAKE if due[Moment.INTAKE] and not recorded else Moment.REVIEW


def _posted_measure_ids(request: HttpRequest) -> set[int]:
    """The questions the submitted page showed (each has a skip box, always sent)."""
    ids = set()
    for key in request.POST:
        if key.startswith("m") and key.endswith("_skip") and key[1:-5].isdigit():
            ids.add(int(key[1:-5]))
    return ids


@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the moment, then answer the questions due at it (or ask again, with a reason)."""
    case = _case(request, pk, WORK_CASES)
    source = request.POST if request.method == "POST" else request.GET
    facts = selectors.case_facts(case)
    frameworks = selectors.frameworks_for_case(case, facts)
    recordings = selectors.recordings_for_case(case)
    today = timezone.localdate()
    base = case_context(request, case, "outcomes:case")
    moment_form = MomentForm(source if "moment" in source else None)
    if not moment_form.is_valid():
        due = selectors.due_counts(case, frameworks=frameworks, recordings=recordings, today=today)
        moment_form.fields["moment"].initial = _suggested_moment(case, due, bool(recordings))
        return render(request, "outcomes/record_moment.html", base | {"moment_form": moment_form, "due": due})
    moment = moment_form.cleaned_data["moment"]
    again = source.get("again") in ("1", "True", "true", "on")
    at_moment = selectors.questions_at(case, moment, frameworks=frameworks, recordings=recordings, today=today)
    if request.method == "POST":
        sent = _posted_measure_ids(request)
        questions = [q for q in at_moment if q.measure.pk in sent]
    else:
        sent = set()
        questions = [q for q in at_moment if q.is_due or again]
    form = RecordForm(
        posted(request),
        questions=questions,
        reasons=selectors.skip_reasons(),
        initial={"moment": moment, "again": again},
    )
    if request.method == "POST" and sent - {q.measure.pk for q in at_moment}:
        form.is_valid()
        form.add_error(
            None, _("Some of these questions are no longer asked. Check the questions below and save again.")
        )
    elif request.method == "POST" and form.is_valid():
        try:
            saved = services.outcomes_record(
                request=request,
                case=case,
                moment=moment,
                answers=form.answers(),
                token=form.cleaned_data["token"],
                ask_again_reason=form.cleaned_data.get("ask_again_reason") or "",
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s answer recorded at %(moment)s.", "%(count)s answers recorded at %(moment)s.", len(saved)
                )
                % {"count": len(saved), "moment": presenters.moment_label(moment).lower()},
            )
            return redirect("outcomes:case", case.pk)
    context = base | {
        "form": form,
        "moment": moment,
        "moment_label": presenters.moment_label(moment),
        "again": again,
        "can_ask_again": bool(at_moment) and not again and any(not q.is_due for q in at_moment),
        "asked_any": bool(at_moment),
    }
    return render(request, "outcomes/record.html", context)


# --- health advocacy ------------------------------------------------------------------------------


def health(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    page = Paginator(selectors.health_actions_for(case), PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = dict(selectors.health_action_kinds(active_only=False))
    rows = [presenters.health_row(action, kinds) for action in page.object_list]
    context = case_context(request, case, "outcomes:health") | {
        "rows": rows,
        "page": page,
        "can_work": request.user.has_perm(WORK_CASES, case),
    }
    return render(request, "outcomes/health.html", context)


@require_http_methods(["GET", "POST"])
def health_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk, WORK_CASES)
    form = HealthActionForm(
        posted(request), kinds=selectors.health_action_kinds(), initial={"status": HealthStatus.PLANNED}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.health_action_add(
                request=request,
                case=case,
                action=data["action"],
                status=data["status"],
                on=data["on"],
                token=data["token"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Health action recorded."))
            return redirect("outcomes:health", case.pk)
    return render(request, "outcomes/health_add.html", case_context(request, case, "outcomes:health") | {"form": form})


@require_http_methods(["GET", "POST"])
def health_update(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    case = _case(request, pk, WORK_CASES)
    action = get_scoped_or_404(selectors.health_actions_for(case), pk=action_pk)
    choices = [(str(s), str(HealthStatus(s).label)) for s in HealthStatus if s in HEALTH_TRANSITIONS[action.status]]
    form = None
    if choices:
        form = HealthStatusForm(posted(request), choices=choices, initial={"seen_status": action.status})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.health_action_update(
                    request=request,
                    action=action,
                    status=data["status"],
                    on=data["on"],
                    token=data["token"],
                    seen_status=data["seen_status"],
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Health action updated."))
                return redirect("outcomes:health", case.pk)
    kinds = dict(selectors.health_action_kinds(active_only=False))
    context = case_context(request, case, "outcomes:health") | {
        "form": form,
        "row": presenters.health_row(action, kinds),
        "history": presenters.health_history(selectors.health_history(action)),
    }
    return render(request, "outcomes/health_update.html", context)


# --- framework configuration ----------------------------------------------------------------------


def frameworks(request: HttpRequest) -> HttpResponse:
    require_perm(request, CONFIGURE_PATHWAYS)
    page = Paginator(selectors.frameworks(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "outcomes/frameworks.html", {"page": page})


@require_http_methods(["GET", "POST"])
def framework_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, CONFIGURE_PATHWAYS)
    form = FrameworkAddForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            framework = services.framework_add(
                request=request,
                code=data["code"],
                name=data["name"],
                description=data["description"],
                pathways=list(data["pathways"]),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Framework added. Now add its questions."))
            return redirect("outcomes:framework_edit", framework.pk)
    return render(request, "outcomes/framework_add.html", {"form": form})


@require_http_methods(["GET", "POST"])
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, CONFIGURE_PATHWAYS)
    framework = get_scoped_or_404(selectors.frameworks_with_measures(), pk=pk)
    measures: list[Any] = framework.all_measures  # type: ignore[attr-defined]
    initial = {
        "name": framework.name,
        "description": framework.description,
        "is_active": framework.is_active,
        "pathways": list(framework.pathways.all()),
    }
    form = FrameworkForm(posted(request), measures=measures, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        settings = [services.MeasureSetting(m, data[f"order_{m.pk}"], data[f"active_{m.pk}"]) for m in measures]
        try:
            services.framework_update(
                request=request,
                framework=framework,
                name=data["name"],
                description=data["description"],
                is_active=data["is_active"],
                pathways=list(data["pathways"]),
                measures=settings,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Framework saved."))
            return redirect("outcomes:frameworks")
    labels = selectors.scale_labels({m.scale_id for m in measures})
    context = {"framework": framework, "form": form, "scales": presenters.scale_texts(measures, labels)}
    return render(request, "outcomes/framework_edit.html", context)


@require_http_methods(["GET", "POST"])
def measure_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, CONFIGURE_PATHWAYS)
    framework = get_scoped_or_404(selectors.frameworks(), pk=pk)
    form = MeasureAddForm(posted(request), initial={"higher_is_better": True})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.measure_add(
                request=request,
                framework=framework,
                code=data["code"],
                question=data["question"],
                hint=data["hint"],
                scale=data["scale"],
                moments=data["moments"],
                higher_is_better=data["higher_is_better"],
                abuse_type=data["abuse_type"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Question added."))
            return redirect("outcomes:framework_edit", framework.pk)
    return render(request, "outcomes/measure_add.html", {"framework": framework, "form": form})
