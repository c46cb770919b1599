"""The service navigation: links a role can use, shown in the header."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    text: str
    href: str
    active: bool


# (url name, text, permission needed or None for every signed-in user)
NAVIGATION = [
    ("home", _("Home"), None),
    ("referrals:triage_queue", _("Triage"), "referrals.triage"),
    ("referrals:work_items", _("Routed to us"), "referrals.view_work_items"),
    ("referrals:new", _("Make a referral"), "referrals.make_referral"),
    ("referrals:mine", _("Your referrals"), "referrals.view_own_referrals"),
    ("referrals:import", _("Import"), "referrals.import"),
    ("cases:caseload", _("Your caseload"), "cases.view_cases"),
    ("cases:team", _("Team"), "cases.manage_cases"),
    ("cases:waiting_lists", _("Waiting lists"), "cases.manage_cases"),
    ("cases:handovers", _("Handovers"), "cases.manage_cases"),
    ("casework:sharing_requests", _("Sharing requests"), "cases.manage_cases"),
    ("programmes:list", _("Group programmes"), "cases.work_cases"),
    ("programmes:perpetrator_orders", _("Perpetrator interventions"), "programmes.view_orders"),
    ("programmes:volunteer_home", _("Your people"), "cases.volunteer_sessions"),
    ("marac:meetings", _("MARAC meetings"), "marac.view_meetings"),
    ("marac:referrals", _("MARAC referrals"), "marac.coordinate"),
    ("marac:actions", _("MARAC actions"), "marac.view_actions"),
    ("accommodation:search", _("Find safe accommodation"), "accommodation.search"),
    ("accommodation:services", _("Safe accommodation"), "accommodation.view_services"),
    ("reporting:dashboard", _("Performance"), "reporting.view_dashboard"),
    ("commissioning:contracts", _("Contracts"), "commissioning.view_contracts"),
    ("commissioning:funding", _("Funding"), "commissioning.view_funding"),
    ("cases:pathway_settings", _("Pathways"), "cases.configure_pathways"),
    ("outcomes:frameworks", _("Outcome frameworks"), "cases.configure_pathways"),
    ("users:list", _("Users"), "accounts.view_users"),
    ("organisations:list", _("Organisations"), "accounts.view_organisations"),
    ("areas:list", _("Areas"), "areas.view_areas"),
    ("people:thresholds", _("Risk thresholds"), "risk.view_thresholds"),
    ("audit:list", _("Audit log"), "core.view_audit"),
    ("glossary", _("Glossary"), None),
]


def navigation_for(request: HttpRequest) -> list[NavItem]:
    if not request.user.is_authenticated:
        return []
    items = []
    for name, text, perm in NAVIGATION:
        if perm and not request.user.has_perm(perm):
            continue
        try:
            href = reverse(name)
        except NoReverseMatch:  # a feature not installed yet
            continue
        active = request.path == href if name == "home" else request.path.startswith(href)
        items.append(NavItem(text=str(text), href=href, active=active))
    return items
