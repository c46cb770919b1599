"""What every case page shares: loading the case in scope (audited) and the case's header and
section navigation. Each app adds its own sections to SECTIONS; a section whose URL is not
installed, or that the user may not use, is left out."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from safepath.cases.models import Case
from safepath.cases.rules import VIEW_CASES
from safepath.cases.selectors import cases_for
from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event
from safepath.people.presenters import safe_contact_rules

# (url name taking the case id, link text, permission needed)
SECTIONS: list[tuple[str, Any, str]] = [
    ("cases:detail", _("Overview"), VIEW_CASES),
    ("casework:contacts", _("Contacts"), VIEW_CASES),
    ("casework:notes", _("Notes"), VIEW_CASES),
    ("casework:safety_plan", _("Safety plan"), VIEW_CASES),
    ("casework:tasks", _("Tasks"), VIEW_CASES),
    ("cases:reviews", _("Risk and reviews"), VIEW_CASES),
    ("outcomes:case", _("Outcomes"), VIEW_CASES),
    ("outcomes:health", _("Health"), VIEW_CASES),
    ("casework:consent", _("Consent and sharing"), VIEW_CASES),
    ("programmes:case_support", _("Groups and volunteers"), VIEW_CASES),
    ("accommodation:case_placements", _("Safe accommodation"), VIEW_CASES),
]


@dataclass(frozen=True)
class SectionLink:
    text: str
    href: str
    current: bool


def case_for_page(request: HttpRequest, pk: int, perm: str = VIEW_CASES, *, audit: bool = True) -> Case:
    """The case with what its header shows, or 404 outside the user's scope, 403 without `perm`.
    Opening a case page is audited as a view of the case."""
    require_perm(request, perm)  # roles that never see cases: 403 before anything is looked up
    case = get_scoped_or_404(
        cases_for(request.user).select_related(
            "person", "person__safe_contact", "pathway", "provider", "key_worker", "team"
        ),
        pk=pk,
    )
    require_perm(request, perm, case)
    if audit:
        audit_event(action=Action.VIEW, request=request, obj=case)
    return case


def case_context(request: HttpRequest, case: Case, current: str) -> dict[str, Any]:
    """Context for layouts/case.html: the case, its safe-contact rules and the section links.
    `current` is the url name of the section being shown."""
    links = []
    for name, text, perm in SECTIONS:
        if not request.user.has_perm(perm, case):
            continue
        try:
            href = reverse(name, args=[case.pk])
        except NoReverseMatch:  # a section not installed
            continue
        links.append(SectionLink(str(text), href, name == current))
    contact = getattr(case.person, "safe_contact", None)
    return {
        "case": case,
        "person": case.person,
        "section_links": links,
        "contact": contact,
        "contact_rules": safe_contact_rules(contact),
    }
