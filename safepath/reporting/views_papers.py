"""Your quarterly papers: subscribe or stop, see the papers produced, download them.

Only the subscriber sees or downloads their papers (anyone else: 404), and only while they may
still report on the paper's area; every download is audited.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event
from safepath.reporting import papers, selectors
from safepath.reporting.forms_papers import PaperSubscriptionForm
from safepath.reporting.models import PaperSubscription, QuarterlyPaper
from safepath.reporting.rules import VIEW_DASHBOARD


def _form(request: HttpRequest) -> PaperSubscriptionForm:
    return PaperSubscriptionForm(
        request.POST if request.method == "POST" else None,
        areas=list(selectors.dashboard_areas(request.user)),
        everything=selectors.may_report_on_everything(request.user),
    )


@require_http_methods(["GET", "POST"])
def paper_list(request: HttpRequest) -> HttpResponse:
    require_perm(request, VIEW_DASHBOARD)
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        _subscription, changed = papers.subscribe(
            user=request.user,
            membership=request.user.current_membership,  # type: ignore[union-attr]
            area=form.cleaned_data["area_obj"],
            fmt=form.cleaned_data["format"],
        )
        text = (
            _("You are subscribed. Each quarter's paper appears here once the quarter has closed.")
            if changed
            else _("You already receive this paper.")
        )
        messages.success(request, text)
        return redirect("reporting:papers")
    subscriptions = list(PaperSubscription.objects.filter(user=request.user).select_related("area"))
    produced = list(
        QuarterlyPaper.objects.filter(subscription__user=request.user)
        .select_related("subscription__area")
        .defer("content")
        .order_by("-period_first", "subscription__area__name", "subscription__format")
    )
    return render(
        request,
        "reporting/papers.html",
        {"form": form, "subscriptions": subscriptions, "papers": produced},
    )


@require_POST
def paper_unsubscribe(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, VIEW_DASHBOARD)
    subscription = get_scoped_or_404(PaperSubscription.objects.filter(user=request.user), pk=pk)
    papers.unsubscribe(subscription=subscription, user_id=request.user.pk)
    messages.success(request, _("You will get no more of these papers. The papers already produced stay here."))
    return redirect("reporting:papers")


def paper_download(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, VIEW_DASHBOARD)
    paper = get_scoped_or_404(
        QuarterlyPaper.objects.filter(subscription__user=request.user, error="").select_related(
            "subscription__user", "subscription__membership__organisation", "subscription__area"
        ),
        pk=pk,
    )
    if papers.allowed(paper.subscription) is None:  # no longer reports on the area: as if it did not exist
        raise Http404
    audit_event(action=Action.EXPORT, request=request, obj=paper, reason="quarterly paper downloaded")
    fmt = paper.subscription.format
    response = HttpResponse(bytes(paper.content), content_type=papers.CONTENT_TYPES[fmt])
    # The name says which quarter, nothing about a person.
    response["Content-Disposition"] = (
        f'attachment; filename="performance-{paper.period_first}-{paper.period_last}.{fmt}"'
    )
    return response
