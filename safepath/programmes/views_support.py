"""A case's groups and volunteers, and volunteers' own pages.

Volunteers see only the people currently assigned to them and only what they need to meet
them safely: first name, safe-contact rules, key worker, their own past sessions. Never the
address, risk, case notes, people causing harm or children.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepath.cases.models import VolunteerAssignment
from safepath.cases.pages import case_context, case_for_page
from safepath.cases.rules import VIEW_CASES, WORK_CASES
from safepath.cases.selectors import volunteer_assignments_for
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event, audit_many
from safepath.core.forms import posted
from safepath.people.models import SafeContact
from safepath.people.presenters import ChannelRule, safe_contact_rules
from safepath.programmes import selectors, services
from safepath.programmes.choices import SessionMode
from safepath.programmes.forms import AssignVolunteerForm, VolunteerSessionForm
from safepath.programmes.models import VolunteerSession
from safepath.programmes.rules import ASSIGN_VOLUNTEERS, RECORD_VOLUNTEER_SESSIONS

PAGE_SIZE = 20


# --- the case's section -------------------------------------------------------------------


def case_support(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, VIEW_CASES)
    case = case_for_page(request, pk)
    context = case_context(request, case, "programmes:case_support") | {
        "enrolments": selectors.case_enrolments(case),
        "assignments": selectors.case_assignments(case),
        "orders": selectors.case_orders(case),
        "can_assign": request.user.has_perm(ASSIGN_VOLUNTEERS, case),
        "can_order": request.user.has_perm(WORK_CASES, case),
        "mode_labels": dict(SessionMode.choices),
    }
    return render(request, "programmes/case_support.html", context)


def assign_volunteer(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, ASSIGN_VOLUNTEERS)
    case = case_for_page(request, pk, ASSIGN_VOLUNTEERS)
    volunteers = selectors.volunteer_choices(case.provider_id)
    form = AssignVolunteerForm(posted(request), volunteers=volunteers)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.volunteer_assign(
                request=request,
                case=case,
                volunteer=form.cleaned_data["volunteer"],
                started_on=form.cleaned_data["started_on"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request,
                _("%(volunteer)s is assigned. They can now see this person's first name and safe-contact rules.")
                % {"volunteer": assignment.volunteer.full_name},
            )
            return redirect("programmes:case_support", pk=case.pk)
    context = case_context(request, case, "programmes:case_support") | {
        "form": form,
        "has_volunteers": volunteers.exists(),
    }
    return render(request, "programmes/assign_volunteer.html", context)


@require_POST
def end_assignment(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, ASSIGN_VOLUNTEERS)
    assignment = get_scoped_or_404(selectors.assignments_for(request.user).select_related("case"), pk=pk)
    require_perm(request, ASSIGN_VOLUNTEERS, assignment.case)
    services.assignment_end(request=request, assignment=assignment)
    messages.success(request, _("The assignment has ended. The volunteer can no longer see this person."))
    return redirect("programmes:case_support", pk=assignment.case_id)


# --- volunteers' pages --------------------------------------------------------------------


@dataclass(frozen=True)
class AssignedPerson:
    """Everything a volunteer's page shows about one person: nothing more."""

    assignment_id: int
    first_name: str
    contact: SafeContact | None
    rules: list[ChannelRule]
    key_worker: str | None
    sessions: list[VolunteerSession]


def _assigned_person(assignment: VolunteerAssignment) -> AssignedPerson:
    person = assignment.case.person
    contact = getattr(person, "safe_contact", None)
    key_worker = assignment.case.key_worker
    return AssignedPerson(
        assignment_id=assignment.pk,
        first_name=person.first_name,
        contact=contact,
        rules=safe_contact_rules(contact),
        key_worker=key_worker.full_name if key_worker else None,
        sessions=getattr(assignment, "recent_sessions", []),
    )


def volunteer_home(request: HttpRequest) -> HttpResponse:
    require_perm(request, RECORD_VOLUNTEER_SESSIONS)
    assignments = selectors.volunteer_people(volunteer_assignments_for(request.user), request.user)
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("page"))
    people = [_assigned_person(a) for a in page.object_list]
    audit_many(
        action=Action.VIEW, request=request, objects=[a.case for a in page.object_list], reason="volunteer's people"
    )
    context = {"page": page, "people": people, "mode_labels": dict(SessionMode.choices)}
    return render(request, "programmes/volunteer_home.html", context)


def volunteer_session_add(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, RECORD_VOLUNTEER_SESSIONS)
    assignments = selectors.volunteer_people(volunteer_assignments_for(request.user), request.user)
    assignment = get_scoped_or_404(assignments, pk=pk)
    form = VolunteerSessionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.volunteer_session_record(
                request=request,
                assignment=assignment,
                volunteer=request.user,  # type: ignore[arg-type]
                token=data["token"],
                at=form.at(),
                minutes=data["minutes"],
                mode=data["mode"],
                note=data["note"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Session recorded. Your note is on the key worker's record."))
            return redirect("programmes:volunteer_home")
    audit_event(action=Action.VIEW, request=request, obj=assignment.case, reason="volunteer session form")
    context: dict[str, Any] = {"form": form, "person": _assigned_person(assignment)}
    return render(request, "programmes/volunteer_session_add.html", context)
