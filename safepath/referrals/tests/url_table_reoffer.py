"""URL × role rows for offering declined work items again (hub staff only; another hub's item is a 404)."""

from __future__ import annotations

from typing import Any

from safepath.core.roles import OrganisationType, Role
from safepath.referrals.models import Pathway, WorkItem
from safepath.referrals.tests.url_table_triage import make_work_item, reference_data
from safepath.testing import OrganisationFactory, Row

R = Role


def _declined(hub: Any, provider: Any, **names: Any) -> WorkItem:
    item = make_work_item(hub, provider, **names)
    WorkItem.objects.filter(pk=item.pk).update(status=WorkItem.Status.DECLINED, decline_reason="no_capacity")
    return item


def extend_world(world: dict[str, Any]) -> None:
    reference_data()
    hub = world["orgs"][R.TRIAGE_WORKER]
    declining = OrganisationFactory(type=OrganisationType.PROVIDER)
    world["reoffer_to"] = OrganisationFactory(type=OrganisationType.PROVIDER)
    Pathway.objects.get(code="idva").providers.add(world["reoffer_to"])
    world["declined_item"] = _declined(hub, declining, first_name="Ola", last_name="Declined")
    other_hub = OrganisationFactory(type=OrganisationType.HUB)
    world["other_hub_declined_item"] = _declined(other_hub, declining, first_name="Una", last_name="Elsewhere")


def _own(w: dict[str, Any]) -> list[int]:
    return [w["declined_item"].pk]


def _other(w: dict[str, Any]) -> list[int]:
    return [w["other_hub_declined_item"].pk]


def _reoffer_data(w: dict[str, Any]) -> dict[str, str]:
    idva = Pathway.objects.get(code="idva")
    return {"target": f"{idva.pk}-{w['reoffer_to'].pk}", "reason": "No capacity at the first provider"}


ROWS: list[Row] = [
    Row("referrals:triage_declined", {R.TRIAGE_WORKER: 200}, default=403),
    Row("referrals:work_item_reoffer", {R.TRIAGE_WORKER: 200}, default=403, args=_own),
    Row("referrals:work_item_reoffer", {R.TRIAGE_WORKER: 404}, default=403, args=_other),
    Row(
        "referrals:work_item_reoffer",
        {R.TRIAGE_WORKER: 302},
        default=403,
        args=_own,
        method="post",
        data=_reoffer_data,
    ),
    Row(
        "referrals:work_item_reoffer",
        {R.TRIAGE_WORKER: 404},
        default=403,
        args=_other,
        method="post",
        data=_reoffer_data,
    ),
]
