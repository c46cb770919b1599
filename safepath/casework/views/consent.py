"""Consent and information sharing on a case, and team managers' decisions on requests to
share without consent outside the consortium."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from safepath.cases.pages import case_context
from safepath.cases.rules import MANAGE_CASES
from safepath.casework import selectors
from safepath.casework.forms import ConsentForm, DecisionForm, SharingForm, WithdrawForm
from safepath.casework.models import SHARING_SCOPES, SharingRecord
from safepath.casework.services import consent_record, consent_withdraw, sharing_decide, sharing_record
from safepath.casework.views.common import case_for, paginate, render_section
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event, audit_many
from safepath.core.forms import add_errors, posted


@require_GET
def consent(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk)
    context = {
        "consents": list(selectors.consents_of(case)),
        "page": paginate(request, selectors.sharing_records_of(case)),
        "scope_labels": selectors.vocabulary_labels(SHARING_SCOPES),
        "today": timezone.localdate(),
    }
    return render_section(request, "casework/consent.html", case, "casework:consent", context)


@require_http_methods(["GET", "POST"])
def consent_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk)
    form = ConsentForm(posted(request), provider_id=case.provider_id)
    if request.method == "POST" and form.is_valid():
        try:
            consent_record(request=request, case=case, token=form.cleaned_data["token"], data=form.service_input())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Consent recorded."))
            return redirect("casework:consent", case.pk)
    return render_section(request, "casework/consent_add.html", case, "casework:consent", {"form": form})


@require_http_methods(["GET", "POST"])
def consent_withdraw_view(request: HttpRequest, pk: int, consent_pk: int) -> HttpResponse:
    case = case_for(request, pk)
    record = get_scoped_or_404(selectors.consents_of(case), pk=consent_pk)
    form = WithdrawForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            consent_withdraw(request=request, case=case, consent=record, withdrawn_on=form.cleaned_data["withdrawn_on"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Withdrawal of consent recorded."))
            return redirect("casework:consent", case.pk)
    context = {"form": form, "consent": record, "scope_labels": selectors.vocabulary_labels(SHARING_SCOPES)}
    return render_section(request, "casework/consent_withdraw.html", case, "casework:consent", context)


@require_http_methods(["GET", "POST"])
def sharing_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk)
    form = SharingForm(posted(request), provider_id=case.provider_id)
    if request.method == "POST" and form.is_valid():
        try:
            record = sharing_record(
                request=request, case=case, token=form.cleaned_data["token"], data=form.service_input()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            if record.status == SharingRecord.Status.PENDING:
                messages.success(
                    request,
                    _("Request sent to a team manager. Do not share the information until it is approved."),
                )
            else:
                messages.success(request, _("Sharing recorded."))
            return redirect("casework:consent", case.pk)
    return render_section(request, "casework/sharing_add.html", case, "casework:consent", {"form": form})


# --- team managers ---------------------------------------------------------------------------


@require_GET
def sharing_requests(request: HttpRequest) -> HttpResponse:
    require_perm(request, MANAGE_CASES)
    page = paginate(request, selectors.pending_sharing_requests(request.user))
    audit_many(
        action=Action.VIEW, request=request, objects=[r.case for r in page.object_list], reason="sharing requests"
    )
    context = {"page": page, "scope_labels": selectors.vocabulary_labels(SHARING_SCOPES)}
    return render(request, "casework/sharing_requests.html", context)


@require_http_methods(["GET", "POST"])
def sharing_approve(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, MANAGE_CASES)
    record = get_scoped_or_404(selectors.sharing_records_for(request.user), pk=pk)
    form = DecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            sharing_decide(
                request=request, record=record, approve=approve, refusal_reason=form.cleaned_data["refusal_reason"]
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Request approved.") if approve else _("Request refused."))
            return redirect("casework:sharing_requests")
    audit_event(action=Action.VIEW, request=request, obj=record.case, reason=f"sharing request {record.pk}")
    context = case_context(request, record.case, "casework:consent") | {
        "form": form,
        "record": record,
        "scope_labels": selectors.vocabulary_labels(SHARING_SCOPES),
        "is_own": record.requested_by_id == request.user.pk,
    }
    return render(request, "casework/sharing_approve.html", context)
