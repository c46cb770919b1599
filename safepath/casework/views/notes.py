"""Case notes: the provider's own, newest first, and the notes partner services shared with consent."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepath.casework import selectors
from safepath.casework.forms import NoteForm
from safepath.casework.services import note_add
from safepath.casework.views.common import case_for, paginate, render_section
from safepath.core.audit import Action, audit_many
from safepath.core.forms import add_errors, posted

PARTNER_NOTES = 20


@require_http_methods(["GET", "POST"])
def notes(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk)
    form = NoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            note_add(request=request, case=case, token=data["token"], text=data["text"], shared=data["shared"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Note added."))
            return redirect("casework:notes", case.pk)
    partner_notes = list(selectors.partner_shared_notes(case)[:PARTNER_NOTES])
    if partner_notes:
        audit_many(action=Action.VIEW, request=request, objects=partner_notes, reason=f"shared with case {case.pk}")
    context = {
        "form": form,
        "page": paginate(request, selectors.notes_of(case)),
        "partner_notes": partner_notes,
        "may_share": selectors.consortium_consent_in_force(case, timezone.localdate()),
    }
    return render_section(request, "casework/notes.html", case, "casework:notes", context)
