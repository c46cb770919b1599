"""The commissioner's dashboard: aggregate figures for a period and area, never a person.

Views orchestrate only: permission first (403), then the form, which accepts only areas the
user may report on (an area outside is a form error, never data); the figures come from
`report.build_report` with disclosure control on.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safepath.core.access import require_perm
from safepath.core.exports import table_response
from safepath.reporting import charts, selectors
from safepath.reporting.disclosure import threshold
from safepath.reporting.exports import report_table
from safepath.reporting.forms import DashboardForm
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.paper import report_docx
from safepath.reporting.periods import previous_quarter
from safepath.reporting.presenters import dashboard_context
from safepath.reporting.report import Report, build_report
from safepath.reporting.rules import VIEW_DASHBOARD

DOWNLOAD_FORMATS = ("csv", "xlsx", "docx")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _form(request: HttpRequest) -> DashboardForm:
    areas = list(selectors.dashboard_areas(request.user))
    everything = selectors.may_report_on_everything(request.user)
    data = request.GET if any(k != "format" for k in request.GET) else None
    data = data or DashboardForm.initial_for(previous_quarter(timezone.localdate()))
    return DashboardForm(data, areas=areas, everything=everything)


def _report(request: HttpRequest, form: DashboardForm) -> Report:
    area = form.cleaned_data["area_obj"]
    roots = [area.pk] if area else selectors.dashboard_roots(request.user)
    scope = Scope.for_areas(form.period(), roots)
    return build_report(scope, area=area.name if area else None, suppress=True)


def _figures(request: HttpRequest, form: DashboardForm) -> dict[str, Any]:
    """The dashboard's figures and charts. A closed period's are cached for a while (records
    entered late still appear once the cache expires); the key holds the areas covered, so
    nobody is shown figures for areas outside their own."""
    area = form.cleaned_data["area_obj"]
    roots = [area.pk] if area else selectors.dashboard_roots(request.user)
    period = form.period()
    seconds = int(getattr(settings, "SAFEPATH_REPORT_CACHE_SECONDS", 900))
    if seconds <= 0 or period.last >= timezone.localdate():
        return dashboard_context(_report(request, form))
    scope = "all" if roots is None else ",".join(str(pk) for pk in sorted(roots))
    # The drawing version is in the key: a change to how charts are drawn is not hidden behind
    # pages cached before it.
    key = f"reporting:dashboard:v2.{charts.DRAWING_VERSION}:{period.first}:{period.last}:{scope}:{threshold()}"
    return cache.get_or_set(key, lambda: dashboard_context(_report(request, form)), seconds)


def dashboard(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_DASHBOARD)
    form = _form(request)
    context: dict[str, Any] = {"form": form, "query": request.GET.urlencode()}
    if form.is_valid():
        context |= _figures(request, form)
    return render(request, "reporting/dashboard.html", context)


def download(request: HttpRequest, fmt: str) -> HttpResponse:
    require_perm(request, VIEW_DASHBOARD)
    if fmt not in DOWNLOAD_FORMATS:
        raise Http404
    form = _form(request)
    if not form.is_valid():
        return dashboard(request)
    period = form.period()
    filename = f"performance-{period.first}-{period.last}"  # says nothing about a person
    if fmt == "docx":
        response = HttpResponse(report_docx(_report(request, form)), content_type=DOCX)
        response["Content-Disposition"] = f'attachment; filename="{filename}.docx"'
        return response
    return table_response(report_table(_report(request, form)), fmt, filename)
