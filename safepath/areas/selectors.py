"""Reads for areas. Areas are configuration, visible to those who may view them."""

from __future__ import annotations

from django.db.models import QuerySet

from safepath.areas.models import Area


def areas_for(user: object) -> QuerySet[Area]:
    if not getattr(user, "has_perm", None) or not user.has_perm("areas.view_areas"):  # type: ignore[attr-defined]
        return Area.objects.none()
    return Area.objects.select_related("parent")


def area_for_postcode(postcode: str) -> Area | None:
    """The active area whose postcode districts include this postcode's outward code."""
    compact = postcode.replace(" ", "").upper()
    if len(compact) < 5:
        return None
    outward = compact[:-3]
    return Area.objects.filter(is_active=True, postcode_districts__regex=rf"(^| ){outward}( |$)").first()
