"""URL × role rows for MARAC.

World: the coordinator's MARAC covers an area; a meeting of it, held tomorrow, has a released
agenda with one case, and the representative's agency attends it; an action on that case is
owned by the representative's agency. Another MARAC has its own meeting, case and action.

| URL | allowed | 403 | 404 |
|---|---|---|---|
| meetings, actions | coordinator, representative | everyone else | — |
| meeting, item, action_add | coordinator (own MARAC), representative (attending, in window) | others | the other MARAC's |
| meeting_add, settings, agenda_build, agenda_release, minutes, referrals, history | coordinator | representative, others | the other MARAC's |
| research | representative (attending, in window) | coordinator, others | the other MARAC's |
| action_complete | coordinator (own MARAC), representative (owning agency) | others | the other MARAC's |
| refer | representative, coordinator, caseworker, team manager | others | — |
| dataset | coordinator, commissioner | others | — |
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from safepath.core.roles import Role
from safepath.marac import services
from safepath.marac.tests import factories as f
from safepath.testing import Row

R = Role
CO, REP = R.MARAC_COORDINATOR, R.MARAC_REPRESENTATIVE


def extend_world(world: dict[str, Any]) -> None:
    orgs = world["orgs"]
    marac = orgs[CO]
    marac.areas.add(world["area"])
    agency = orgs[REP]
    case = f.marac_case(world["area"])
    meeting = f.meeting(marac, agencies=[agency, marac], build=True, release=True)
    item = meeting.items.get()
    world["marac"] = {
        "case": case,
        "meeting": meeting,
        "item": item,
        "action": services.action_add(
            request=None,
            item=item,
            owner=agency,
            description="Flag the address",
            due_on=timezone.localdate() + timedelta(days=7),
        ),
    }
    other = f.make_marac()
    other_case = f.marac_case(other.areas.get())
    other_meeting = f.meeting(other, agencies=[other], build=True, release=True)
    other_item = other_meeting.items.get()
    world["marac_other"] = {
        "case": other_case,
        "meeting": other_meeting,
        "item": other_item,
        "action": services.action_add(
            request=None,
            item=other_item,
            owner=other,
            description="Refer to housing",
            due_on=timezone.localdate() + timedelta(days=3),
        ),
    }


def _own(key: str) -> Any:
    return lambda w: [w["marac"][key].pk]


def _other(key: str) -> Any:
    return lambda w: [w["marac_other"][key].pk]


BOTH = {CO: 200, REP: 200}
BOTH_404 = {CO: 404, REP: 404}

ROWS = [
    Row("marac:meetings", BOTH, default=403),
    Row("marac:meeting_add", {CO: 200}, default=403),
    Row("marac:meeting", BOTH, default=403, args=_own("meeting")),
    Row("marac:meeting", BOTH_404, default=403, args=_other("meeting")),
    Row("marac:agenda_build", {CO: 302}, default=403, method="post", args=_own("meeting")),
    Row("marac:agenda_build", {CO: 404}, default=403, method="post", args=_other("meeting")),
    Row("marac:agenda_release", {CO: 302}, default=403, method="post", args=_own("meeting")),
    Row("marac:agenda_release", {CO: 404}, default=403, method="post", args=_other("meeting")),
    Row("marac:minutes", {CO: 200}, default=403, args=_own("meeting")),
    Row("marac:minutes", {CO: 404}, default=403, args=_other("meeting")),
    Row("marac:item", BOTH, default=403, args=_own("item")),
    Row("marac:item", BOTH_404, default=403, args=_other("item")),
    Row("marac:research", {REP: 200}, default=403, args=_own("item")),
    Row("marac:research", {REP: 404}, default=403, args=_other("item")),
    Row("marac:action_add", BOTH, default=403, args=_own("item")),
    Row("marac:action_add", BOTH_404, default=403, args=_other("item")),
    Row("marac:actions", BOTH, default=403),
    Row("marac:action_complete", {CO: 302, REP: 302}, default=403, method="post", args=_own("action")),
    Row("marac:action_complete", BOTH_404, default=403, method="post", args=_other("action")),
    Row("marac:referrals", {CO: 200}, default=403),
    Row("marac:history", {CO: 200}, default=403, args=_own("case")),
    Row("marac:history", {CO: 404}, default=403, args=_other("case")),
    Row("marac:refer", {CO: 200, REP: 200, R.CASEWORKER: 200, R.TEAM_MANAGER: 200}, default=403),
    Row("marac:dataset", {CO: 200, R.COMMISSIONER: 200}, default=403),
    Row("marac:settings", {CO: 200}, default=403),
]
