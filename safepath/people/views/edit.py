"""Changing a person's record: details, safe contact, other names, children and people causing harm."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepath.core.forms import add_errors, posted
from safepath.people import presenters
from safepath.people import rules as perms
from safepath.people.forms import ChildForm, OtherNameForm, PersonCausingHarmForm, PersonForm, SafeContactForm
from safepath.people.services_records import (
    child_add,
    other_name_add,
    other_name_remove,
    person_causing_harm_add,
    person_update,
    safe_contact_update,
)
from safepath.people.views.common import audit_view, merged_elsewhere, person_for


@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request, pk, perms.EDIT_PERSON)
    if refused := merged_elsewhere(request, person):
        return refused
    form = PersonForm(posted(request), initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            person_update(request=request, person=person, **form.service_values())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("Details saved."))
            return redirect("people:detail", person.pk)
    audit_view(request, person, "edit details")
    return render(request, "people/person_edit.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def safe_contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request, pk, perms.EDIT_PERSON)
    if refused := merged_elsewhere(request, person):
        return refused
    contact = getattr(person, "safe_contact", None)
    form = SafeContactForm(posted(request), initial=SafeContactForm.initial_for(contact))
    if request.method == "POST" and form.is_valid():
        try:
            safe_contact_update(request=request, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Safe contact rules saved."))
            return redirect("people:detail", person.pk)
    audit_view(request, person, "edit safe contact")
    context = {"form": form, "person": person, "contact": contact, "contact_rules": presenters.safe_contact_rules(contact)}
    return render(request, "people/safe_contact_edit.html", context)


@require_http_methods(["GET", "POST"])
def other_name_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    person = person_for(request, pk, perms.EDIT_PERSON)
    if refused := merged_elsewhere(request, person):
        return refused
    form = OtherNameForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            other_name_add(request=request, person=person, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Other name saved."))
            return redirect("people:detail", person.pk)
    audit_view(request, person, "add other name")
    return render(request, "people/other_name_add.html", {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def other_name_remove_view(request: HttpRequest, pk: int, name_pk: int) -> HttpResponse:
    person = person_for(request, pk, perms.EDIT_PERSON)
    if refused := merged_elsewhere(request, person):
        return refused
    if request.method == "POST":
        removed = other_name_remove(request=request, person=person, name_id=name_pk)
        messages.success(request, _("Other name removed.") if removed else _("That name had already been removed."))
        return redirect("people:detail", person.pk)
    name = person.other_names.filter(pk=name_pk).first()
    if name is None:
        raise Http404
    audit_view(request, person, "remove other name")
    return render(request, "people/other_name_remove.html", {"person": person, "name": name})


def _related_add(request: HttpRequest, pk: int, form_class: type, service: Callable[..., Any], template: str, done: str) -> HttpResponse:
    person = person_for(request, pk, perms.EDIT_PERSON)
    if refused := merged_elsewhere(request, person):
        return refused
    form = form_class(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            service(request=request, victim=person, **form.service_values())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, done)
            return redirect("people:detail", person.pk)
    audit_view(request, person, template.rsplit("/", 1)[-1].removesuffix(".html").replace("_", " "))
    return render(request, template, {"form": form, "person": person})


@require_http_methods(["GET", "POST"])
def child_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _related_add(request, pk, ChildForm, child_add, "people/child_add.html", _("Child added."))


@require_http_methods(["GET", "POST"])
def harm_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _related_add(request, pk, PersonCausingHarmForm, person_causing_harm_add, "people/harm_add.html", _("Person causing harm added."))
