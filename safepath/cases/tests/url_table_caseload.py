"""URL × role rows for caseloads, waiting lists, the case overview, status changes, teams and
pathway settings.

World: a waiting case at the team manager's provider (`caseload_manager_case`), a case at the
caseworker's provider allocated to them (`caseload_worker_case`), a case at the volunteer's
provider assigned to them (`caseload_volunteer_case`) and a case at a provider nobody in the
world works for (`caseload_other_case`); a team at the manager's provider and one elsewhere.

| URL | allowed | 403 | 404 |
|---|---|---|---|
| caseload | caseworker, team manager | everyone else (volunteer, commissioner…) | — |
| team, waiting_lists, teams, team_add | team manager | everyone else | — |
| worker_caseload | team manager (a worker of theirs) | everyone else | a worker elsewhere |
| detail | caseworker / manager of the case's provider | everyone else (the volunteer too) | workers of another provider |
| allocate | team manager of the case's provider | caseworker, everyone else | another provider's manager |
| change_status | caseworker / manager of the case's provider | everyone else | workers of another provider |
| team_edit | team manager (own team) | everyone else | another provider's team |
| pathway_settings(_edit) | administrator | everyone else | unknown pathway |
"""

from __future__ import annotations

from datetime import date
from typing import Any

from safepath.cases.models import Team, VolunteerAssignment
from safepath.cases.services import case_allocate, case_open_from_work_item
from safepath.core.roles import OrganisationType, Role
from safepath.people.tests.url_table_people import refer, route
from safepath.referrals.models import Pathway
from safepath.testing import OrganisationFactory, Row, make_member

R = Role


def open_case(hub: Any, provider: Any, first: str, last: str, pathway: str = "idva") -> Any:
    """A waiting case for a new person referred to `hub` and routed to `provider`."""
    return case_open_from_work_item(request=None, item=route(refer(hub, first, last), provider, pathway))


def extend_world(world: dict[str, Any]) -> None:
    users, orgs = world["users"], world["orgs"]
    hub = orgs[R.TRIAGE_WORKER]
    world["caseload_manager_case"] = open_case(hub, orgs[R.TEAM_MANAGER], "Morwenna", "Tallack")
    worker_case = open_case(hub, orgs[R.CASEWORKER], "Eira", "Pascoe")
    case_allocate(request=None, case=worker_case, worker=users[R.CASEWORKER])
    world["caseload_worker_case"] = worker_case
    volunteer_case = open_case(hub, orgs[R.VOLUNTEER], "Tegen", "Rowe", "volunteer")
    VolunteerAssignment.objects.create(case=volunteer_case, volunteer=users[R.VOLUNTEER], started_on=date(2026, 1, 5))
    world["caseload_volunteer_case"] = volunteer_case
    elsewhere = OrganisationFactory(type=OrganisationType.PROVIDER)
    world["caseload_other_case"] = open_case(hub, elsewhere, "Lowena", "Jago")
    world["caseload_other_worker"] = make_member(R.CASEWORKER, organisation=elsewhere)
    world["caseload_team"] = Team.objects.create(organisation=orgs[R.TEAM_MANAGER], name="IDVA team")
    world["caseload_other_team"] = Team.objects.create(organisation=elsewhere, name="Outreach team")
    world["caseload_pathway"] = Pathway.objects.get(code="idva")


def _case(key: str) -> Any:
    return lambda w: [w[key].pk]


def _allocate_data(w: dict[str, Any]) -> dict[str, Any]:
    case = w["caseload_manager_case"]
    return {"worker": w["colleague"].pk, "team": "", "version": case.version}


def _close_data(w: dict[str, Any]) -> dict[str, Any]:
    return {"to_status": "closed", "reason_code": "declined", "note": "Declined on the phone.", "version": 1}


SETTINGS = {
    "support_months": 12,
    "step_down_prompt_days": 28,
    "rereferral_window_months": 12,
    "rereferral_priority": "top",
    "engagement_rule": "two_way_contact",
    "review_interval_days": 90,
    "caseload_low": 60,
    "caseload_high": 80,
}

WORKERS = {R.CASEWORKER: 200, R.TEAM_MANAGER: 200}
MANAGER = {R.TEAM_MANAGER: 200}
# Another provider's case: outside the scope of every worker in the world.
OUTSIDE = {R.CASEWORKER: 404, R.TEAM_MANAGER: 404}

ROWS: list[Row] = [
    Row("cases:caseload", WORKERS, default=403),
    Row("cases:team", MANAGER, default=403),
    Row("cases:worker_caseload", MANAGER, default=403, args=lambda w: [w["colleague"].pk]),
    Row("cases:worker_caseload", {R.TEAM_MANAGER: 404}, default=403, args=lambda w: [w["caseload_other_worker"].pk]),
    Row("cases:worker_caseload", {R.TEAM_MANAGER: 404}, default=403, args=lambda w: [999_999]),
    Row("cases:waiting_lists", MANAGER, default=403),
    Row("cases:detail", {R.CASEWORKER: 200, R.TEAM_MANAGER: 404}, default=403, args=_case("caseload_worker_case")),
    Row("cases:detail", {R.TEAM_MANAGER: 200, R.CASEWORKER: 404}, default=403, args=_case("caseload_manager_case")),
    Row("cases:detail", OUTSIDE, default=403, args=_case("caseload_other_case")),
    # The volunteer's own assigned case: volunteers have their own pages, not the case page.
    Row("cases:detail", {R.CASEWORKER: 404, R.TEAM_MANAGER: 404}, default=403, args=_case("caseload_volunteer_case")),
    Row("cases:allocate", {R.TEAM_MANAGER: 200}, default=403, args=_case("caseload_manager_case")),
    Row("cases:allocate", {R.TEAM_MANAGER: 404}, default=403, args=_case("caseload_worker_case")),
    Row("cases:allocate", {R.TEAM_MANAGER: 404}, default=403, args=_case("caseload_other_case")),
    Row(
        "cases:allocate",
        {R.TEAM_MANAGER: 302},
        default=403,
        args=_case("caseload_manager_case"),
        method="post",
        data=_allocate_data,
    ),
    Row(
        "cases:change_status", {R.CASEWORKER: 200, R.TEAM_MANAGER: 404}, default=403, args=_case("caseload_worker_case")
    ),
    Row(
        "cases:change_status",
        {R.TEAM_MANAGER: 200, R.CASEWORKER: 404},
        default=403,
        args=_case("caseload_manager_case"),
    ),
    Row("cases:change_status", OUTSIDE, default=403, args=_case("caseload_other_case")),
    Row(
        "cases:change_status",
        {R.TEAM_MANAGER: 302, R.CASEWORKER: 404},
        default=403,
        args=_case("caseload_manager_case"),
        method="post",
        data=_close_data,
    ),
    Row("cases:teams", MANAGER, default=403),
    Row("cases:team_add", MANAGER, default=403),
    Row("cases:team_add", {R.TEAM_MANAGER: 302}, default=403, method="post", data={"name": "Outreach", "once": "t1"}),
    Row("cases:team_edit", MANAGER, default=403, args=lambda w: [w["caseload_team"].pk]),
    Row("cases:team_edit", {R.TEAM_MANAGER: 404}, default=403, args=lambda w: [w["caseload_other_team"].pk]),
    Row("cases:pathway_settings", {R.ADMINISTRATOR: 200}, default=403),
    Row("cases:pathway_settings_edit", {R.ADMINISTRATOR: 200}, default=403, args=lambda w: [w["caseload_pathway"].pk]),
    Row("cases:pathway_settings_edit", {R.ADMINISTRATOR: 404}, default=403, args=lambda w: [999_999]),
    Row(
        "cases:pathway_settings_edit",
        {R.ADMINISTRATOR: 302},
        default=403,
        args=lambda w: [w["caseload_pathway"].pk],
        method="post",
        data=SETTINGS,
    ),
]


def held_case(hub: Any, provider: Any, worker: Any, first: str, last: str, pathway: str = "idva", **fields: Any) -> Any:
    """An allocated case held by `worker`, with `fields` set directly (dates, risk, status) for list tests."""
    from safepath.cases.models import Case

    case = open_case(hub, provider, first, last, pathway)
    case_allocate(request=None, case=case, worker=worker)
    if fields:
        Case.objects.filter(pk=case.pk).update(**fields)
        case.refresh_from_db()
    return case
