"""URL × role rows for group programmes, a case's groups and volunteers, volunteers' pages and
perpetrator interventions.

World: the team manager's and the caseworker's providers (different organisations) each run a
programme with a cohort, a past session and one enrolled case, and each case has a volunteer
of that provider assigned. The volunteer's provider has a case assigned to the world's
volunteer and another assigned to a second volunteer. A person causing harm linked to the
caseworker's case is on an order delivered by the team manager's provider; another order
lies between two other providers.

Permissions are checked before scope: a role without the permission gets 403 whatever the
record; a role with it gets 404 for another organisation's record.

| URL | allowed | 403 | 404 |
|---|---|---|---|
| list, perpetrator_orders | caseworker, team manager | everyone else | — |
| programme, cohort, enrol, attendance, enrolment_withdraw, case_support | caseworker, manager (own org) | others | the other provider's |
| programme_add, cohort_add, assign_volunteer, end_assignment | team manager | caseworker, others | another provider's |
| volunteer_home, volunteer_session_add | volunteer (own assignment) | everyone else | another volunteer's assignment |
| perpetrator_order | ordering caseworker, delivering manager | others | an order between other providers |
| perpetrator_order_update | delivering manager | ordering caseworker, others | an order between other providers |
| perpetrator_order_add | caseworker (own case) | others | team manager (another provider's case) |
"""

from __future__ import annotations

from typing import Any

from safepath.core.roles import OrganisationType, Role
from safepath.programmes.tests import factories as f
from safepath.testing import OrganisationFactory, Row, make_member

R = Role


def extend_world(world: dict[str, Any]) -> None:
    orgs = world["orgs"]
    hub = orgs[R.TRIAGE_WORKER]
    for role, first in ((R.TEAM_MANAGER, "Rhiannon"), (R.CASEWORKER, "Seren")):
        org = orgs[role]
        case = f.open_case(hub, org, first, "Pryce")
        programme = f.make_programme(org)
        cohort = f.make_cohort(programme)
        world[f"prog_{role}"] = {
            "case": case,
            "programme": programme,
            "cohort": cohort,
            "session": cohort.sessions.first(),
            "enrolment": f.services.enrolment_add(request=None, cohort=cohort, case=case),
            "assignment": f.assign(case, make_member(R.VOLUNTEER, org)),
        }
    volunteer_org = orgs[R.VOLUNTEER]
    world["prog_volunteer_assignment"] = f.assign(
        f.open_case(hub, volunteer_org, "Tegan", "Hughes", "volunteer"), world["users"][R.VOLUNTEER]
    )
    world["prog_other_volunteer_assignment"] = f.assign(
        f.open_case(hub, volunteer_org, "Nia", "Griffiths", "volunteer"), make_member(R.VOLUNTEER, volunteer_org)
    )
    victim_case = world[f"prog_{R.CASEWORKER}"]["case"]
    world["prog_order"] = f.make_order(victim_case, orgs[R.TEAM_MANAGER])
    elsewhere, deliverer = (
        OrganisationFactory(type=OrganisationType.PROVIDER),
        OrganisationFactory(type=OrganisationType.PROVIDER),
    )
    world["prog_other_order"] = f.make_order(f.open_case(hub, elsewhere, "Lowri", "Evans", "idva"), deliverer)


def _of(role: str, key: str) -> Any:
    return lambda w: [w[f"prog_{role}"][key].pk]


def _key(key: str) -> Any:
    return lambda w: [w[key].pk]


TM, CW, VOL = R.TEAM_MANAGER, R.CASEWORKER, R.VOLUNTEER
WORKERS = {CW: 200, TM: 200}
TM_OWN = {TM: 200, CW: 404}
CW_OWN = {CW: 200, TM: 404}

ROWS: list[Row] = [
    Row("programmes:list", WORKERS, default=403),
    Row("programmes:programme_add", {TM: 200}, default=403),
    Row("programmes:programme", TM_OWN, default=403, args=_of(TM, "programme")),
    Row("programmes:programme", CW_OWN, default=403, args=_of(CW, "programme")),
    Row("programmes:cohort_add", {TM: 200}, default=403, args=_of(TM, "programme")),
    Row("programmes:cohort_add", {TM: 404}, default=403, args=_of(CW, "programme")),
    Row("programmes:cohort", TM_OWN, default=403, args=_of(TM, "cohort")),
    Row("programmes:cohort", CW_OWN, default=403, args=_of(CW, "cohort")),
    Row("programmes:enrol", TM_OWN, default=403, args=_of(TM, "cohort")),
    Row("programmes:enrol", CW_OWN, default=403, args=_of(CW, "cohort")),
    Row("programmes:enrolment_withdraw", {TM: 302, CW: 404}, default=403, method="post", args=_of(TM, "enrolment")),
    Row("programmes:enrolment_withdraw", {CW: 302, TM: 404}, default=403, method="post", args=_of(CW, "enrolment")),
    Row("programmes:attendance", TM_OWN, default=403, args=_of(TM, "session")),
    Row("programmes:attendance", CW_OWN, default=403, args=_of(CW, "session")),
    Row("programmes:case_support", TM_OWN, default=403, args=_of(TM, "case")),
    Row("programmes:case_support", CW_OWN, default=403, args=_of(CW, "case")),
    Row("programmes:assign_volunteer", {TM: 200}, default=403, args=_of(TM, "case")),
    Row("programmes:assign_volunteer", {TM: 404}, default=403, args=_of(CW, "case")),
    Row("programmes:end_assignment", {TM: 302}, default=403, method="post", args=_of(TM, "assignment")),
    Row("programmes:end_assignment", {TM: 404}, default=403, method="post", args=_of(CW, "assignment")),
    Row("programmes:volunteer_home", {VOL: 200}, default=403),
    Row("programmes:volunteer_session_add", {VOL: 200}, default=403, args=_key("prog_volunteer_assignment")),
    Row("programmes:volunteer_session_add", {VOL: 404}, default=403, args=_key("prog_other_volunteer_assignment")),
    Row("programmes:perpetrator_orders", WORKERS, default=403),
    Row("programmes:perpetrator_order", WORKERS, default=403, args=_key("prog_order")),
    Row("programmes:perpetrator_order", {CW: 404, TM: 404}, default=403, args=_key("prog_other_order")),
    # The ordering side sees the order but only the delivering provider changes it.
    Row("programmes:perpetrator_order_update", {TM: 200, CW: 403}, default=403, args=_key("prog_order")),
    Row("programmes:perpetrator_order_update", {TM: 404, CW: 404}, default=403, args=_key("prog_other_order")),
    Row("programmes:perpetrator_order_add", CW_OWN, default=403, args=_of(CW, "case")),
    Row("programmes:perpetrator_order_add", TM_OWN, default=403, args=_of(TM, "case")),
]
