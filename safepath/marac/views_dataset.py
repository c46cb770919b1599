"""The MARAC dataset on screen (beside the national figures) and as CSV or XLSX.

A coordinator sees their own MARAC unsuppressed (service staff's own figures); a commissioner
sees every MARAC area through disclosure control (safepath.reporting.disclosure).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.core.access import require_perm
from safepath.core.audit import Action as AuditAction
from safepath.core.audit import audit_event
from safepath.core.exports import FORMATS, table_response
from safepath.marac import exports, selectors
from safepath.marac.forms import DatasetForm, last_quarter
from safepath.marac.presenters import HELPERS
from safepath.marac.rules import VIEW_DATASET
from safepath.reporting import disclosure


def _render(request: HttpRequest, template: str, context: dict, **kwargs: Any) -> HttpResponse:
    return render(request, template, {**HELPERS, **context}, **kwargs)


def measures() -> list[tuple[str, str, str]]:
    """(label, column, kind) for each line of the on-screen table; kind is count, rate or per_10000.
    A line's national figure is the NationalFigure whose code is the column's name."""
    lines = [
        (_("Cases"), "cases", "count"),
        (_("Repeat cases"), "repeats", "count"),
        (_("Repeat rate"), "repeat_rate", "rate"),
        (_("Children in the households"), "children", "count"),
        (_("Cases per 10,000 adult women"), "cases_per_10000_adult_women", "per_10000"),
    ]
    lines += [(_("Referred by: %(who)s") % {"who": label}, col, "count") for col, label in exports.source_labels()]
    lines += [(_("Referred by partner agencies (not the police)"), "non_police_share", "rate")]
    for name, label in exports.CHARACTERISTICS:
        lines += [(label[:1].upper() + label[1:], name, "count"), (_("  as a share of cases"), f"{name}_rate", "rate")]
    return lines


def dataset(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_DATASET)
    start, end = last_quarter(timezone.localdate())
    data = request.GET if "start_day" in request.GET else None
    initial = {
        "start_day": start.day,
        "start_month": start.month,
        "start_year": start.year,
        "end_day": end.day,
        "end_month": end.month,
        "end_year": end.year,
    }
    form = DatasetForm(data, initial=initial)
    if data is not None and form.is_valid():
        start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    elif data is not None:
        return _render(request, "marac/dataset.html", {"form": form, "rows": [], "measures": []})
    marac = selectors.coordinated_marac(request.user)
    suppress = marac is None
    rows = exports.dataset_rows(date_from=start, date_to=end, suppress=suppress, marac=marac)
    fmt = request.GET.get("format", "")
    if fmt in FORMATS:
        audit_event(action=AuditAction.EXPORT, request=request, object_type="marac.dataset", reason=f"{start}..{end}")
        table = exports.table_of(rows, start, end, suppress)
        return table_response(table, fmt, f"marac-dataset-{start.isoformat()}-to-{end.isoformat()}")
    context = {
        "form": form,
        "rows": rows,
        "start": start,
        "end": end,
        "suppress": suppress,
        "threshold": disclosure.threshold(),
        "national": selectors.national_figures(),
        "measures": measures(),
        "query": request.GET.urlencode(),
    }
    return _render(request, "marac/dataset.html", context)
