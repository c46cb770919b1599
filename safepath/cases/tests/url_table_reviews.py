"""URL × role rows for risk reviews, handovers, step-down plans and a re-referral's previous case,
and the helpers this app's review, handover, step-down and previous-case tests share.

World: an IDVA case at the caseworker's provider, an outreach case at the team manager's
provider, a case at the volunteer's provider assigned to the volunteer (volunteers may not use
these pages: 403), a handover from the caseworker's case to the manager's provider and one from
the manager's case to the caseworker's provider.

| URL | allowed | 403 | 404 |
|---|---|---|---|
| reviews, review_add, handover_add, step_down, previous | caseworker or manager of the case's provider | volunteer assigned to the case | other providers' workers, every other role |
| handovers (inbox) | team manager | every other role | — |
| handover_decide | manager of the receiving provider | caseworker of the receiving provider | the sending provider, every other role |
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from safepath.accounts.models import Organisation, User
from safepath.cases.models import Case, Handover, VolunteerAssignment
from safepath.cases.services import case_allocate, case_contact_recorded, case_open_from_work_item
from safepath.cases.services_reviews import Answers, Target, handover_offer
from safepath.core.once import new_token
from safepath.core.roles import Role
from safepath.people.tests.url_table_people import refer, route
from safepath.referrals.models import Pathway
from safepath.risk.selectors import current_instrument
from safepath.testing import Row

R = Role
LONDON = ZoneInfo("Europe/London")


def pathway(code: str) -> Pathway:
    return Pathway.objects.get(code=code)


def open_case(hub: Organisation, provider: Organisation, code: str = "idva", first: str = "Seren",
              last: str = "Madoc", person: Any = None) -> Case:
    """A waiting case at `provider` on pathway `code`, from a referral routed there. The provider
    is made one of the pathway's providers (so handovers can reach it)."""
    pathway(code).providers.add(provider)
    referral = refer(hub, first, last)
    if person is not None:
        referral.person = person
        referral.save()
    return case_open_from_work_item(request=None, item=route(referral, provider, code))


def activate(case: Case, worker: User, at: datetime | None = None) -> Case:
    """Allocate to `worker` and record a first phone call: the case becomes active."""
    case_allocate(request=None, case=case, worker=worker, version=case.version, at=at)
    case_contact_recorded(case, at=at or case.allocated_at, mode="phone", made=True)  # type: ignore[arg-type]
    case.refresh_from_db()
    return case


def checklist(yes: int, **extra: Any) -> Answers:
    """The current checklist with the first `yes` answers "yes" (0-9 standard, 10-13 medium, 14+ high)."""
    instrument = current_instrument()
    codes = [i.code for i in instrument.indicators.all()]  # type: ignore[union-attr]
    answers = {code: "yes" if n < yes else "not_known" for n, code in enumerate(codes)}
    return Answers(instrument=instrument, answers=answers, **extra)  # type: ignore[arg-type]


def form_answers(yes: int) -> dict[str, str]:
    return {f"answer_{code}": value for code, value in checklist(yes).answers.items()}


def offer(case: Case, provider: Organisation, code: str, summary: str = "Prefers calls after 2pm.",
          close: bool = True) -> Handover:
    target = Target(pathway=pathway(code), provider=provider, summary=summary, close_from_case=close)
    return handover_offer(request=None, case=case, target=target, token=new_token())


def extend_world(world: dict[str, Any]) -> None:
    orgs, users = world["orgs"], world["users"]
    hub = orgs[R.TRIAGE_WORKER]
    cw_case = open_case(hub, orgs[R.CASEWORKER], "idva", "Nia", "Gwyther")
    tm_case = open_case(hub, orgs[R.TEAM_MANAGER], "outreach", "Lowri", "Pennant")
    vol_case = open_case(hub, orgs[R.VOLUNTEER], "volunteer", "Efa", "Morcant")
    VolunteerAssignment.objects.create(case=vol_case, volunteer=users[R.VOLUNTEER], started_on=date(2026, 3, 11))
    world["rv_cw_case"], world["rv_tm_case"], world["rv_vol_case"] = cw_case, tm_case, vol_case
    world["rv_to_manager"] = offer(cw_case, orgs[R.TEAM_MANAGER], "outreach")
    world["rv_to_caseworker"] = offer(tm_case, orgs[R.CASEWORKER], "idva")


def _pk(key: str) -> Any:
    return lambda w: [w[key].pk]


OWN_CW = {R.CASEWORKER: 200, R.TEAM_MANAGER: 404, R.VOLUNTEER: 403}
OWN_TM = {R.TEAM_MANAGER: 200, R.CASEWORKER: 404, R.VOLUNTEER: 403}
VOLUNTEER_403 = {R.VOLUNTEER: 403, R.CASEWORKER: 404, R.TEAM_MANAGER: 404}

CASE_PAGES = ["cases:reviews", "cases:review_add", "cases:handover_add", "cases:step_down", "cases:previous"]

ROWS: list[Row] = [
    *(
        Row(name, expected, default=403, args=_pk(key))
        for name in CASE_PAGES
        for expected, key in ((OWN_CW, "rv_cw_case"), (OWN_TM, "rv_tm_case"), (VOLUNTEER_403, "rv_vol_case"))
    ),
    Row("cases:handovers", {R.TEAM_MANAGER: 200}, default=403),
    Row("cases:handover_decide", {R.TEAM_MANAGER: 200, R.CASEWORKER: 404}, default=404, args=_pk("rv_to_manager")),
    Row("cases:handover_decide", {R.CASEWORKER: 403, R.TEAM_MANAGER: 404}, default=404, args=_pk("rv_to_caseworker")),
    Row(
        "cases:handover_decide",
        {R.TEAM_MANAGER: 302, R.CASEWORKER: 404},
        default=404,
        method="post",
        args=_pk("rv_to_manager"),
        data={"decision": "accept"},
    ),
]
