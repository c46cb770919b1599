"""Helpers shared by the person views: reach the person through the user's scope, then check the action."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event
from safepath.people import rules as perms
from safepath.people.models import Person
from safepath.people.selectors_records import person_records_for


def person_for(request: HttpRequest, pk: int, perm: str | None = None) -> Person:
    """The person if the user may see them (403 without the view permission, 404 outside their scope),
    then 403 unless they also hold `perm` (read-only roles on write pages)."""
    require_perm(request, perms.VIEW_PERSON)
    person = get_scoped_or_404(person_records_for(request.user), pk=pk)
    if perm:
        require_perm(request, perm)
    return person


def merged_elsewhere(request: HttpRequest, person: Person) -> HttpResponse | None:
    """A merged record is not changed: send the user to it, where it says where it went."""
    if person.merged_into_id is None:
        return None
    messages.error(request, _("This record was merged into record %(pk)s. Make changes there.") % {"pk": person.merged_into_id})
    return redirect("people:detail", person.pk)


def audit_view(request: HttpRequest, person: Person, reason: str = "") -> None:
    audit_event(action=Action.VIEW, request=request, obj=person, reason=reason)
