"""Coverage: referrals and people per 1,000 adults in each area, and rural against urban
(Dorset must show it covers the whole rural area)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count

from safepath.areas.models import Area, RuralUrbanClass
from safepath.reporting.metrics.activity import canonical_person, referrals_in
from safepath.reporting.metrics.scope import Scope

RURAL = frozenset({RuralUrbanClass.RURAL_TOWN_FRINGE, RuralUrbanClass.RURAL_VILLAGE_DISPERSED})


@dataclass(frozen=True)
class AreaCoverage:
    area_id: int
    name: str
    rural: bool
    adults: int  # the area's own adult population (16+)
    has_parts: bool  # other areas lie inside it (a council of localities)
    referrals: int  # referrals recorded against this area itself (not the areas inside it)
    people: int


def area_coverage(scope: Scope) -> list[AreaCoverage]:
    """One row per area in scope (every area when unlimited), in name order; three queries."""
    counts = {
        row["area"]: row
        for row in referrals_in(scope)
        .filter(area__isnull=False)
        .values("area")
        .annotate(referrals=Count("pk"), people=Count(canonical_person(), distinct=True))
        .order_by()
    }
    parents = set(Area.objects.filter(parent__isnull=False).values_list("parent", flat=True))
    areas = Area.objects.order_by("name")
    if scope.area_ids is not None:
        areas = areas.filter(pk__in=sorted(scope.area_ids))
    empty = {"referrals": 0, "people": 0}
    return [
        AreaCoverage(
            area_id=a.pk,
            name=a.name,
            rural=a.rural_urban_class in RURAL,
            adults=a.adult_population,
            has_parts=a.pk in parents,
            referrals=counts.get(a.pk, empty)["referrals"],
            people=counts.get(a.pk, empty)["people"],
        )
        for a in areas
    ]


def per_thousand(count: int | None, adults: int) -> float | None:
    return round(count * 1000 / adults, 2) if count is not None and adults else None
