"""Risk reviews, warm handovers between teams, the managed step-down and a re-referral's
previous case.

Views orchestrate only: the case through cases.pages (404 outside the user's provider, 403
without the permission, the view audited), handovers a team receives through
selectors_reviews.handovers_for, writes through services_reviews.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepath.cases import selectors_reviews as selectors
from safepath.cases.choices import HandoverStatus
from safepath.cases.forms_reviews import DecisionForm, HandoverForm, ReviewForm, StepDownForm
from safepath.cases.models import Case, Handover
from safepath.cases.pages import case_context, case_for_page
from safepath.cases.rules import MANAGE_CASES, VIEW_CASES, WORK_CASES
from safepath.cases.selectors import settings_for
from safepath.cases.services_reviews import handover_decide as decide_service
from safepath.cases.services_reviews import handover_offer, review_record, step_down_plan
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event, audit_many
from safepath.core.forms import add_errors, posted
from safepath.people.selectors_records import instrument_for
from safepath.referrals.presenters import risk_tag
from safepath.risk.selectors import thresholds_for

PAGE_SIZE = 25
HANDOVERS_SHOWN = 20
REVIEWS_SHOWN = 20
SECTION = "cases:reviews"


def _frame(request: HttpRequest, case: Case, **extra: Any) -> dict[str, Any]:
    return case_context(request, case, SECTION) | {"risk_tag": risk_tag} | extra


# --- the reviews page --------------------------------------------------------------------


@dataclass(frozen=True)
class TrajectoryRow:
    assessment: Any
    change: str  # in words: the trajectory is not shown by colour alone
    source: str


def _change(before: str | None, level: str) -> str:
    if before is None:
        return _("First assessment")
    step = selectors.LEVEL_RANK.get(level, 0) - selectors.LEVEL_RANK.get(before, 0)
    return _("Raised") if step > 0 else _("Reduced") if step < 0 else _("No change")


def _source(assessment: Any, case: Case) -> str:
    review = getattr(assessment, "case_review", None)
    if review is None:
        return _("Referral or other assessment")
    return _("Review on this case") if review.case_id == case.pk else _("Review on another case")


def _trajectory(request: HttpRequest, case: Case) -> tuple[Any, list[TrajectoryRow]]:
    """The person's assessments, oldest first; the last page (the newest) unless asked."""
    assessments = selectors.risk_trajectory(case.person_id)
    paginator = Paginator(assessments, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page") or paginator.num_pages)
    # One query for the page and the assessment before it (what the first row changed from).
    start = max(page.start_index() - 1, 0)
    items = list(assessments[max(start - 1, 0):page.end_index()])
    before = items.pop(0).level if start > 0 else None
    rows = []
    for assessment in items:
        rows.append(TrajectoryRow(assessment, _change(before, assessment.level), _source(assessment, case)))
        before = assessment.level
    return page, rows


def reviews(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, VIEW_CASES)
    settings = settings_for(case.pathway_id)
    page, rows = _trajectory(request, case)
    audit_event(action=Action.VIEW, request=request, obj=case.person, reason=f"risk trajectory, case {case.pk}")
    latest = selectors.latest_review(case)
    handovers = list(selectors.handovers_out(case)[:HANDOVERS_SHOWN])
    today = timezone.localdate()
    context = _frame(
        request,
        case,
        page=page,
        rows=rows,
        latest=latest,
        proposals=selectors.proposals_for(case, latest, selectors.open_offer_pathways(case)),
        handovers=handovers,
        handover_in=selectors.handover_into(case),
        handovers_shown=HANDOVERS_SHOWN,
        reviews=list(selectors.case_reviews(case).reverse()[:REVIEWS_SHOWN]),
        reviews_shown=REVIEWS_SHOWN,
        step_down_due=selectors.step_down_due(case, settings, today),
        today=today,
        pathway_settings=settings,
        can_work=request.user.has_perm(WORK_CASES, case),
    )
    return render(request, "cases/reviews/reviews.html", context)


@require_http_methods(["GET", "POST"])
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, WORK_CASES)
    today = timezone.localdate()
    instrument, fallback = instrument_for(case.person, today)
    context = _frame(request, case, instrument=instrument, fallback=fallback,
                     thresholds=thresholds_for(case.person.area_id, today), form=None)
    if instrument is None:
        return render(request, "cases/reviews/review_add.html", context)
    form = ReviewForm(posted(request), instrument=instrument, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            review = review_record(
                request=request,
                case=case,
                version=form.cleaned_data["version"],
                token=form.cleaned_data["token"],
                assessment=form.assessment(instrument),
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _review_message(review))
            return redirect("cases:reviews", case.pk)
    return render(request, "cases/reviews/review_add.html", context | {"form": form})


def _review_message(review: Any) -> str:
    new = review.get_new_level_display().lower()
    if review.previous_level == review.new_level:
        return _("Review saved: risk is still %(level)s.") % {"level": new}
    return _("Review saved: risk changed from %(old)s to %(new)s. Consider the proposed move below.") % {
        "old": review.get_previous_level_display().lower(),
        "new": new,
    }


# --- offering a handover -----------------------------------------------------------------


def _initial_destination(case: Case, choices: list[selectors.Destination], pathway_id: int | None) -> str:
    """The proposal's pathway, at the case's own provider when it delivers it."""
    fitting = [d for d in choices if d.pathway.pk == pathway_id]
    fitting.sort(key=lambda d: d.provider.pk != case.provider_id)
    return fitting[0].value if fitting else ""


@require_http_methods(["GET", "POST"])
def handover_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, WORK_CASES)
    choices = selectors.destinations()
    review_id = selectors.as_int(request.POST.get("review") or request.GET.get("review"))
    review = selectors.review_of(case, review_id)
    initial = {
        "version": case.version,
        "destination": _initial_destination(case, choices, selectors.as_int(request.GET.get("pathway"))),
    }
    form = HandoverForm(posted(request), destinations=choices, initial=initial)
    if request.method == "POST" and form.is_valid():
        target = form.target()
        try:
            handover = handover_offer(
                request=request,
                case=case,
                target=target,  # type: ignore[arg-type]
                token=form.cleaned_data["token"],
                version=form.cleaned_data["version"],
                review=review,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Handover offered to %(provider)s (%(pathway)s). Their managers will accept or decline it.")
                % {"provider": handover.to_provider.name, "pathway": handover.to_pathway.name},
            )
            return redirect("cases:reviews", case.pk)
    return render(request, "cases/reviews/handover_add.html", _frame(request, case, form=form, review=review))


# --- the receiving team's inbox and decision ---------------------------------------------


def handovers(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_CASES)
    decided = request.GET.get("show") == "decided"
    page = Paginator(selectors.handover_inbox(request.user, decided=decided), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    items = list(page.object_list)
    audit_many(action=Action.VIEW, request=request, objects=items, reason="handover inbox")
    context = {
        "page": page,
        "items": items,
        "decided": decided,
        "query": "show=decided" if decided else "",
        "risk_tag": risk_tag,
    }
    return render(request, "cases/reviews/handovers.html", context)


def _handover(request: HttpRequest, pk: int) -> Handover:
    handover = get_scoped_or_404(selectors.handovers_for(request.user), pk=pk)
    require_perm(request, MANAGE_CASES)
    return handover


@require_http_methods(["GET", "POST"])
def handover_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """The handover's detail for the receiving team, with the decision while it is open. It
    shows what the sending team wrote for them, never the sending case's notes."""
    handover = _handover(request, pk)
    form = DecisionForm(posted(request)) if handover.status == HandoverStatus.OFFERED else None
    if request.method == "POST" and form is None:
        messages.error(request, _("This handover has already been decided."))
        return redirect("cases:handover_decide", handover.pk)
    if form is not None and request.method == "POST" and form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            handover = decide_service(request=request, handover=handover, accept=accept, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("Handover accepted: the case is on your waiting list.") if accept else _("Handover declined."),
            )
            return redirect("cases:handover_decide", handover.pk)
    audit_event(action=Action.VIEW, request=request, obj=handover)
    audit_event(action=Action.VIEW, request=request, obj=handover.from_case.person, reason=f"handover {handover.pk}")
    context = {"handover": handover, "person": handover.from_case.person, "form": form, "risk_tag": risk_tag}
    return render(request, "cases/reviews/handover_decide.html", context)


# --- managed step-down -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def step_down(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, WORK_CASES)
    choices = selectors.step_down_destinations(case)
    form = StepDownForm(posted(request), destinations=choices, initial={"version": case.version})
    if request.method == "POST" and form.is_valid():
        try:
            step_down_plan(
                request=request,
                case=case,
                version=form.cleaned_data["version"],
                token=form.cleaned_data["token"],
                plan=form.cleaned_data["plan"],
                target=form.target(),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Step-down plan saved: the case is stepping down."))
            return redirect("cases:reviews", case.pk)
    context = _frame(request, case, form=form, pathway_settings=settings_for(case.pathway_id))
    return render(request, "cases/reviews/step_down.html", context)


# --- a re-referral's previous case --------------------------------------------------------


def previous(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for_page(request, pk, VIEW_CASES)
    view = selectors.previous_case_view(case)
    if view is not None:
        audit_event(
            action=Action.VIEW,
            request=request,
            obj=view.case,
            reason=f"previous case of case {case.pk}" + ("" if view.full else " (dates, pathway and closure only)"),
        )
    context = _frame(request, case, view=view, closure_labels=selectors.closure_labels())
    return render(request, "cases/reviews/previous.html", context)
