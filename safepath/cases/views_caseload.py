"""Caseloads: a worker's own open cases, a manager's view of a worker's caseload, and the team view.

Views orchestrate only: scoped selectors read (404 outside the user's provider), `require_perm`
decides what a role may do (403). Lists aggregate in the database and paginate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.cases import presenters
from safepath.cases import selectors_caseload as selectors
from safepath.cases.forms import CaseloadFilterForm
from safepath.cases.models import Case, PathwaySettings
from safepath.cases.rules import MANAGE_CASES, VIEW_CASES
from safepath.cases.selectors import settings_for
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_many
from safepath.jinja2 import localtime
from safepath.referrals.models import Pathway

PAGE_SIZE = 50


@dataclass(frozen=True)
class CaseRow:
    case: Case
    name: str
    risk: dict[str, str]
    status: dict[str, str]
    next_action: str
    next_action_overdue: bool
    review_due: str
    review_overdue: bool
    last_contact: str
    support_ends: str
    step_down_due: bool


def _row(case: Case, settings: dict[int, PathwaySettings], today: date) -> CaseRow:
    return CaseRow(
        case=case,
        name=case.person.display_name,
        risk=presenters.risk_tag(case.risk_level),
        status=presenters.status_tag(case.status),
        next_action=presenters.day(case.next_action_on),
        next_action_overdue=presenters.overdue(case.next_action_on, today),
        review_due=presenters.day(case.review_due_on),
        review_overdue=presenters.overdue(case.review_due_on, today),
        last_contact=localtime(case.last_contact_at),
        support_ends=presenters.day(case.support_ends_on),
        step_down_due=presenters.step_down_due(case, settings.get(case.pathway_id), today),
    )


def _benchmarks(
    by_pathway: dict[int, int], pathways: dict[int, Pathway], settings: dict[int, PathwaySettings]
) -> list[tuple[Pathway, presenters.Benchmark]]:
    """Each pathway's open-case count against its benchmark, in the pathways' own order."""
    return [
        (pathways[pid], presenters.benchmark(count, settings.get(pid) or settings_for(pid)))
        for pid, count in sorted(by_pathway.items(), key=lambda item: (pathways[item[0]].order, item[0]))
    ]


def _caseload_page(request: HttpRequest, worker: User, *, own: bool) -> HttpResponse:
    today = timezone.localdate()
    settings = selectors.all_settings()
    pathways = selectors.caseload_pathways(request.user, worker)
    form = CaseloadFilterForm(request.GET, pathways=pathways)
    cases = selectors.caseload(request.user, worker, form.filters(), today=today, settings=settings)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(case, settings, today) for case in page.object_list]
    load = selectors.loads(request.user, [worker.pk], today).get(worker.pk, selectors.Load())
    audit_many(action=Action.VIEW, request=request, objects=[r.case for r in rows], reason="caseload")
    context: dict[str, Any] = {
        "worker": worker,
        "own": own,
        "form": form,
        "page": page,
        "rows": rows,
        "query": form.query(),
        "load": load,
        "benchmarks": _benchmarks(load.by_pathway, {p.pk: p for p in pathways}, settings),
        "labels": {
            "overdue": _("Overdue"),
            "step_down": _("Step-down plan due"),
            "none": _("None yet"),
            "not_set": _("Not set"),
        },
    }
    return render(request, "cases/caseload.html", context)


def caseload(request: HttpRequest) -> HttpResponse:
    """The signed-in caseworker's or manager's own open cases."""
    require_perm(request, VIEW_CASES)
    return _caseload_page(request, request.user, own=True)  # type: ignore[arg-type]


def worker_caseload(request: HttpRequest, worker_id: int) -> HttpResponse:
    """A manager's view of one worker's caseload (404 for anyone outside the manager's provider)."""
    require_perm(request, MANAGE_CASES)
    worker = get_scoped_or_404(selectors.worker_in_scope(request.user), pk=worker_id)
    return _caseload_page(request, worker, own=worker.pk == request.user.pk)


@dataclass(frozen=True)
class WorkerRow:
    worker: User
    works_here: bool
    load: selectors.Load
    benchmarks: list[tuple[Pathway, presenters.Benchmark]]


def team(request: HttpRequest) -> HttpResponse:
    """Per worker at the manager's provider: open cases, high risk, overdue reviews, benchmark."""
    require_perm(request, MANAGE_CASES)
    today = timezone.localdate()
    page = Paginator(selectors.team_workers(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    workers = list(page.object_list)
    loads = selectors.loads(request.user, [w.pk for w in workers], today)
    settings = selectors.all_settings()
    pathways = selectors.pathways_by_id({pid for load in loads.values() for pid in load.by_pathway})
    rows = []
    for worker in workers:
        load = loads.get(worker.pk, selectors.Load())
        rows.append(WorkerRow(worker, worker.works_here, load, _benchmarks(load.by_pathway, pathways, settings)))
    context = {"page": page, "rows": rows, "waiting": selectors.waiting_count(request.user)}
    return render(request, "cases/team.html", context)
