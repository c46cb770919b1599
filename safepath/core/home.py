"""What each role does next, shown on the home page.

Actions name URL patterns; one whose feature has not been installed is left out,
so the page never links to something that does not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from safepath.core.roles import Role


@dataclass(frozen=True)
class Action:
    text: str
    href: str
    perm: str | None = None


ROLE_SUMMARY = {
    Role.TRIAGE_WORKER: _(
        "Screen every referral, check whether the person is already known, complete or check the risk assessment and route it."
    ),
    Role.CASEWORKER: _("Hold your caseload: contacts, safety plans, risk reviews, outcomes and closure."),
    Role.TEAM_MANAGER: _("Allocate work, watch waiting lists, caseloads and deadlines, and approve closures."),
    Role.VOLUNTEER: _("Record befriending and face-to-face sessions for the clients assigned to you."),
    Role.MARAC_COORDINATOR: _("Run MARAC meetings: agendas, information sharing and actions."),
    Role.MARAC_REPRESENTATIVE: _(
        "See the cases on meetings you attend, record research and actions, for a limited time."
    ),
    Role.REFERRING_PROFESSIONAL: _("Refer a person to the service and follow the status of your own referrals."),
    Role.COMMISSIONER: _(
        "See performance, outcomes, demand, money and contracts, in figures only: never a person's record."
    ),
    Role.ADMINISTRATOR: _("Manage users, organisations, areas and settings, and search the audit log."),
}

# (url name, text, permission) per role; the first ones are the most urgent.
ROLE_ACTIONS: dict[str, list[tuple[str, str, str | None]]] = {
    Role.ADMINISTRATOR: [
        ("users:create", _("Add a user"), "accounts.manage_users"),
        ("users:list", _("Manage users"), "accounts.view_users"),
        ("organisations:list", _("Manage organisations"), "accounts.view_organisations"),
        ("areas:list", _("Configure areas"), "areas.view_areas"),
        ("people:thresholds", _("Risk thresholds for each area"), "risk.manage_thresholds"),
        (
            "cases:pathway_settings",
            _("Support periods, re-referral windows and caseload benchmarks"),
            "cases.configure_pathways",
        ),
        ("outcomes:frameworks", _("Outcome frameworks"), "cases.configure_pathways"),
        ("audit:list", _("Search the audit log"), "core.view_audit"),
    ],
    Role.TRIAGE_WORKER: [
        ("referrals:triage_queue", _("Triage new referrals"), "referrals.triage"),
        ("referrals:import", _("Import a file of referrals"), "referrals.import"),
    ],
    Role.TEAM_MANAGER: [
        ("referrals:triage_queue", _("Triage new referrals"), "referrals.triage"),
        ("referrals:work_items", _("Referrals routed to your service"), "referrals.view_work_items"),
        ("cases:waiting_lists", _("Allocate from the waiting lists"), "cases.manage_cases"),
        ("cases:team", _("Your team's caseloads"), "cases.manage_cases"),
        ("cases:handovers", _("Handovers to your service"), "cases.manage_cases"),
        ("casework:sharing_requests", _("Requests to share information without consent"), "cases.manage_cases"),
        ("accommodation:vacancies", _("Keep your vacancies up to date"), "accommodation.manage_vacancies"),
        ("accommodation:placements", _("Placement requests to your services"), "accommodation.manage_vacancies"),
        ("commissioning:contracts", _("Your contracts and targets"), "commissioning.view_contracts"),
        ("dropins:visits", _("Drop-in visits and venues"), "dropins.record_visits"),
        ("users:list", _("See your team"), "accounts.view_users"),
    ],
    Role.CASEWORKER: [
        ("cases:caseload", _("Your caseload"), "cases.view_cases"),
        ("referrals:work_items", _("Referrals routed to your service"), "referrals.view_work_items"),
        ("programmes:list", _("Group programmes"), "cases.work_cases"),
        ("accommodation:search", _("Find safe accommodation"), "accommodation.search"),
        ("marac:refer", _("Refer a case to MARAC"), "marac.refer"),
        ("dropins:visit_add", _("Record a drop-in visit"), "dropins.record_visits"),
    ],
    Role.VOLUNTEER: [("programmes:volunteer_home", _("The people you support"), "cases.volunteer_sessions")],
    Role.REFERRING_PROFESSIONAL: [
        ("referrals:new", _("Make a referral"), "referrals.make_referral"),
        ("referrals:mine", _("Follow your referrals"), "referrals.view_own_referrals"),
    ],
    Role.MARAC_COORDINATOR: [
        ("marac:referrals", _("MARAC referrals waiting for a meeting"), "marac.coordinate"),
        ("marac:meetings", _("Meetings and agendas"), "marac.view_meetings"),
        ("marac:actions", _("Overdue actions"), "marac.view_actions"),
        ("marac:dataset", _("The quarterly MARAC dataset"), "marac.view_dataset"),
    ],
    Role.MARAC_REPRESENTATIVE: [
        ("marac:meetings", _("Meetings you attend"), "marac.view_meetings"),
        ("marac:actions", _("Your agency's actions"), "marac.view_actions"),
        ("marac:refer", _("Refer a case to MARAC"), "marac.refer"),
    ],
    Role.COMMISSIONER: [
        ("reporting:dashboard", _("Performance, outcomes, demand and reach"), "reporting.view_dashboard"),
        ("commissioning:contracts", _("Contracts register"), "commissioning.view_contracts"),
        ("commissioning:funding_flow", _("How the money flows"), "commissioning.view_funding"),
        ("commissioning:budgets", _("Budgets and savings"), "commissioning.view_funding"),
        ("accommodation:part4_return", _("Safe accommodation return (Part 4)"), "accommodation.view_return"),
        ("marac:dataset", _("MARAC dataset"), "marac.view_dataset"),
        ("areas:list", _("Areas and populations"), "areas.view_areas"),
        ("people:thresholds", _("Risk thresholds in force"), "risk.view_thresholds"),
        ("organisations:list", _("Organisations"), "accounts.view_organisations"),
    ],
}


def actions_for(user: object, role: str | None) -> list[Action]:
    actions = []
    for name, text, perm in ROLE_ACTIONS.get(role or "", []):
        if perm and not user.has_perm(perm):  # type: ignore[attr-defined]
            continue
        try:
            actions.append(Action(text=str(text), href=reverse(name), perm=perm))
        except NoReverseMatch:
            continue
    return actions
