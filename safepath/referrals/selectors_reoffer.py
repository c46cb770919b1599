"""Reads for offering declined work items again (the hub's side of a provider's decline).

Scoped like the other selectors: a hub worker sees the work items of referrals made to their
own hub, and nobody else sees any (deny by default), so `get_scoped_or_404` gives 404.
"""

from __future__ import annotations

from django.db.models import QuerySet

from safepath.referrals.models import Pathway, Referral, WorkItem
from safepath.referrals.selectors import hub_of


def work_items_for_hub(user: object) -> QuerySet[WorkItem]:
    """Work items of referrals made to the user's hub, when acting as hub staff; else none.

    A join on the referral's hub, not `referral IN (the hub's referrals)`: SQLite read the list of
    every referral the hub ever had (200,000 in the benchmark) for each count of declined items,
    60 ms of every triage page; joined, it starts from the few declined items (their partial index).
    """
    hub = hub_of(user)
    if hub is None:
        return WorkItem.objects.none()
    return WorkItem.objects.filter(referral__hub=hub)


def declined_awaiting_reoffer(user: object) -> QuerySet[WorkItem]:
    """Declined work items not yet offered again, the longest waiting first."""
    return (
        work_items_for_hub(user)
        .filter(status=WorkItem.Status.DECLINED, reoffer__isnull=True)
        .select_related("referral", "pathway", "provider")
        .only(
            "id",
            "decided_at",
            "decline_reason",
            "referral__id",
            "referral__reference",
            "referral__risk_level",
            "pathway__name",
            "provider__name",
        )
        .order_by("decided_at", "pk")
    )


def work_item_for_reoffer(user: object) -> QuerySet[WorkItem]:
    return work_items_for_hub(user).select_related(
        "referral__person__safe_contact", "pathway", "provider", "decided_by", "reoffer__provider"
    )


def referral_work_items_with_history(referral: Referral) -> list[WorkItem]:
    """The referral's work items, each with the item it re-offers and the item that re-offered it."""
    return list(
        referral.work_items.select_related(
            "pathway", "provider", "reoffer_of__provider", "reoffer__provider", "reoffer__pathway"
        ).order_by("pathway__order", "created_at", "pk")
    )


def reoffer_targets(item: WorkItem, pathways: list[Pathway]) -> list[tuple[Pathway, list]]:
    """Where a declined item may go: each active pathway without a live offer for this referral,
    with its active providers (less the one that declined, on its own pathway); same pathway first."""
    live = set(
        WorkItem.objects.filter(referral_id=item.referral_id)
        .exclude(status=WorkItem.Status.DECLINED)
        .values_list("pathway_id", flat=True)
    )
    targets = []
    for pathway in sorted(pathways, key=lambda p: p.pk != item.pathway_id):
        if pathway.pk in live:
            continue
        providers = [
            o for o in pathway.providers.all() if not (pathway.pk == item.pathway_id and o.pk == item.provider_id)
        ]
        if providers:
            targets.append((pathway, providers))
    return targets
