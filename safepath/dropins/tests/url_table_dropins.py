"""URL × role rows for drop-in visits and venues.

World: a venue at the caseworker's provider (`cw_venue`) and one at the team manager's
(`tm_venue`).

| URL | allowed | 403 | 404 |
|---|---|---|---|
| visits, visit_add (GET; POST empty: form re-shown) | caseworker, team manager (a provider's) | volunteer, commissioner, administrator, everyone else | — |
| venues (GET; POST empty: form re-shown) | team manager | caseworker, commissioner, everyone else | — |
| venue_active (POST) | team manager (own provider's venue: 302) | everyone else | team manager on another provider's venue |
"""

from __future__ import annotations

from typing import Any

from safepath.core.roles import Role
from safepath.dropins.models import Venue
from safepath.testing import AreaFactory, Row

R = Role

WORKERS = {R.CASEWORKER: 200, R.TEAM_MANAGER: 200}


def extend_world(world: dict[str, Any]) -> None:
    orgs = world["orgs"]
    area = AreaFactory()
    world["cw_venue"] = Venue.objects.create(provider=orgs[R.CASEWORKER], area=area, name="Caseworker's drop-in")
    world["tm_venue"] = Venue.objects.create(provider=orgs[R.TEAM_MANAGER], area=area, name="Manager's drop-in")


ROWS: list[Row] = [
    Row("dropins:visits", WORKERS, default=403),
    Row("dropins:visit_add", WORKERS, default=403),
    # An empty form is re-shown with its errors (200), nothing saved.
    Row("dropins:visit_add", WORKERS, default=403, method="post"),
    Row("dropins:venues", {R.TEAM_MANAGER: 200}, default=403),
    Row("dropins:venues", {R.TEAM_MANAGER: 200}, default=403, method="post"),
    Row(
        "dropins:venue_active",
        {R.TEAM_MANAGER: 302},
        default=403,
        method="post",
        args=lambda w: [w["tm_venue"].pk],
        data={"active": "0"},
    ),
    # Another provider's venue: not found.
    Row(
        "dropins:venue_active",
        {R.TEAM_MANAGER: 404},
        default=403,
        method="post",
        args=lambda w: [w["cw_venue"].pk],
        data={"active": "0"},
    ),
]
