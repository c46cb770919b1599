"""What every casework page shares: reaching the case (403 for roles that never work cases,
404 outside the user's scope, 403 without the action's permission) and rendering it inside
the case page frame, audited as a view of the case."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from safepath.cases.models import Case
from safepath.cases.pages import case_context, case_for_page
from safepath.cases.rules import VIEW_CASES, WORK_CASES
from safepath.core.access import require_perm
from safepath.core.audit import Action, audit_event

PAGE_SIZE = 25


def case_for(request: HttpRequest, pk: int) -> Case:
    """The case for this request: reading needs VIEW_CASES, posting needs WORK_CASES."""
    require_perm(request, VIEW_CASES)
    perm = WORK_CASES if request.method == "POST" else VIEW_CASES
    return case_for_page(request, pk, perm, audit=False)


def paginate(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page:
    return Paginator(items, size).get_page(request.GET.get("page"))


def render_section(
    request: HttpRequest, template: str, case: Case, section: str, context: dict[str, Any]
) -> HttpResponse:
    """Render a case page (the case's frame plus `context`), auditing the view with the section's name."""
    audit_event(action=Action.VIEW, request=request, obj=case, reason=section.split(":")[-1])
    base = case_context(request, case, section) | {
        "can_work": request.user.has_perm(WORK_CASES, case),
        "case_open": case.is_open,
    }
    return render(request, template, base | context)
