"""The case overview (key facts, status history, a re-referral's previous case, the person's other
open cases here) and status changes (team managers approve closures and reopen cases)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepath.cases import presenters, services
from safepath.cases import selectors_caseload as selectors
from safepath.cases.choices import CaseStatus
from safepath.cases.forms import StatusChangeForm, status_options
from safepath.cases.models import Case, CaseStatusChange
from safepath.cases.pages import case_context, case_for_page
from safepath.cases.rules import MANAGE_CASES, VIEW_CASES, WORK_CASES
from safepath.cases.selectors import settings_for
from safepath.core.access import require_perm
from safepath.core.audit import Action, audit_event, audit_many
from safepath.core.forms import add_errors, posted
from safepath.jinja2 import localtime


@dataclass(frozen=True)
class HistoryRow:
    change: CaseStatusChange
    at: str
    text: str
    by: str
    reason: str
    reopening: bool


REASON_WORDS = {
    "rereferral": gettext_lazy("Opened as a re-referral"),
    "rereferral_fast_track": gettext_lazy("Allocated straight back to the previous key worker (re-referral)"),
    "first_contact": gettext_lazy("First contact made"),
}


def _history(case: Case, labels: dict[str, str]) -> list[HistoryRow]:
    rows = []
    for change in selectors.status_history(case):
        to = CaseStatus(change.to_status).label
        if not change.from_status:
            text = _("Opened: %(status)s") % {"status": to}
        elif change.is_reopening:
            text = _("Reopened: %(status)s") % {"status": to}
        else:
            text = _("%(new)s (was %(old)s)") % {"old": CaseStatus(change.from_status).label, "new": to}
        reason = labels.get(change.reason_code) or str(REASON_WORDS.get(change.reason_code, change.reason_code))
        by = change.by.full_name if change.by else _("Recorded automatically")
        rows.append(HistoryRow(change, localtime(change.at), str(text), str(by), str(reason), change.is_reopening))
    return rows


def _facts(case: Case, labels: dict[str, str]) -> list[tuple[str, str]]:
    today = timezone.localdate()
    settings = settings_for(case.pathway_id)
    support_ends = presenters.day(case.support_ends_on)
    if presenters.step_down_due(case, settings, today):
        support_ends += " – " + _("step-down plan due")
    facts = [
        (_("Opened"), localtime(case.opened_at)),
        (_("Waiting since"), localtime(case.waiting_since)),
        (_("Allocated"), localtime(case.allocated_at)),
        (_("Team"), case.team.name if case.team else ""),
        (_("First contact"), localtime(case.first_contact_at)),
        (_("Engaged"), localtime(case.engaged_at)),
        (_("Last contact"), localtime(case.last_contact_at)),
        (_("Next action due"), presenters.day(case.next_action_on)),
        (_("Risk review due"), presenters.day(case.review_due_on)),
        (_("Support ends"), support_ends),
        (_("Step-down plan started"), localtime(case.step_down_planned_at)),
    ]
    if case.status == CaseStatus.CLOSED:
        facts.append((_("Closed"), localtime(case.closed_at)))
        facts.append((_("Closure reason"), labels.get(case.closure_reason, case.closure_reason)))
    return [(str(key), value or str(_("Not yet"))) for key, value in facts]


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, VIEW_CASES)
    case = case_for_page(request, pk)
    labels = selectors.closure_labels()
    previous, previous_in_scope = selectors.previous_case(request.user, case)
    if previous is not None:
        audit_event(action=Action.VIEW, request=request, obj=previous, reason=f"previous case of case {case.pk}")
    others = selectors.other_open_cases(request.user, case)
    audit_many(action=Action.VIEW, request=request, objects=others, reason=f"other open cases of case {case.pk}")
    can_manage = request.user.has_perm(MANAGE_CASES)
    options = status_options(
        case.status,
        can_work=request.user.has_perm(WORK_CASES),
        can_manage=can_manage,
        key_worker=case.key_worker.full_name if case.key_worker else "",
    )
    context = case_context(request, case, "cases:detail") | {
        "facts": _facts(case, labels),
        "history": _history(case, labels),
        "previous": previous,
        "previous_in_scope": previous_in_scope,
        "previous_reason": labels.get(previous.closure_reason, previous.closure_reason) if previous else "",
        "previous_facts": _previous_facts(previous) if previous else [],
        "others": [(c, presenters.status_tag(c.status)) for c in others],
        "can_change_status": bool(options),
        "can_allocate": can_manage and case.is_open,
        "status_tag": presenters.status_tag(case.status),
    }
    return render(request, "cases/detail.html", context)


def _previous_facts(previous: Case) -> list[tuple[str, str]]:
    return [
        (str(_("Pathway")), previous.pathway.name),
        (str(_("Provider")), previous.provider.name),
        (str(_("Opened")), presenters.day(previous.opened_at)),
        (str(_("Allocated")), presenters.day(previous.allocated_at) or str(_("Not allocated"))),
        (str(_("Closed")), presenters.day(previous.closed_at)),
    ]


def _repeat(request: HttpRequest, case: Case) -> HttpResponse | None:
    """A second submission of a change already made (a double click): say so, change nothing."""
    wanted = request.POST.get("to_status") if request.method == "POST" else None
    if wanted and wanted == case.status:
        messages.info(request, _("The case is already “%(status)s”.") % {"status": case.get_status_display()})
        return redirect("cases:detail", pk=case.pk)
    return None


def _status_form(request: HttpRequest, case: Case, data: Any) -> StatusChangeForm:
    options = status_options(
        case.status,
        can_work=True,
        can_manage=request.user.has_perm(MANAGE_CASES),
        key_worker=case.key_worker.full_name if case.key_worker else "",
    )
    return StatusChangeForm(
        data,
        options=options,
        reasons=selectors.closure_reasons(),
        from_status=case.status,
        initial={"version": case.version},
    )


def change_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a case active or stepping down (caseworkers); close, return to the waiting list or
    reopen it (team managers)."""
    require_perm(request, WORK_CASES)
    case = case_for_page(request, pk, WORK_CASES)
    repeated = _repeat(request, case)
    if repeated is not None:
        return repeated
    form = _status_form(request, case, posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_change_status(
                request=request,
                case=case,
                to_status=data["to_status"],
                version=data["version"],
                reason_code=data["reason_code"],
                note=data["note"],
            )
        except services.CaseChanged as error:
            # Show the case as it is now, keep what was typed, and let a second try go through.
            case = case_for_page(request, pk, WORK_CASES, audit=False)
            fresh = form.data.copy()
            fresh["version"] = str(case.version)
            form = _status_form(request, case, fresh)
            form.is_valid()
            add_errors(form, error)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The case is now “%(status)s”.") % {"status": case.get_status_display()})
            return redirect("cases:detail", pk=case.pk)
    context: dict[str, Any] = case_context(request, case, "cases:detail") | {
        "form": form,
        "hints": {value: hint for value, _label, hint in form.options},
        "status_tag": presenters.status_tag(case.status),
    }
    return render(request, "cases/change_status.html", context)
