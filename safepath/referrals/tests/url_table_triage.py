"""URL × role rows for triage, routing and providers' work items, and the records they need.

The helpers here (`reference_data`, `make_referral`, `make_work_item`) are shared by the
triage, routing and work-item tests.
"""

from __future__ import annotations

import importlib
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.apps import apps

from safepath.accounts.models import Organisation
from safepath.core.roles import OrganisationType, Role
from safepath.referrals.choices import Status
from safepath.referrals.models import Pathway, Referral, WorkItem
from safepath.referrals.services import Incoming, referral_receive
from safepath.testing import OrganisationFactory, Row

R = Role
LONDON = ZoneInfo("Europe/London")


def reference_data() -> None:
    """The default pathways, rules, SLAs and vocabularies, as the migrations load them.

    Transactional tests (the browser tests) flush the tables after each test, taking the
    migrations' data with them, so tests that need it load it again (it is idempotent).
    """
    importlib.import_module("safepath.referrals.migrations.0002_reference_data").load(apps, None)
    importlib.import_module("safepath.referrals.migrations.0003_triagesla_importrun").load_slas(apps, None)


def make_referral(hub: Organisation, *, safe: tuple[str, ...] = ("phone",), **overrides: Any) -> Referral:
    values: dict[str, Any] = {
        "channel": "professional",
        "source": "police",
        "received_at": datetime(2026, 3, 10, 9, 0, tzinfo=LONDON),
        "first_name": "Jane",
        "last_name": "Smith",
    }
    referral = referral_receive(incoming=Incoming(**(values | overrides)), hub=hub)
    contact = referral.person.safe_contact
    for channel in safe:
        setattr(contact, contact.FLAGS[channel], True)
    contact.safe_phone = "07700 900123" if "phone" in safe else ""
    contact.save()
    return referral


def make_work_item(hub: Organisation, provider: Organisation, pathway_code: str = "idva", **overrides: Any) -> WorkItem:
    pathway = Pathway.objects.get(code=pathway_code)
    pathway.providers.add(provider)
    referral = make_referral(hub, **overrides)
    Referral.objects.filter(pk=referral.pk).update(status=Status.ACCEPTED)
    return WorkItem.objects.create(referral=referral, pathway=pathway, provider=provider)


def extend_world(world: dict[str, Any]) -> None:
    reference_data()
    hub = world["orgs"][R.TRIAGE_WORKER]
    other_hub = OrganisationFactory(type=OrganisationType.HUB)
    world["triage_referral"] = make_referral(hub, dash_score=15)
    world["other_hub_referral"] = make_referral(other_hub, first_name="Ann", last_name="Other")
    world["manager_item"] = make_work_item(hub, world["orgs"][R.TEAM_MANAGER], first_name="Mia", last_name="Jones")
    world["caseworker_item"] = make_work_item(
        hub, world["orgs"][R.CASEWORKER], pathway_code="outreach", first_name="Zoe", last_name="Brown"
    )


def _own(w: dict[str, Any]) -> list[int]:
    return [w["triage_referral"].pk]


def _other(w: dict[str, Any]) -> list[int]:
    return [w["other_hub_referral"].pk]


TRIAGE_OK = {R.TRIAGE_WORKER: 200}
TRIAGE_POSTED = {R.TRIAGE_WORKER: 302}
TRIAGE_404 = {R.TRIAGE_WORKER: 404}

ROWS: list[Row] = [
    Row("referrals:triage_queue", TRIAGE_OK, default=403),
    Row("referrals:triage_detail", TRIAGE_OK, default=403, args=_own),
    Row("referrals:triage_detail", TRIAGE_404, default=403, args=_other),
    Row("referrals:triage_assign", TRIAGE_POSTED, default=403, args=_own, method="post"),
    Row("referrals:triage_assign", TRIAGE_404, default=403, args=_other, method="post"),
    Row("referrals:triage_start", TRIAGE_POSTED, default=403, args=_own, method="post"),
    Row("referrals:triage_start", TRIAGE_404, default=403, args=_other, method="post"),
    Row("referrals:triage_contact", TRIAGE_OK, default=403, args=_own),
    Row("referrals:triage_contact", TRIAGE_404, default=403, args=_other),
    Row("referrals:triage_decline", TRIAGE_OK, default=403, args=_own),
    Row("referrals:triage_decline", TRIAGE_404, default=403, args=_other),
    Row("referrals:triage_signpost", TRIAGE_OK, default=403, args=_own),
    Row("referrals:triage_signpost", TRIAGE_404, default=403, args=_other),
    Row("referrals:triage_withdraw", TRIAGE_OK, default=403, args=_own),
    Row("referrals:triage_withdraw", TRIAGE_404, default=403, args=_other),
    Row("referrals:triage_match", TRIAGE_POSTED, default=403, args=_own, method="post", data={"decision": "new"}),
    Row("referrals:triage_match", TRIAGE_404, default=403, args=_other, method="post", data={"decision": "new"}),
    Row("referrals:route", TRIAGE_OK, default=403, args=_own),
    Row("referrals:route", TRIAGE_404, default=403, args=_other),
    Row("referrals:work_items", {R.CASEWORKER: 200, R.TEAM_MANAGER: 200}, default=403),
    Row(
        "referrals:work_item_detail",
        {R.TEAM_MANAGER: 200, R.CASEWORKER: 404},
        default=403,
        args=lambda w: [w["manager_item"].pk],
    ),
    Row(
        "referrals:work_item_detail",
        {R.CASEWORKER: 200, R.TEAM_MANAGER: 404},
        default=403,
        args=lambda w: [w["caseworker_item"].pk],
    ),
    Row(
        "referrals:work_item_decide",
        {R.TEAM_MANAGER: 302, R.CASEWORKER: 404},
        default=403,
        args=lambda w: [w["manager_item"].pk],
        method="post",
        data={"decision": "accept"},
    ),
    # A caseworker may see their own service's item but not decide on it.
    Row(
        "referrals:work_item_decide",
        {R.CASEWORKER: 403, R.TEAM_MANAGER: 404},
        default=403,
        args=lambda w: [w["caseworker_item"].pk],
        method="post",
        data={"decision": "accept"},
    ),
]


def bulk_referrals(hub: Organisation, count: int, **fields: Any) -> list[Referral]:
    """Many referrals quickly (no matching or rules): for ordering, paging and query-count tests."""
    from safepath.people.models import Person, SafeContact
    from safepath.referrals.services import new_reference

    people = Person.objects.bulk_create([Person(first_name=f"Person{n}", last_name="Bulk") for n in range(count)])
    SafeContact.objects.bulk_create([SafeContact(person=p) for p in people])
    values = {"channel": "import", "source": "police", "risk_level": "standard"} | fields
    values.setdefault("received_at", datetime(2026, 3, 10, 9, 0, tzinfo=LONDON))
    return Referral.objects.bulk_create(
        [Referral(hub=hub, person=p, reference=new_reference(), **values) for p in people]
    )
