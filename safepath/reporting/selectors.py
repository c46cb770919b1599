"""Reads for reporting, scoped to the user: which areas they may report on."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from safepath.areas.models import Area
from safepath.core.roles import Role
from safepath.reporting.metrics.scope import with_descendants


def dashboard_areas(user: Any) -> QuerySet[Area]:
    """A commissioner: the areas their organisation serves and every area inside them. An
    administrator: every area. Anyone else: none."""
    membership = getattr(user, "current_membership", None)
    if membership is None:
        return Area.objects.none()
    if membership.role == Role.ADMINISTRATOR:
        return Area.objects.all()
    if membership.role == Role.COMMISSIONER:
        served = membership.organisation.areas.values_list("pk", flat=True)
        return Area.objects.filter(pk__in=sorted(with_descendants(served)))
    return Area.objects.none()


def may_report_on_everything(user: Any) -> bool:
    """Administrators may leave the area blank and see every record, with or without an area."""
    membership = getattr(user, "current_membership", None)
    return bool(membership and membership.role == Role.ADMINISTRATOR)


def dashboard_roots(user: Any) -> list[int] | None:
    """What "all areas" means for the user: None (every record) for an administrator, else the
    areas the commissioner's organisation serves (the areas inside them are added by Scope)."""
    if may_report_on_everything(user):
        return None
    membership = getattr(user, "current_membership", None)
    if membership is None or membership.role != Role.COMMISSIONER:
        return []
    return list(membership.organisation.areas.values_list("pk", flat=True))
