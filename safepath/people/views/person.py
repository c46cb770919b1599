"""The person page: who they are, how to contact them safely, relationships, referrals, risk history, merges."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safepath.core.access import get_scoped_or_404, require_perm
from safepath.people import presenters
from safepath.people import rules as perms
from safepath.people.models import Relationship
from safepath.people.selectors_records import merges_of, person_pages_for, person_referrals_for, risk_history
from safepath.people.views.common import audit_view


def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, perms.VIEW_PERSON)
    person = get_scoped_or_404(person_pages_for(request.user), pk=pk)
    audit_view(request, person)
    today = timezone.localdate()
    relationships = list(person.relationships.all())
    assessments = list(risk_history(person))
    contact = getattr(person, "safe_contact", None)
    context = {
        "person": person,
        "age": presenters.age_text(person, today),
        "contact": contact,
        "contact_rules": presenters.safe_contact_rules(contact),
        "children": [_child_row(r, today) for r in relationships if r.kind == Relationship.Kind.CHILD],
        "people_causing_harm": [_harm_row(r, today) for r in relationships if r.kind == Relationship.Kind.PERSON_CAUSING_HARM],
        "referrals": list(person_referrals_for(request.user, person)),
        "assessments": assessments,
        "latest": assessments[0] if assessments else None,
        "merges": list(merges_of(person)),
        "can_edit": request.user.has_perm(perms.EDIT_PERSON) and not person.merged_into_id,
        "can_assess": request.user.has_perm(perms.ASSESS_RISK) and not person.merged_into_id,
        "can_merge": request.user.has_perm(perms.MERGE_PEOPLE),
        "p": presenters,
    }
    return render(request, "people/person_detail.html", context)


def _child_row(relationship: Relationship, today: object) -> dict[str, object]:
    child = relationship.other
    details = getattr(child, "child_details", None)
    return {
        "name": child.display_name,
        "age": presenters.age_text(child, today),  # type: ignore[arg-type]
        "school": details.school if details else "",
        "social_care": details.get_social_care_display() if details else "",
        "household": presenters.yes_no_unknown(relationship.lives_in_household),
    }


def _harm_row(relationship: Relationship, today: object) -> dict[str, object]:
    other = relationship.other
    return {
        "name": other.display_name,
        "age": presenters.age_text(other, today),  # type: ignore[arg-type]
        "relationship": relationship.get_relationship_display() or presenters.yes_no_unknown(None),
        "household": presenters.yes_no_unknown(relationship.lives_in_household),
    }
