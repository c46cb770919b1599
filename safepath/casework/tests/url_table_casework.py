"""URL × role rows for casework: contacts, notes, safety plans, tasks, consent and sharing.

World: a case at the caseworker's provider (`cw_case`) and one at the team manager's
(`tm_case`), each with a task, a consent and a request to share without consent outside the
consortium (the manager's made by a caseworker colleague, so the manager may decide it); a
case at the volunteer's provider with the volunteer assigned (`vol_case`).

| URL | allowed | 403 | 404 |
|---|---|---|---|
| case sections and their forms | caseworker, team manager (own provider's case) | volunteer (even when assigned), commissioner, everyone else | caseworker / manager on another provider's case |
| sharing_requests | team manager | everyone else | — |
| sharing_approve | team manager (own provider's request) | everyone else | team manager on another provider's request |

The helpers here (`open_case`, `token`) are shared by this app's tests.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from safepath.cases.models import Case, VolunteerAssignment
from safepath.cases.services import case_open_from_work_item
from safepath.casework.models import Consent, SharingRecord, Task
from safepath.casework.services import ConsentInput, SharingInput, consent_record, sharing_record, task_add
from safepath.core.roles import OrganisationType, Role
from safepath.people.tests.url_table_people import refer, route
from safepath.testing import OrganisationFactory, Row, make_member

R = Role


def token() -> str:
    return uuid.uuid4().hex


def open_case(hub: Any, provider: Any, first: str = "Nia", last: str = "Castell", pathway: str = "idva") -> Case:
    """A waiting case at `provider` for a new person referred to `hub`."""
    return case_open_from_work_item(request=None, item=route(refer(hub, first, last), provider, pathway))


def _records(case: Case, worker: Any) -> tuple[Task, Consent, SharingRecord]:
    task = task_add(
        request=None,
        case=case,
        token=token(),
        title="Call the school",
        due_on=date(2030, 1, 1),
        assigned_to=worker,
        by=worker,
    )
    consent = consent_record(
        request=None,
        case=case,
        token=token(),
        data=ConsentInput(
            recipient="agency", scopes=["risk_information"], given_on=date(2025, 1, 1), agency_name="Victim Support"
        ),
        by=worker,
    )
    pending = sharing_record(
        request=None,
        case=case,
        token=token(),
        data=SharingInput(
            scope="risk_information",
            what="The latest risk assessment",
            basis="safeguarding",
            agency_name="Housing options",
            safeguarding_reason="Children at risk tonight",
        ),
        by=worker,
    )
    return task, consent, pending


def extend_world(world: dict[str, Any]) -> None:
    orgs, users = world["orgs"], world["users"]
    hub = orgs[R.TRIAGE_WORKER]
    world["cw_case"] = open_case(hub, orgs[R.CASEWORKER], "Nia", "Castell")
    world["tm_case"] = open_case(hub, orgs[R.TEAM_MANAGER], "Efa", "Morgan")
    vol_case = open_case(hub, orgs[R.VOLUNTEER], "Lowri", "Penn", "volunteer")
    VolunteerAssignment.objects.create(case=vol_case, volunteer=users[R.VOLUNTEER], started_on=date(2026, 1, 1))
    world["vol_case"] = vol_case
    world["cw_task"], world["cw_consent"], world["cw_pending"] = _records(world["cw_case"], users[R.CASEWORKER])
    colleague = make_member(R.CASEWORKER, organisation=orgs[R.TEAM_MANAGER])
    world["tm_task"], world["tm_consent"], world["tm_pending"] = _records(world["tm_case"], colleague)
    world["not_a_provider"] = OrganisationFactory(type=OrganisationType.HUB)


def _cw(w: dict[str, Any]) -> list[int]:
    return [w["cw_case"].pk]


def _tm(w: dict[str, Any]) -> list[int]:
    return [w["tm_case"].pk]


def _vol(w: dict[str, Any]) -> list[int]:
    return [w["vol_case"].pk]


CW_OK = {R.CASEWORKER: 200, R.TEAM_MANAGER: 404}
TM_OK = {R.TEAM_MANAGER: 200, R.CASEWORKER: 404}
VOL_CASE = {R.CASEWORKER: 404, R.TEAM_MANAGER: 404}  # the volunteer (assigned) gets 403 by default
SECTIONS = ["contacts", "notes", "safety_plan", "tasks", "consent"]
CASE_FORMS = ["contacts", "notes", "tasks", "safety_plan_revise", "consent_add", "sharing_add"]

ROWS: list[Row] = [
    *(
        Row(f"casework:{name}", CW_OK, default=403, args=_cw)
        for name in [*SECTIONS, "safety_plan_revise", "consent_add", "sharing_add"]
    ),
    *(
        Row(f"casework:{name}", TM_OK, default=403, args=_tm)
        for name in [*SECTIONS, "safety_plan_revise", "consent_add", "sharing_add"]
    ),
    *(Row(f"casework:{name}", VOL_CASE, default=403, args=_vol) for name in SECTIONS),
    # An empty form is re-shown with its errors (200), nothing saved.
    *(Row(f"casework:{name}", CW_OK, default=403, args=_cw, method="post") for name in CASE_FORMS),
    *(Row(f"casework:{name}", TM_OK, default=403, args=_tm, method="post") for name in CASE_FORMS),
    Row(
        "casework:task_done",
        {R.CASEWORKER: 302, R.TEAM_MANAGER: 404},
        default=403,
        method="post",
        args=lambda w: [w["cw_case"].pk, w["cw_task"].pk],
    ),
    Row(
        "casework:task_done",
        {R.TEAM_MANAGER: 302, R.CASEWORKER: 404},
        default=403,
        method="post",
        args=lambda w: [w["tm_case"].pk, w["tm_task"].pk],
    ),
    # A task of another case, through this case's URL: 404.
    Row(
        "casework:task_done",
        {R.CASEWORKER: 404, R.TEAM_MANAGER: 404},
        default=403,
        method="post",
        args=lambda w: [w["cw_case"].pk, w["tm_task"].pk],
    ),
    Row("casework:consent_withdraw", CW_OK, default=403, args=lambda w: [w["cw_case"].pk, w["cw_consent"].pk]),
    Row("casework:consent_withdraw", TM_OK, default=403, args=lambda w: [w["tm_case"].pk, w["tm_consent"].pk]),
    Row(
        "casework:consent_withdraw",
        {R.CASEWORKER: 404, R.TEAM_MANAGER: 404},
        default=403,
        args=lambda w: [w["cw_case"].pk, w["tm_consent"].pk],
    ),
    Row(
        "casework:consent_withdraw",
        {R.CASEWORKER: 302, R.TEAM_MANAGER: 404},
        default=403,
        method="post",
        args=lambda w: [w["cw_case"].pk, w["cw_consent"].pk],
        data={"withdrawn_day": "2", "withdrawn_month": "1", "withdrawn_year": "2025"},
    ),
    Row("casework:sharing_requests", {R.TEAM_MANAGER: 200}, default=403),
    Row("casework:sharing_approve", {R.TEAM_MANAGER: 200}, default=403, args=lambda w: [w["tm_pending"].pk]),
    Row("casework:sharing_approve", {R.TEAM_MANAGER: 404}, default=403, args=lambda w: [w["cw_pending"].pk]),
    Row(
        "casework:sharing_approve",
        {R.TEAM_MANAGER: 302},
        default=403,
        method="post",
        args=lambda w: [w["tm_pending"].pk],
        data={"decision": "approve"},
    ),
    Row(
        "casework:sharing_approve",
        {R.TEAM_MANAGER: 404},
        default=403,
        method="post",
        args=lambda w: [w["cw_pending"].pk],
        data={"decision": "approve"},
    ),
]
