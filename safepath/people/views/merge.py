"""Merging two records that turn out to be one person, and undoing a merge (hub staff only)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepath.core.access import get_scoped_or_404
from safepath.core.audit import Action, audit_many
from safepath.core.forms import add_errors, posted
from safepath.people import rules as perms
from safepath.people.forms import MergeConfirmForm, MergeSearchForm
from safepath.people.models import Person
from safepath.people.selectors_records import (
    merge_candidates_for,
    merges_for,
    person_records_for,
    undone_merge_partners,
)
from safepath.people.services_records import person_merge_checked, person_merge_undo
from safepath.people.views.common import audit_view, merged_elsewhere, person_for


def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose the record to merge into this one: a ranked candidate, or a record number."""
    person = person_for(request, pk, perms.MERGE_PEOPLE)
    if refused := merged_elsewhere(request, person):
        return refused
    search = MergeSearchForm(request.GET if "record" in request.GET else None)
    if search.is_bound and search.is_valid():
        other = search.cleaned_data["record"]
        if other == person.pk:
            search.add_error("record", _("That is this record. Enter the number of the other record."))
        elif not person_records_for(request.user).filter(pk=other).exists():
            search.add_error("record", _("There is no record with that number that you can see."))
        else:
            return redirect("people:merge_confirm", person.pk, other)
    candidates = merge_candidates_for(request.user, person)
    audit_view(request, person, "merge")
    audit_many(action=Action.VIEW, request=request, objects=[p for p, _m in candidates], reason="merge candidate")
    context = {"person": person, "candidates": candidates, "form": search, "undone": undone_merge_partners(person)}
    return render(request, "people/merge.html", context)


def _problem(person: Person, other: Person) -> str | None:
    if other.merged_into_id == person.pk:
        return _("That record has already been merged into this one.")
    if other.merged_into_id:
        return _("That record has already been merged into another record.")
    if other.kind != person.kind:
        return _("Only records of the same kind can be merged.")
    return None


@require_http_methods(["GET", "POST"])
def merge_confirm(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    person = person_for(request, pk, perms.MERGE_PEOPLE)
    if refused := merged_elsewhere(request, person):
        return refused
    other = get_scoped_or_404(person_records_for(request.user), pk=other_pk)
    if other.pk == person.pk:
        raise Http404
    if problem := _problem(person, other):
        messages.error(request, problem)
        return redirect("people:detail", person.pk)
    form = MergeConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            person_merge_checked(request=request, kept=person, merged=other, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Record %(other)s merged into this record. You can undo this below.") % {"other": other.pk})
            return redirect("people:detail", person.pk)
    audit_view(request, person, "merge")
    audit_view(request, other, "merge")
    return render(request, "people/merge_confirm.html", {"person": person, "other": other, "form": form})


@require_http_methods(["GET", "POST"])
def unmerge(request: HttpRequest, pk: int, merge_pk: int) -> HttpResponse:
    person = person_for(request, pk, perms.MERGE_PEOPLE)
    record = get_scoped_or_404(merges_for(request.user).filter(kept=person), pk=merge_pk)
    if request.method == "POST":
        try:
            person_merge_undo(request=request, merge=record)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Merge undone: record %(other)s is separate again.") % {"other": record.merged_id})
        return redirect("people:detail", person.pk)
    if record.undone_at:
        messages.error(request, _("This merge has already been undone."))
        return redirect("people:detail", person.pk)
    audit_view(request, person, "undo merge")
    return render(request, "people/unmerge.html", {"person": person, "merge": record})
