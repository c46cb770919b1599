"""Reads for import runs: scoped to the hub the user is acting for (deny by default)."""

from __future__ import annotations

from django.db.models import QuerySet

from safepath.referrals import rules as perms
from safepath.referrals.models import ImportRun


def import_runs_for(user: object) -> QuerySet[ImportRun]:
    """Runs at the hub the user is acting for, if they may import there (deny by default)."""
    membership = getattr(user, "current_membership", None)
    if membership is None or not user.has_perm(perms.IMPORT):  # type: ignore[attr-defined]
        return ImportRun.objects.none()
    return ImportRun.objects.filter(hub=membership.organisation).select_related("by").order_by("-started_at", "-pk")


def own_import_runs(user: object) -> QuerySet[ImportRun]:
    """Runs the user made themself at that hub: only they may download the rejected rows."""
    return import_runs_for(user).filter(by_id=getattr(user, "pk", None))
