"""Triage at the single point of access, routing, and providers' inbox of routed referrals.

Views orchestrate only: scoped selectors to read (404 outside the user's hub or provider),
`require_perm` for what a role may do (403), services in referrals/triage.py to write.
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
from django.views.decorators.http import require_POST

from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event, audit_many
from safepath.core.forms import add_errors, posted
from safepath.jinja2 import localtime
from safepath.people import rules as people_perms
from safepath.people.choices import Channel
from safepath.referrals import presenters, selectors, selectors_reoffer
from safepath.referrals import rules as perms
from safepath.referrals import triage as services
from safepath.referrals.choices import COMPLEX_NEEDS, DECLINE_REASONS, OPEN_STATUSES, MatchStatus
from safepath.referrals.forms_triage import (
    ONCE_FIELD,
    ContactAttemptForm,
    DeclineForm,
    MatchForm,
    QueueFilterForm,
    ReofferForm,
    RouteForm,
    SignpostForm,
    WithdrawForm,
    WorkItemDecisionForm,
    claim_once,
    once_token,
)
from safepath.referrals.models import Referral, WorkItem

PAGE_SIZE = 50


# --- the queue --------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    referral: Referral
    name: str
    received: str
    age: presenters.Age
    risk: dict[str, str]
    criteria: list[str]


def _queue_labels() -> dict[str, str]:
    """Words repeated on every row, translated once per page."""
    return {
        "duplicate": _("Possible duplicate"),
        "repeat": _("Repeat"),
        "overdue": _("Overdue"),
        "no": _("No"),
        "nobody": _("Nobody"),
    }


def triage_queue(request: HttpRequest) -> HttpResponse:
    require_perm(request, perms.TRIAGE)
    form = QueueFilterForm(request.GET)
    today = timezone.localdate()
    slas = selectors.triage_slas()
    queue = selectors.triage_queue(request.user, form.filters(), slas=slas, today=today)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    risk_tags = {level: presenters.risk_tag(level) for level in slas}
    rows = [
        QueueRow(
            referral=r,
            name=presenters.short_name(r.person),
            received=localtime(r.received_at),
            age=presenters.referral_age(r.received_at, r.risk_level, slas, today),
            risk=risk_tags.get(r.risk_level) or presenters.risk_tag(r.risk_level),
            criteria=presenters.marac_criteria(r.marac_criteria, short=True),
        )
        for r in page.object_list
    ]
    audit_many(action=Action.VIEW, request=request, objects=[row.referral for row in rows], reason="triage queue")
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "labels": _queue_labels(),
        "query": form.query(),
        "sla_rows": presenters.sla_rows(slas),
        "declined_count": selectors_reoffer.declined_awaiting_reoffer(request.user).count(),
    }
    return render(request, "referrals/triage/queue.html", context)


# --- one referral -----------------------------------------------------------------------


def _referral(request: HttpRequest, pk: int) -> Referral:
    require_perm(request, perms.TRIAGE)
    return get_scoped_or_404(selectors.referral_for_triage(request.user), pk=pk)


def _summary(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    """What every page about a referral shows: the person, safe contact rules, the rules' outcome."""
    safe_contact, channel_rules = presenters.safe_contact_rules(referral.person)
    return {
        "referral": referral,
        "person": referral.person,
        "person_url": presenters.person_url(referral.person),
        "safe_contact": safe_contact,
        "channel_rules": channel_rules,
        "risk": presenters.risk_tag(referral.risk_level),
        "criteria": presenters.marac_criteria(referral.marac_criteria),
        "abuse_types": presenters.abuse_types(referral.abuse_types),
        "complex_needs": selectors.vocabulary_labels(COMPLEX_NEEDS, referral.complex_needs),
        "yes_no": presenters.yes_no,
        "channel_labels": dict(Channel.choices),
    }


def _audit_read(request: HttpRequest, referral: Referral) -> None:
    audit_event(action=Action.VIEW, request=request, obj=referral)
    audit_event(action=Action.VIEW, request=request, obj=referral.person, reason=f"referral {referral.pk}")


def _render_detail(request: HttpRequest, referral: Referral) -> HttpResponse:
    _audit_read(request, referral)
    candidates = []
    if referral.match_status == MatchStatus.NEEDS_REVIEW and referral.status in OPEN_STATUSES:
        candidates = selectors.known_person_candidates(request.user, referral)
        audit_many(
            action=Action.VIEW,
            request=request,
            objects=[p for p, _m in candidates],
            reason=f"match candidates for referral {referral.pk}",
        )
    slas = selectors.triage_slas()
    context = _summary(request, referral) | {
        "history": selectors.status_history(referral),
        "attempts": selectors.contact_attempts(referral),
        "work_items": selectors_reoffer.referral_work_items_with_history(referral),
        "candidates": candidates,
        "age": presenters.referral_age(referral.received_at, referral.risk_level, slas, timezone.localdate()),
        "submitted": presenters.submitted_items(referral.submitted or {}),
        "is_open": referral.status in OPEN_STATUSES,
        "can_change_status": request.user.has_perm(perms.CHANGE_STATUS),
        "can_merge": request.user.has_perm(people_perms.MERGE_PEOPLE),
        "reason_labels": selectors.vocabulary_map(DECLINE_REASONS) | services.WITHDRAWN_REASONS,
    }
    return render(request, "referrals/triage/detail.html", context)


def triage_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    return _render_detail(request, referral)


def _done(request: HttpRequest, referral: Referral, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect("referrals:triage_detail", pk=referral.pk)


def _refused(request: HttpRequest, referral: Referral, error: ValidationError) -> HttpResponse:
    for message in error.messages:
        messages.error(request, message)
    return redirect("referrals:triage_detail", pk=referral.pk)


@require_POST
def triage_assign(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    try:
        services.referral_assign(request=request, referral=referral)
    except ValidationError as error:
        return _refused(request, referral, error)
    return _done(request, referral, _("The referral is assigned to you."))


@require_POST
def triage_start(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    require_perm(request, perms.CHANGE_STATUS)
    try:
        services.referral_start_triage(request=request, referral=referral)
    except ValidationError as error:
        return _refused(request, referral, error)
    return _done(request, referral, _("Triage started."))


def triage_contact(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    form = ContactAttemptForm(
        posted(request), refusal=lambda channel: services.contact_refusal(referral.person, channel)
    )
    if request.method == "POST" and form.is_valid():
        if not claim_once(request):
            return _done(request, referral, _("This contact attempt was already recorded."))
        try:
            services.contact_attempt_record(request=request, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _done(request, referral, _("Contact attempt recorded."))
    _audit_read(request, referral)
    context = _summary(request, referral) | {"form": form, "once": once_token(), "once_field": ONCE_FIELD}
    return render(request, "referrals/triage/contact.html", context)


def _closing_view(
    request: HttpRequest, pk: int, *, form_class: type, template: str, act: Any, done: str, **form_kwargs: Any
) -> HttpResponse:
    referral = _referral(request, pk)
    require_perm(request, perms.CHANGE_STATUS)
    form = form_class(posted(request), **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            act(request=request, referral=referral, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _done(request, referral, done)
    _audit_read(request, referral)
    return render(request, template, _summary(request, referral) | {"form": form})


def triage_decline(request: HttpRequest, pk: int) -> HttpResponse:
    return _closing_view(
        request,
        pk,
        form_class=DeclineForm,
        template="referrals/triage/decline.html",
        act=services.referral_decline,
        done=_("Referral declined."),
        reasons=selectors.decline_reasons(),
    )


def triage_signpost(request: HttpRequest, pk: int) -> HttpResponse:
    return _closing_view(
        request,
        pk,
        form_class=SignpostForm,
        template="referrals/triage/signpost.html",
        act=services.referral_signpost,
        done=_("Referral closed as signposted."),
    )


def triage_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _closing_view(
        request,
        pk,
        form_class=WithdrawForm,
        template="referrals/triage/withdraw.html",
        act=services.referral_withdraw,
        done=_("Referral closed."),
    )


@require_POST
def triage_match(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    form = MatchForm(request.POST)
    if not form.is_valid():
        return _refused(request, referral, ValidationError(_("Choose whether this is a known person or a new one.")))
    if form.cleaned_data["decision"] == "new":
        services.referral_confirm_new_person(request=request, referral=referral)
        return _done(request, referral, _("Recorded as a new person."))
    require_perm(request, people_perms.MERGE_PEOPLE)
    if referral.match_status != MatchStatus.NEEDS_REVIEW:
        return _done(request, referral, _("This has already been decided."))
    candidates = {p.pk: p for p, _m in selectors.known_person_candidates(request.user, referral)}
    person = candidates.get(form.cleaned_data["person"] or 0)
    if person is None:
        return _refused(request, referral, ValidationError(_("Choose one of the people listed.")))
    try:
        services.referral_confirm_person(request=request, referral=referral, person=person)
    except ValidationError as error:
        return _refused(request, referral, error)
    return _done(
        request, referral, _("Linked to the known person. The risk rules were applied again with their history.")
    )


# --- routing -----------------------------------------------------------------------------


def route(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    require_perm(request, perms.CHANGE_STATUS)
    if referral.status not in OPEN_STATUSES:
        messages.info(
            request,
            _("This referral is %(status)s, so it cannot be routed.")
            % {"status": referral.get_status_display().lower()},
        )
        return redirect("referrals:triage_detail", pk=referral.pk)
    proposals = selectors.routing_proposals(referral)
    pathways = selectors.active_pathways()
    form = RouteForm(posted(request), pathways=pathways, proposals=proposals)
    if request.method == "POST" and form.is_valid():
        providers = {o.pk: o for p in pathways for o in p.providers.all()}
        choices = [services.RouteChoice(pathway=pathway, provider=providers[pid]) for pathway, pid in form.choices()]
        try:
            services.referral_route(
                request=request,
                referral=referral,
                choices=choices,
                proposed_pathway_ids=form.proposed_ids,
                override_reason=form.cleaned_data["override_reason"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return _done(request, referral, _("Referral accepted and routed."))
    _audit_read(request, referral)
    rows = [(p, form[RouteForm.provider_field(p)], p.pk in form.proposed_ids) for p in pathways]
    context = _summary(request, referral) | {"form": form, "proposals": proposals, "pathway_rows": rows}
    return render(request, "referrals/triage/route.html", context)


# --- providers' inbox --------------------------------------------------------------------


def work_items(request: HttpRequest) -> HttpResponse:
    require_perm(request, perms.VIEW_WORK_ITEMS)
    items = selectors.work_items_inbox(request.user)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(item, presenters.risk_tag(item.referral.risk_level)) for item in page.object_list]
    audit_many(action=Action.VIEW, request=request, objects=list(page.object_list), reason="work items")
    return render(request, "referrals/work_items/list.html", {"page": page, "rows": rows})


def _work_item(request: HttpRequest, pk: int) -> WorkItem:
    require_perm(request, perms.VIEW_WORK_ITEMS)
    return get_scoped_or_404(selectors.work_item_for_detail(request.user), pk=pk)


def _render_work_item(request: HttpRequest, item: WorkItem, form: WorkItemDecisionForm | None = None) -> HttpResponse:
    audit_event(action=Action.VIEW, request=request, obj=item)
    _audit_read(request, item.referral)
    can_decide = request.user.has_perm(perms.DECIDE_WORK_ITEMS) and item.status == WorkItem.Status.OFFERED
    if can_decide and form is None:
        form = WorkItemDecisionForm(reasons=selectors.decline_reasons())
    context = _summary(request, item.referral) | {"item": item, "form": form if can_decide else None}
    return render(request, "referrals/work_items/detail.html", context)


def work_item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_work_item(request, _work_item(request, pk))


@require_POST
def work_item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = _work_item(request, pk)
    require_perm(request, perms.DECIDE_WORK_ITEMS)
    form = WorkItemDecisionForm(request.POST, reasons=selectors.decline_reasons())
    if form.is_valid():
        accept = form.cleaned_data["decision"] == "accept"
        try:
            services.work_item_decide(request=request, item=item, accept=accept, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, _("Referral accepted.") if item.status == WorkItem.Status.ACCEPTED else _("Referral declined.")
            )
            return redirect("referrals:work_item_detail", pk=item.pk)
    return _render_work_item(request, item, form)


# --- offering declined referrals again ---------------------------------------------------


def triage_declined(request: HttpRequest) -> HttpResponse:
    """Routed referrals a provider declined and nobody has offered again yet."""
    require_perm(request, perms.TRIAGE)
    items = selectors_reoffer.declined_awaiting_reoffer(request.user)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = selectors.vocabulary_map(DECLINE_REASONS)
    risk_tags: dict[str, dict[str, str]] = {}
    rows = [
        (
            item,
            labels.get(item.decline_reason, item.decline_reason),
            risk_tags.setdefault(item.referral.risk_level, presenters.risk_tag(item.referral.risk_level)),
        )
        for item in page.object_list
    ]
    audit_many(action=Action.VIEW, request=request, objects=list(page.object_list), reason="declined work items")
    context = {"page": page, "rows": rows, "can_change_status": request.user.has_perm(perms.CHANGE_STATUS)}
    return render(request, "referrals/triage/declined.html", context)


def _reoffered(item: WorkItem) -> WorkItem | None:
    try:
        return item.reoffer
    except WorkItem.reoffer.RelatedObjectDoesNotExist:
        return None


def work_item_reoffer(request: HttpRequest, pk: int) -> HttpResponse:
    """Offer a declined referral to another provider, or on another pathway, with a reason."""
    require_perm(request, perms.TRIAGE)
    item = get_scoped_or_404(selectors_reoffer.work_item_for_reoffer(request.user), pk=pk)
    require_perm(request, perms.CHANGE_STATUS)
    referral = item.referral
    if _reoffered(item) is not None:
        return _done(request, referral, _("This referral has already been offered again."))
    if item.status != WorkItem.Status.DECLINED:
        messages.info(request, _("Only a referral a provider has declined can be offered again."))
        return redirect("referrals:triage_detail", pk=referral.pk)
    targets = selectors_reoffer.reoffer_targets(item, selectors.active_pathways())
    form = ReofferForm(posted(request), targets=targets)
    if request.method == "POST" and form.is_valid():
        pathway, provider = form.chosen()
        try:
            new, created = services.work_item_reoffer(
                request=request, item=item, pathway=pathway, provider=provider, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            if not created:
                return _done(request, referral, _("This referral has already been offered again."))
            text = _("Referral offered to %(provider)s for %(pathway)s.")
            return _done(request, referral, text % {"provider": new.provider.name, "pathway": new.pathway.name})
    audit_event(action=Action.VIEW, request=request, obj=item)
    _audit_read(request, referral)
    context = _summary(request, referral) | {
        "form": form,
        "item": item,
        "decline_label": selectors.vocabulary_map(DECLINE_REASONS).get(item.decline_reason, item.decline_reason),
        "has_targets": bool(targets),
    }
    return render(request, "referrals/triage/reoffer.html", context)
