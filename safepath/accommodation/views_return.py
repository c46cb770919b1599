"""The Part 4 annual return for commissioners: figures on screen and as CSV or XLSX, always
through disclosure control. It counts; it never lists a person or an address."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safepath.accommodation.exports import HEADER, part4_figures, part4_return, part4_table
from safepath.accommodation.forms import ReturnForm
from safepath.accommodation.rules import VIEW_RETURN
from safepath.areas.models import Area
from safepath.core.access import require_perm
from safepath.core.audit import Action, audit_event
from safepath.core.exports import FORMATS, table_response


def _last_financial_year(today: date) -> tuple[date, date]:
    start_year = today.year - 1 if today.month >= 4 else today.year - 2
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


def _initial() -> dict[str, int]:
    start, end = _last_financial_year(timezone.localdate())
    return {
        "from_day": start.day, "from_month": start.month, "from_year": start.year,
        "to_day": end.day, "to_month": end.month, "to_year": end.year,
    }  # fmt: skip


def part4_return_view(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_RETURN)
    areas = Area.objects.filter(is_active=True)
    form = ReturnForm(request.GET if "from_day" in request.GET else None, areas=areas, initial=_initial())
    context = {"form": form, "rows": None, "header": HEADER}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        period = {"date_from": data["date_from"], "date_to": data["date_to"], "area": data["area"]}
        fmt = request.GET.get("format", "")
        if fmt in FORMATS:
            audit_event(
                action=Action.EXPORT, request=request, object_type="accommodation.part4_return", reason="part 4 return"
            )
            table = part4_return(**period, suppress=True)
            return table_response(table, fmt, f"part4-return-{data['date_from']}-{data['date_to']}")
        context["rows"] = part4_table(part4_figures(**period), suppress=True)
        context["query"] = request.GET.urlencode()
    return render(request, "accommodation/part4_return.html", context)
