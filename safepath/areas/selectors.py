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


def areas_by_district() -> dict[str, Area]:
    """Every active area by each of its postcode districts (outward codes), in one query: for
    callers that place many postcodes at once (the import). The same area `area_for_postcode`
    gives: where two areas claim a district, the first by name."""
    index: dict[str, Area] = {}
    for area in Area.objects.filter(is_active=True).order_by("name"):
        for district in area.district_list():
            index.setdefault(district, area)
    return index
