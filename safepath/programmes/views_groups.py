"""Group programmes: programmes, cohorts, enrolments and attendance registers.

Views orchestrate only: `require_perm` for what a role may do (403), scoped selectors to
read (404 outside the user's provider), services to write.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_many
from safepath.core.forms import add_errors, posted
from safepath.programmes import selectors, services
from safepath.programmes.choices import EnrolmentStatus
from safepath.programmes.forms import AttendanceForm, CohortForm, EnrolForm, ProgrammeForm
from safepath.programmes.models import Cohort, Programme, ProgrammeSession
from safepath.programmes.rules import MANAGE_PROGRAMMES, VIEW_PROGRAMMES
from safepath.referrals.models import Pathway

PAGE_SIZE = 50


def _programme(request: HttpRequest, pk: int, perm: str = VIEW_PROGRAMMES) -> Programme:
    require_perm(request, perm)
    return get_scoped_or_404(selectors.programmes_for(request.user).select_related("pathway"), pk=pk)


def _cohort(request: HttpRequest, pk: int) -> Cohort:
    require_perm(request, VIEW_PROGRAMMES)
    return get_scoped_or_404(selectors.cohorts_for(request.user).select_related("programme"), pk=pk)


def programme_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_PROGRAMMES)
    page = Paginator(selectors.programme_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "can_manage": request.user.has_perm(MANAGE_PROGRAMMES)}
    return render(request, "programmes/list.html", context)


def programme_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_PROGRAMMES)
    form = ProgrammeForm(posted(request), pathways=Pathway.objects.filter(is_active=True))
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                request=request,
                provider=request.membership.organisation,
                **form.cleaned_data,  # type: ignore[attr-defined]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Programme added. Now add a group (cohort) to it."))
            return redirect("programmes:programme", pk=programme.pk)
    return render(request, "programmes/programme_add.html", {"form": form})


def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    cohorts = selectors.cohorts_with_counts(programme)
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"programme": programme, "page": page, "can_manage": request.user.has_perm(MANAGE_PROGRAMMES)}
    return render(request, "programmes/programme.html", context)


def cohort_add(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk, MANAGE_PROGRAMMES)
    form = CohortForm(posted(request), facilitators=selectors.facilitator_choices(programme.provider_id))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort = services.cohort_create(
                request=request,
                programme=programme,
                token=data["token"],
                name=data["name"],
                starts_on=data["starts_on"],
                first_session_at=data["time"],
                venue=data["venue"],
                capacity=data["capacity"],
                facilitators=data["facilitators"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Group added with its %(n)s sessions.") % {"n": programme.sessions_planned})
            return redirect("programmes:cohort", pk=cohort.pk)
    return render(request, "programmes/cohort_add.html", {"form": form, "programme": programme})


def cohort_detail(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    sessions = cohort.sessions.annotate(
        marked=Count("attendance"), present=Count("attendance", filter=Q(attendance__attended=True))
    )
    today = timezone.localdate()
    sessions = list(sessions)
    for session in sessions:  # attendance is recorded on or after the day
        session.can_mark = timezone.localdate(session.starts_at) <= today  # type: ignore[attr-defined]
    enrolments = list(selectors.cohort_enrolments(cohort))
    audit_many(action=Action.VIEW, request=request, objects=[e.case for e in enrolments], reason=f"cohort {cohort.pk}")
    counts = {status: sum(1 for e in enrolments if e.status == status) for status in EnrolmentStatus.values}
    context = {
        "cohort": cohort,
        "programme": cohort.programme,
        "sessions": sessions,
        "enrolments": enrolments,
        "counts": counts,
        "places_left": max(cohort.capacity - counts["enrolled"] - counts["completed"], 0),
        "facilitators": list(cohort.facilitators.order_by("full_name")),
    }
    return render(request, "programmes/cohort.html", context)


def enrol(request: HttpRequest, pk: int) -> HttpResponse:
    cohort = _cohort(request, pk)
    programme = cohort.programme
    # A repeated submission names someone already enrolled: accept it (nothing changes).
    cases = selectors.enrollable_cases(request.user, programme, cohort, include_taken=request.method == "POST")
    form = EnrolForm(posted(request), cases=cases, initial={"case": request.GET.get("case", "")})
    if request.method == "POST" and form.is_valid():
        case = form.cleaned_data["case"]
        try:
            services.enrolment_add(request=request, cohort=cohort, case=case)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("%(name)s is enrolled.") % {"name": case.person.first_name})
            return redirect("programmes:cohort", pk=cohort.pk)
    return render(request, "programmes/enrol.html", {"form": form, "cohort": cohort, "programme": programme})


@require_POST
def enrolment_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, VIEW_PROGRAMMES)
    enrolment = get_scoped_or_404(selectors.enrolments_for(request.user), pk=pk)
    services.enrolment_withdraw(request=request, enrolment=enrolment)
    messages.success(request, _("Withdrawn from the group. Their attendance is kept."))
    return redirect("programmes:cohort", pk=enrolment.cohort_id)


def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, VIEW_PROGRAMMES)
    session: ProgrammeSession = get_scoped_or_404(
        selectors.sessions_for(request.user).select_related("cohort__programme"), pk=pk
    )
    cohort = session.cohort
    enrolments = list(selectors.register(cohort))
    form = AttendanceForm(posted(request), enrolments=enrolments, marks=selectors.session_marks(session))
    if request.method == "POST" and form.is_valid():
        marks = {pk: services.Mark(attended, note) for pk, (attended, note) in form.marks().items()}
        try:
            services.attendance_record(request=request, session=session, marks=marks)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Attendance saved for session %(n)s.") % {"n": session.number})
            return redirect("programmes:cohort", pk=cohort.pk)
    audit_many(
        action=Action.VIEW, request=request, objects=[e.case for e in enrolments], reason=f"register {session.pk}"
    )
    context = {
        "form": form,
        "session": session,
        "cohort": cohort,
        "programme": cohort.programme,
        "future": timezone.localdate(session.starts_at) > timezone.localdate(),
    }
    return render(request, "programmes/attendance.html", context)
