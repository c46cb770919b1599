"""URL × role rows for outcomes, health advocacy and outcome frameworks, and the helpers the
outcomes tests share (`make_case`, `record_post`).

World: an IDVA case at the caseworker's provider (`outcomes_cw_case`) and one at the team
manager's provider (`outcomes_tm_case`) — each is the other's "another organisation" (404);
a case at the volunteer's provider with the volunteer assigned (volunteers still get 403:
outcomes are not what a volunteer needs); a health action on each worker's case.

| URL | allowed | 403 | 404 |
|---|---|---|---|
| outcomes:case, record, health, health_add, health_update | caseworker, team manager (own provider's case) | volunteer, commissioner, hub and every other role | a worker at another provider |
| outcomes:frameworks, framework_add, framework_edit, measure_add | administrator | everyone else | administrator: a framework that does not exist |
"""

from __future__ import annotations

import importlib
import uuid
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps

from safepath.cases.models import Case, VolunteerAssignment
from safepath.cases.services import case_open_from_work_item
from safepath.core.roles import Role
from safepath.outcomes.models import HealthAction, HealthStatusChange, Measure, OutcomeFramework
from safepath.people.tests.url_table_people import refer, route
from safepath.testing import Row

R = Role
LONDON = ZoneInfo("Europe/London")
OPENED = datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)


def reference_data() -> None:
    """The default frameworks and vocabularies, as the migration loads them (idempotent), for
    transactional tests that flush the migrations' data."""
    importlib.import_module("safepath.outcomes.migrations.0002_reference_data").load(apps, None)


def make_case(
    hub: Any,
    provider: Any,
    pathway: str = "idva",
    *,
    first: str = "Ffion",
    last: str = "Carrow",
    abuse_types: tuple[str, ...] = (),
    at: datetime = OPENED,
) -> Case:
    referral = refer(hub, first, last, abuse_types=list(abuse_types), received_at=at)
    return case_open_from_work_item(request=None, item=route(referral, provider, pathway), at=at)


def token() -> str:
    return uuid.uuid4().hex


def intake_measures(case: Case) -> list[Measure]:
    return list(
        Measure.objects.filter(
            framework__pathways=case.pathway_id,
            framework__is_active=True,
            is_active=True,
            at_intake=True,
            abuse_type="",
        ).order_by("framework__order", "order")
    )


def record_post(case: Case, moment: str = "intake", **answers: Any) -> dict[str, Any]:
    """A recording form: every intake question skipped as "chose not to answer" unless `answers`
    (field name: value) says otherwise."""
    data: dict[str, Any] = {"token": token(), "moment": moment, "again": "False"}
    for measure in intake_measures(case):
        data[f"m{measure.pk}"] = ""
        data[f"m{measure.pk}_skip"] = "chose_not_to_answer"
    return data | answers


def add_health_action(case: Case, action: str = "gp_registration", status: str = "planned") -> HealthAction:
    record = HealthAction.objects.create(
        case=case, action=action, status=status, status_on=date(2026, 3, 11), created_at=OPENED, token=token()
    )
    HealthStatusChange.objects.create(
        action=record, to_status=status, on=date(2026, 3, 11), recorded_at=OPENED, token=record.token
    )
    return record


def extend_world(world: dict[str, Any]) -> None:
    reference_data()
    orgs = world["orgs"]
    hub = orgs[R.TRIAGE_WORKER]
    world["outcomes_cw_case"] = make_case(hub, orgs[R.CASEWORKER], first="Olwen", last="Treharne")
    world["outcomes_tm_case"] = make_case(hub, orgs[R.TEAM_MANAGER], first="Morwenna", last="Kessell")
    volunteer_case = make_case(hub, orgs[R.VOLUNTEER], "volunteer", first="Tamsin", last="Polglase")
    VolunteerAssignment.objects.create(
        case=volunteer_case, volunteer=world["users"][R.VOLUNTEER], started_on=date(2026, 3, 11)
    )
    world["outcomes_vol_case"] = volunteer_case
    world["outcomes_cw_action"] = add_health_action(world["outcomes_cw_case"])
    world["outcomes_tm_action"] = add_health_action(world["outcomes_tm_case"])
    world["outcomes_framework"] = OutcomeFramework.objects.get(code="medway")


def _cw(w: dict[str, Any]) -> list[int]:
    return [w["outcomes_cw_case"].pk]


def _tm(w: dict[str, Any]) -> list[int]:
    return [w["outcomes_tm_case"].pk]


def _vol(w: dict[str, Any]) -> list[int]:
    return [w["outcomes_vol_case"].pk]


def _framework(w: dict[str, Any]) -> list[int]:
    return [w["outcomes_framework"].pk]


def _missing(w: dict[str, Any]) -> list[int]:
    return [999_999]


def _health_post(w: dict[str, Any]) -> dict[str, Any]:
    return {
        "token": token(),
        "action": "dental_registration",
        "status": "planned",
        "on_day": "20",
        "on_month": "3",
        "on_year": "2026",
    }


def _status_post(w: dict[str, Any]) -> dict[str, Any]:
    return {
        "token": token(),
        "seen_status": "planned",
        "status": "achieved",
        "on_day": "12",
        "on_month": "3",
        "on_year": "2026",
    }


def _framework_post(w: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {"name": "Medway outcomes", "description": "", "is_active": "on"}
    for measure in w["outcomes_framework"].measures.all():
        data[f"order_{measure.pk}"] = str(measure.order)
        data[f"active_{measure.pk}"] = "on"
    return data


def _measure_post(w: dict[str, Any]) -> dict[str, Any]:
    scale = w["outcomes_framework"].measures.first().scale_id
    return {
        "code": "sleep",
        "question": "How well are you sleeping?",
        "scale": str(scale),
        "moments": ["intake", "exit"],
        "higher_is_better": "on",
    }


CW_OK = {R.CASEWORKER: 200, R.TEAM_MANAGER: 404}
TM_OK = {R.TEAM_MANAGER: 200, R.CASEWORKER: 404}
CW_POSTED = {R.CASEWORKER: 302, R.TEAM_MANAGER: 404}
NOBODY = {R.CASEWORKER: 404, R.TEAM_MANAGER: 404}  # volunteers and everyone else: 403 (default)
ADMIN = {R.ADMINISTRATOR: 200}

ROWS: list[Row] = [
    Row("outcomes:case", CW_OK, default=403, args=_cw),
    Row("outcomes:case", TM_OK, default=403, args=_tm),
    Row("outcomes:case", NOBODY, default=403, args=_vol),
    Row("outcomes:record", CW_OK, default=403, args=_cw),
    Row("outcomes:record", TM_OK, default=403, args=_tm),
    Row("outcomes:record", NOBODY, default=403, args=_vol),
    Row(
        "outcomes:record",
        CW_POSTED,
        default=403,
        args=_cw,
        method="post",
        data=lambda w: record_post(w["outcomes_cw_case"]),
    ),
    Row("outcomes:health", CW_OK, default=403, args=_cw),
    Row("outcomes:health", TM_OK, default=403, args=_tm),
    Row("outcomes:health", NOBODY, default=403, args=_vol),
    Row("outcomes:health_add", CW_OK, default=403, args=_cw),
    Row("outcomes:health_add", TM_OK, default=403, args=_tm),
    Row("outcomes:health_add", CW_POSTED, default=403, args=_cw, method="post", data=_health_post),
    Row(
        "outcomes:health_update",
        CW_OK,
        default=403,
        args=lambda w: [w["outcomes_cw_case"].pk, w["outcomes_cw_action"].pk],
    ),
    Row(
        "outcomes:health_update",
        TM_OK,
        default=403,
        args=lambda w: [w["outcomes_tm_case"].pk, w["outcomes_tm_action"].pk],
    ),
    # Another case's action under one's own case: not found.
    Row(
        "outcomes:health_update",
        NOBODY,
        default=403,
        args=lambda w: [w["outcomes_tm_case"].pk, w["outcomes_cw_action"].pk],
    ),
    Row(
        "outcomes:health_update",
        CW_POSTED,
        default=403,
        args=lambda w: [w["outcomes_cw_case"].pk, w["outcomes_cw_action"].pk],
        method="post",
        data=_status_post,
    ),
    Row("outcomes:frameworks", ADMIN, default=403),
    Row("outcomes:framework_add", ADMIN, default=403),
    Row(
        "outcomes:framework_add",
        {R.ADMINISTRATOR: 302},
        default=403,
        method="post",
        data={"code": "wellbeing", "name": "Wellbeing", "description": ""},
    ),
    Row("outcomes:framework_edit", ADMIN, default=403, args=_framework),
    Row("outcomes:framework_edit", {R.ADMINISTRATOR: 404}, default=403, args=_missing),
    Row(
        "outcomes:framework_edit",
        {R.ADMINISTRATOR: 302},
        default=403,
        args=_framework,
        method="post",
        data=_framework_post,
    ),
    Row("outcomes:measure_add", ADMIN, default=403, args=_framework),
    Row("outcomes:measure_add", {R.ADMINISTRATOR: 404}, default=403, args=_missing),
    Row(
        "outcomes:measure_add", {R.ADMINISTRATOR: 302}, default=403, args=_framework, method="post", data=_measure_post
    ),
]
