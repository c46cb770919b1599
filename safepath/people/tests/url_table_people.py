"""URL × role rows for the person record, risk assessment, merges and risk thresholds.

World: a person referred to the triage worker's hub and routed to the caseworker's and the
volunteer's providers (`person`); a second person at the same hub (`twin`, for merges); a
person referred only to another hub (`elsewhere`); an active merge into `merge_kept`.
The team manager's provider has nothing routed to it, so they get 404: another organisation.

| URL | allowed | 403 | 404 |
|---|---|---|---|
| people:detail | triage worker (hub), caseworker and volunteer (routed to them) | roles without people access | team manager (another provider), any hub worker for a person of another hub |
| edit pages, child/harm add, other names | triage worker, caseworker | volunteer (read only), others | team manager |
| people:assess | triage worker, caseworker | volunteer, others | team manager |
| merge, merge_confirm, unmerge | triage worker (hub staff only) | caseworker, volunteer, others | team manager |
| people:thresholds | administrator; commissioner reads | everyone else | — |
| people:thresholds_add | administrator | commissioner and everyone else | — |
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from safepath.core.roles import OrganisationType, Role
from safepath.people.models import PersonName
from safepath.people.services_records import person_merge_checked
from safepath.referrals.models import Pathway, WorkItem
from safepath.referrals.services import Incoming, referral_receive
from safepath.testing import OrganisationFactory, Row

R = Role
LONDON = ZoneInfo("Europe/London")


def refer(hub: Any, first: str, last: str, dob: Any = None, postcode: str = "", **extra: Any) -> Any:
    """A referral received at `hub` for a new person (shared with this app's view tests)."""
    values = {"channel": "import", "source": "police", "received_at": datetime(2026, 3, 10, 9, 0, tzinfo=LONDON)}
    incoming = Incoming(**(values | extra), first_name=first, last_name=last, date_of_birth=dob, postcode=postcode)
    return referral_receive(incoming=incoming, hub=hub)


def route(referral: Any, provider: Any, pathway: str = "idva") -> WorkItem:
    """Give a provider access to the referral's person, as routing does."""
    return WorkItem.objects.create(referral=referral, pathway=Pathway.objects.get(code=pathway), provider=provider)


def extend_world(world: dict[str, Any]) -> None:
    orgs = world["orgs"]
    hub = orgs[R.TRIAGE_WORKER]
    referral = refer(hub, "Alys", "Penhaligon")
    route(referral, orgs[R.CASEWORKER])
    route(referral, orgs[R.VOLUNTEER], "volunteer")
    person = referral.person
    world["person"] = person
    world["other_name"] = PersonName.objects.create(person=person, first_name="Alice", last_name="Pen")
    world["twin"] = refer(hub, "Bryony", "Quillfeather").person
    world["elsewhere"] = refer(OrganisationFactory(type=OrganisationType.HUB), "Cerys", "Trevelyan").person
    kept = refer(hub, "Delyth", "Ashgrove").person
    merged = refer(hub, "Delith", "Ashgrove").person
    world["merge_kept"] = kept
    world["merge"] = person_merge_checked(request=None, kept=kept, merged=merged, reason="same person")


def _person(w: dict[str, Any]) -> list[int]:
    return [w["person"].pk]


def _elsewhere(w: dict[str, Any]) -> list[int]:
    return [w["elsewhere"].pk]


READERS = {R.TRIAGE_WORKER: 200, R.CASEWORKER: 200, R.VOLUNTEER: 403, R.TEAM_MANAGER: 404}
EDITORS = {R.TRIAGE_WORKER: 200, R.CASEWORKER: 200, R.VOLUNTEER: 403, R.TEAM_MANAGER: 404}
HUB_ONLY = {R.TRIAGE_WORKER: 200, R.CASEWORKER: 403, R.VOLUNTEER: 403, R.TEAM_MANAGER: 404}
# A person referred only to another hub: outside every user's scope.
OUTSIDE = {R.TRIAGE_WORKER: 404, R.CASEWORKER: 404, R.VOLUNTEER: 403, R.TEAM_MANAGER: 404}


def _posted(allowed: dict[str, int], status: int) -> dict[str, int]:
    return {role: status if code == 200 else code for role, code in allowed.items()}


ROWS = [
    Row("people:detail", READERS, default=403, args=_person),
    Row("people:detail", OUTSIDE, default=403, args=_elsewhere),
    Row("people:detail", OUTSIDE, default=403, args=lambda w: [999_999]),
    Row("people:edit", EDITORS, default=403, args=_person),
    Row("people:edit", OUTSIDE, default=403, args=_elsewhere),
    Row("people:edit_contact", EDITORS, default=403, args=_person),
    Row("people:edit_contact", OUTSIDE, default=403, args=_elsewhere),
    Row("people:other_name_add", EDITORS, default=403, args=_person),
    Row("people:other_name_remove", EDITORS, default=403, args=lambda w: [w["person"].pk, w["other_name"].pk]),
    Row(
        "people:other_name_remove",
        _posted(EDITORS, 302),
        default=403,
        method="post",
        args=lambda w: [w["person"].pk, w["other_name"].pk],
    ),
    Row("people:child_add", EDITORS, default=403, args=_person),
    Row("people:child_add", OUTSIDE, default=403, args=_elsewhere),
    Row("people:harm_add", EDITORS, default=403, args=_person),
    Row("people:assess", EDITORS, default=403, args=_person),
    Row("people:assess", OUTSIDE, default=403, args=_elsewhere),
    Row("people:merge", HUB_ONLY, default=403, args=_person),
    Row("people:merge", OUTSIDE, default=403, args=_elsewhere),
    Row("people:merge_confirm", HUB_ONLY, default=403, args=lambda w: [w["person"].pk, w["twin"].pk]),
    # The other record is outside the user's scope: 404 even for hub staff.
    Row(
        "people:merge_confirm",
        HUB_ONLY | {R.TRIAGE_WORKER: 404},
        default=403,
        args=lambda w: [w["person"].pk, w["elsewhere"].pk],
    ),
    Row(
        "people:unmerge",
        {R.TRIAGE_WORKER: 200, R.CASEWORKER: 404, R.VOLUNTEER: 403, R.TEAM_MANAGER: 404},
        default=403,
        args=lambda w: [w["merge_kept"].pk, w["merge"].pk],
    ),
    Row(
        "people:unmerge",
        {R.TRIAGE_WORKER: 302, R.CASEWORKER: 404, R.VOLUNTEER: 403, R.TEAM_MANAGER: 404},
        default=403,
        method="post",
        args=lambda w: [w["merge_kept"].pk, w["merge"].pk],
    ),
    Row("people:thresholds", {R.ADMINISTRATOR: 200, R.COMMISSIONER: 200}, default=403),
    Row("people:thresholds_add", {R.ADMINISTRATOR: 200}, default=403),
    Row("people:thresholds_add", {R.ADMINISTRATOR: 200}, default=403, method="post"),
]
