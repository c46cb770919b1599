"""Waiting lists per pathway at the manager's provider, and allocation from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.cases import presenters, services
from safepath.cases import selectors_caseload as selectors
from safepath.cases.choices import CaseStatus
from safepath.cases.forms import AllocateForm
from safepath.cases.models import Case
from safepath.cases.pages import case_context, case_for_page
from safepath.cases.rules import MANAGE_CASES
from safepath.cases.selectors import settings_for
from safepath.core.access import require_perm
from safepath.core.audit import Action, audit_many
from safepath.core.forms import add_errors, posted
from safepath.jinja2 import localtime

PAGE_SIZE = 50


@dataclass(frozen=True)
class WaitingRow:
    case: Case
    position: int
    name: str
    risk: dict[str, str]
    since: str
    waited: str
    expected: str
    last_contact: str


def _chosen(summaries: list[selectors.WaitingSummary], wanted: str | None) -> selectors.WaitingSummary | None:
    by_id = {str(s.pathway.pk): s for s in summaries}
    if wanted in by_id:
        return by_id[wanted]
    return next((s for s in summaries if s.waiting), summaries[0] if summaries else None)


def waiting_lists(request: HttpRequest) -> HttpResponse:
    """Who waits on each pathway, in priority order, with an expected wait from recent throughput."""
    require_perm(request, MANAGE_CASES)
    summaries = selectors.waiting_summaries(request.user)
    chosen = _chosen(summaries, request.GET.get("pathway"))
    rows: list[WaitingRow] = []
    page = None
    if chosen is not None:
        cases = selectors.waiting_cases(request.user, chosen.pathway.pk)
        page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
        now = timezone.now()
        rows = [
            WaitingRow(
                case=case,
                position=page.start_index() + index,
                name=case.person.display_name,
                risk=presenters.risk_tag(case.risk_level),
                since=localtime(case.waiting_since),
                waited=presenters.waited(case.waiting_since, now),
                expected=presenters.wait_estimate(
                    page.start_index() + index, chosen.allocations, selectors.THROUGHPUT_DAYS
                ),
                last_contact=localtime(case.last_contact_at),
            )
            for index, case in enumerate(page.object_list)
        ]
        audit_many(action=Action.VIEW, request=request, objects=[r.case for r in rows], reason="waiting list")
    context: dict[str, Any] = {
        "summaries": [
            (
                s,
                presenters.wait_estimate(s.waiting + 1, s.allocations, selectors.THROUGHPUT_DAYS),
                presenters.day(s.oldest),
            )
            for s in summaries
        ],
        "chosen": chosen,
        "page": page,
        "rows": rows,
        "query": f"pathway={chosen.pathway.pk}" if chosen else "",
        "days": selectors.THROUGHPUT_DAYS,
    }
    return render(request, "cases/waiting_lists.html", context)


def _worker_items(request: HttpRequest, form: AllocateForm, case: Case) -> list[dict[str, Any]]:
    """The worker radios, each with the worker's open caseload against the pathway's benchmark."""
    staff = list(form.fields["worker"].queryset)
    loads = selectors.loads(request.user, [w.pk for w in staff], timezone.localdate())
    settings = settings_for(case.pathway_id)
    chosen = str(form["worker"].value() or "")
    items = []
    for index, worker in enumerate(staff):
        load = loads.get(worker.pk, selectors.Load())
        on_pathway = presenters.benchmark(load.by_pathway.get(case.pathway_id, 0), settings)
        hint = _("%(pathway)s: %(benchmark)s.") % {"pathway": case.pathway.name, "benchmark": on_pathway.text}
        if load.open != on_pathway.count:
            hint += " " + _("%(count)s open cases in all.") % {"count": load.open}
        items.append(
            {
                "value": str(worker.pk),
                "text": worker.full_name,
                "hint": {"text": hint},
                "checked": chosen == str(worker.pk),
                "id": "id_worker" if index == 0 else f"id_worker-{index}",
                "attributes": {"data-benchmark": on_pathway.word},
            }
        )
    return items


def _done_url(case: Case, was_waiting: bool) -> str:
    if was_waiting:
        return reverse("cases:waiting_lists") + f"?pathway={case.pathway_id}"
    return reverse("cases:detail", args=[case.pk])


def allocate(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose a key worker (and team) for a waiting case, or change the key worker of an open one."""
    require_perm(request, MANAGE_CASES)
    case = case_for_page(request, pk, MANAGE_CASES)
    if not case.is_open:
        messages.info(request, _("This case is closed. Reopen it before allocating it."))
        return redirect("cases:detail", pk=case.pk)
    was_waiting = case.status == CaseStatus.WAITING
    initial = {"version": case.version, "worker": case.key_worker_id, "team": case.team_id}
    form = AllocateForm(
        posted(request),
        staff=selectors.allocatable_staff(request.user),
        teams=selectors.active_teams(request.user),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_allocate(
                request=request, case=case, worker=data["worker"], team=data["team"], version=data["version"]
            )
        except services.CaseChanged as error:
            case = case_for_page(request, pk, MANAGE_CASES, audit=False)
            form.data = form.data.copy()
            form.data["version"] = str(case.version)
            add_errors(form, error)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is now the key worker.") % {"name": data["worker"].full_name})
            return redirect(_done_url(case, was_waiting))
    context = case_context(request, case, "cases:detail") | {
        "form": form,
        "worker_items": _worker_items(request, form, case),
        "was_waiting": was_waiting,
        "waited": presenters.waited(case.waiting_since),
        "back_url": _done_url(case, was_waiting) if was_waiting else reverse("cases:detail", args=[case.pk]),
    }
    return render(request, "cases/allocate.html", context)
