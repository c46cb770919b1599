"""Contacts on a case: the list, newest first, and the form to record one (safe-contact rules shown)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepath.casework import selectors
from safepath.casework.forms import ContactForm
from safepath.casework.models import CONTACT_TYPES
from safepath.casework.services import contact_record
from safepath.casework.views.common import case_for, paginate, render_section
from safepath.core.forms import posted


@require_http_methods(["GET", "POST"])
def contacts(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk)
    form = ContactForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            contact_record(request=request, case=case, token=form.cleaned_data["token"], data=form.service_input())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Contact recorded."))
            return redirect("casework:contacts", case.pk)
    context = {
        "form": form,
        "page": paginate(request, selectors.contacts_of(case)),
        "type_labels": selectors.vocabulary_labels(CONTACT_TYPES),
        "show_contact_rules": True,
    }
    return render_section(request, "casework/contacts.html", case, "casework:contacts", context)
