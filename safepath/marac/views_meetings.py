"""MARAC meetings: agendas, the cases on them, research, actions and minutes.

Views orchestrate only: `require_perm` for what a role may do (403), scoped selectors to read
(404 outside the MARAC, or outside a representative's access window), services to write.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action as AuditAction
from safepath.core.audit import audit_event, audit_many
from safepath.core.forms import add_errors, posted
from safepath.marac import selectors, services
from safepath.marac.forms import ActionForm, MeetingForm, MinutesForm, ResearchForm, SettingsForm
from safepath.marac.models import AgendaItem, Meeting
from safepath.marac.presenters import HELPERS
from safepath.marac.rules import AGREE_ACTIONS, COORDINATE, RECORD_RESEARCH, VIEW_ACTIONS, VIEW_MEETINGS

PAGE_SIZE = 50


def _render(request: HttpRequest, template: str, context: dict, **kwargs: Any) -> HttpResponse:
    return render(request, template, {**HELPERS, **context}, **kwargs)


def _meeting(request: HttpRequest, pk: int, perm: str = VIEW_MEETINGS) -> Meeting:
    require_perm(request, perm)
    return get_scoped_or_404(selectors.meetings_for(request.user).select_related("marac"), pk=pk)


def _item(request: HttpRequest, pk: int, perm: str = VIEW_MEETINGS) -> AgendaItem:
    require_perm(request, perm)
    related = ("meeting__marac", "marac_referral__referral__person", "marac_referral__referral__area")
    return get_scoped_or_404(selectors.items_for(request.user).select_related(*related), pk=pk)


def meetings(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_MEETINGS)
    page = Paginator(selectors.meeting_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "upcoming": list(selectors.upcoming_meetings_attended(request.user)[:10]),
        "can_coordinate": request.user.has_perm(COORDINATE),
        "now": timezone.now(),
    }
    return _render(request, "marac/meetings.html", context)


def meeting_add(request: HttpRequest) -> HttpResponse:
    require_perm(request, COORDINATE)
    form = MeetingForm(posted(request), agencies=selectors.partner_agencies())
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                request=request,
                marac=request.membership.organisation,  # type: ignore[attr-defined]
                held_at=form.held_at(),
                chair=form.cleaned_data["chair"],
                agencies=list(form.cleaned_data["agencies"]),
                token=form.cleaned_data["token"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Meeting added. Now build its agenda."))
            return redirect("marac:meeting", pk=meeting.pk)
    return _render(request, "marac/meeting_add.html", {"form": form})


def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk)
    agenda = selectors.meeting_agenda(meeting)
    audit_many(
        action=AuditAction.VIEW,
        request=request,
        objects=[i.marac_referral for i in agenda],
        reason=f"agenda {meeting.pk}",
    )
    settings = selectors.settings_for(meeting.marac_id)
    context = {
        "meeting": meeting,
        "agenda": agenda,
        "agencies": selectors.meeting_agencies(meeting),
        "can_coordinate": request.user.has_perm(COORDINATE),
        "settings": settings,
        "room": max(settings.max_cases_per_meeting - len(agenda), 0),
        "now": timezone.now(),
    }
    return _render(request, "marac/meeting.html", context)


@require_POST
def agenda_build(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, COORDINATE)
    try:
        added = services.agenda_build(request=request, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if added:
            messages.success(request, _("%(n)s cases added to the agenda.") % {"n": len(added)})
        else:
            messages.info(request, _("No cases were added: the agenda is full or no referral is waiting."))
    return redirect("marac:meeting", pk=meeting.pk)


@require_POST
def agenda_release(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, COORDINATE)
    try:
        services.agenda_release(request=request, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Agenda released to the attending agencies."))
    return redirect("marac:meeting", pk=meeting.pk)


def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting(request, pk, COORDINATE)
    form = MinutesForm(posted(request), initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_record(request=request, meeting=meeting, minutes=form.cleaned_data["minutes"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Minutes saved."))
            return redirect("marac:meeting", pk=meeting.pk)
    audit_event(action=AuditAction.VIEW, request=request, obj=meeting, reason="minutes")
    return _render(request, "marac/minutes.html", {"form": form, "meeting": meeting})


def item(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    audit_event(action=AuditAction.VIEW, request=request, obj=item.marac_referral, reason=f"agenda item {item.pk}")
    agency = selectors.represented_agency(request.user)
    context = {
        "item": item,
        "meeting": item.meeting,
        "referral": item.marac_referral.referral,
        "marac_referral": item.marac_referral,
        "research": selectors.item_research(item),
        "actions": selectors.item_actions(item),
        "can_research": agency is not None and request.user.has_perm(RECORD_RESEARCH),
        "can_agree": request.user.has_perm(AGREE_ACTIONS),
        "can_coordinate": request.user.has_perm(COORDINATE),
        "today": timezone.localdate(),
    }
    return _render(request, "marac/item.html", context)


def research(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, RECORD_RESEARCH)
    agency = selectors.represented_agency(request.user)
    with_voice = agency is not None and selectors.settings_for(item.meeting.marac_id).idva_service_id == agency.pk
    current = next((r for r in selectors.item_research(item) if r.organisation_id == agency.pk), None)  # type: ignore[union-attr]
    initial = {"text": current.text, "no_information": current.no_information} if current else {}
    if with_voice:
        initial["idva_summary"] = item.idva_summary
    form = ResearchForm(posted(request), with_voice=with_voice, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.research_record(
                request=request,
                item=item,
                organisation=agency,  # type: ignore[arg-type]
                text=data["text"],
                no_information=data["no_information"],
                idva_summary=data.get("idva_summary") if with_voice else None,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Your agency's research is saved."))
            return redirect("marac:item", pk=item.pk)
    audit_event(action=AuditAction.VIEW, request=request, obj=item.marac_referral, reason=f"research {item.pk}")
    return _render(request, "marac/research.html", {"form": form, "item": item, "meeting": item.meeting})


def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk, AGREE_ACTIONS)
    form = ActionForm(posted(request), agencies=selectors.meeting_attending_agencies(item.meeting))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_add(
                request=request,
                item=item,
                owner=data["owner"],
                description=data["description"],
                due_on=data["due_on"],
                token=data["token"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Action agreed."))
            return redirect("marac:item", pk=item.pk)
    return _render(request, "marac/action_add.html", {"form": form, "item": item, "meeting": item.meeting})


def actions(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_ACTIONS)
    overdue_only = request.GET.get("show") == "overdue"
    rows = selectors.action_list(request.user, overdue_only=overdue_only)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_many(action=AuditAction.VIEW, request=request, objects=list(page.object_list), reason="MARAC actions")
    context = {
        "page": page,
        "overdue_only": overdue_only,
        "today": timezone.localdate(),
        "query": "show=overdue" if overdue_only else "",
        "can_coordinate": request.user.has_perm(COORDINATE),
    }
    return _render(request, "marac/actions.html", context)


@require_POST
def action_complete(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, VIEW_ACTIONS)
    action = get_scoped_or_404(selectors.actions_for(request.user), pk=pk)
    services.action_complete(request=request, action=action)
    messages.success(request, _("Action marked as done."))
    if request.POST.get("next") == "item":
        return redirect("marac:item", pk=action.item_id)
    return redirect("marac:actions")


def marac_settings(request: HttpRequest) -> HttpResponse:
    require_perm(request, COORDINATE)
    marac = request.membership.organisation  # type: ignore[attr-defined]
    current = selectors.settings_for(marac)
    initial = {
        "max_cases_per_meeting": current.max_cases_per_meeting,
        "access_hours_after_meeting": current.access_hours_after_meeting,
        "repeat_window_months": current.repeat_window_months,
        "idva_service": current.idva_service_id,
    }
    form = SettingsForm(posted(request), agencies=selectors.partner_agencies(), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.marac_settings_update(request=request, marac=marac, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("marac:meetings")
    return _render(request, "marac/settings.html", {"form": form, "marac": marac})
