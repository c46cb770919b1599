"""URL × role rows for safe accommodation.

World: the caseworker's provider runs a refuge (with a secret address and a bedspace); the team
manager's provider holds a case and has referred it there (so the caseworker is the receiving
side and the team manager the referring side of that placement). Another placement lies
between two other providers.

Permissions are checked before scope: a role without the permission gets 403 whatever the
record; a role with it gets 404 for a record outside its scope.

| URL | allowed | 403 | 404 |
|---|---|---|---|
| search | caseworker, team manager, triage worker | others | — |
| services | caseworker, team manager, commissioner, administrator | others | — |
| service | own staff (caseworker), commissioner, administrator | others | team manager (another provider's) |
| service_address, bedspace_state | own staff (caseworker) | others | team manager |
| service_add | provider team managers | caseworkers, others | — |
| bedspace_add | own team managers | caseworkers, others | team manager (another provider's) |
| vacancies, placements | caseworker, team manager | others | — |
| placement | receiving caseworker, referring team manager | others | a placement between other providers |
| placement_decide, _move_in, _end | receiving caseworker | referring team manager, others | other providers' |
| placement_withdraw | referring team manager | receiving caseworker, others | — |
| case_placements, refer, unmet_need_add | team manager (own case) | others | caseworker (another provider's case) |
| part4_return | commissioner, administrator | others | — |
"""

from __future__ import annotations

from typing import Any

from safepath.accommodation.tests import factories as f
from safepath.core.roles import Role
from safepath.testing import AreaFactory, Row

R = Role
CW, TM = R.CASEWORKER, R.TEAM_MANAGER


def extend_world(world: dict[str, Any]) -> None:
    orgs = world["orgs"]
    hub = orgs[R.TRIAGE_WORKER]
    area = AreaFactory()
    refuge = f.make_service(orgs[CW], area, "World Refuge", spaces=1)
    case = f.make_case(hub, orgs[TM], "Kerensa", "Pascoe", area=area)
    elsewhere, runner = f.provider(), f.provider()
    other_case = f.make_case(hub, elsewhere, "Demelza", "Carne", area=area)
    world["acc"] = {
        "refuge": refuge,
        "bedspace": refuge.bedspaces.get(),
        "case": case,
        "placement": f.refer(case, refuge),
        "other": f.refer(other_case, f.make_service(runner, area, spaces=1)),
    }


def _a(*keys: str) -> Any:
    return lambda w: [w["acc"][k].pk for k in keys]


WORKERS = {CW: 200, TM: 200}
ROWS = [
    Row("accommodation:search", WORKERS | {R.TRIAGE_WORKER: 200}, default=403),
    Row("accommodation:services", WORKERS | {R.COMMISSIONER: 200, R.ADMINISTRATOR: 200}, default=403),
    Row(
        "accommodation:service",
        {CW: 200, TM: 404, R.COMMISSIONER: 200, R.ADMINISTRATOR: 200},
        default=403,
        args=_a("refuge"),
    ),
    Row(
        "accommodation:service",
        {CW: 404, TM: 404, R.COMMISSIONER: 404, R.ADMINISTRATOR: 404},
        default=403,
        args=lambda w: [999_999],
    ),
    Row("accommodation:service_add", {TM: 200, CW: 403}, default=403),
    Row("accommodation:bedspace_add", {TM: 404, CW: 403}, default=403, args=_a("refuge")),
    Row("accommodation:service_address", {CW: 200, TM: 404}, default=403, args=_a("refuge")),
    Row("accommodation:vacancies", WORKERS, default=403),
    Row(
        "accommodation:bedspace_state",
        {CW: 302, TM: 404},
        default=403,
        method="post",
        args=_a("bedspace"),
        data={"state": "out_of_use"},
    ),
    Row("accommodation:placements", WORKERS, default=403),
    Row("accommodation:placement", WORKERS, default=403, args=_a("placement")),
    Row("accommodation:placement", {CW: 404, TM: 404}, default=403, args=_a("other")),
    Row("accommodation:placement_decide", {CW: 200, TM: 403}, default=403, args=_a("placement")),
    Row("accommodation:placement_decide", {CW: 404, TM: 404}, default=403, args=_a("other")),
    Row("accommodation:placement_move_in", {CW: 200, TM: 403}, default=403, args=_a("placement")),
    Row("accommodation:placement_end", {CW: 200, TM: 403}, default=403, args=_a("placement")),
    Row("accommodation:placement_withdraw", {CW: 403, TM: 302}, default=403, method="post", args=_a("placement")),
    Row("accommodation:placement_withdraw", {CW: 404, TM: 404}, default=403, method="post", args=_a("other")),
    Row("accommodation:case_placements", {CW: 404, TM: 200}, default=403, args=_a("case")),
    Row("accommodation:refer", {CW: 404, TM: 200}, default=403, args=_a("case", "refuge")),
    Row("accommodation:unmet_need_add", {CW: 404, TM: 200}, default=403, args=_a("case")),
    Row("accommodation:part4_return", {R.COMMISSIONER: 200, R.ADMINISTRATOR: 200}, default=403),
]
