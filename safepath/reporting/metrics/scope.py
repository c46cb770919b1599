"""What a report covers: a period and, optionally, the areas it is limited to."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from safepath.areas.models import Area
from safepath.reporting.periods import Period


@dataclass(frozen=True)
class Scope:
    period: Period
    # None: no area filter (every record, including those with no area). Otherwise the ids of
    # the areas chosen and all the areas inside them.
    area_ids: frozenset[int] | None = None
    # The areas chosen (before adding the areas inside them): their population is the base of
    # reach figures. None: every top-level area.
    roots: tuple[int, ...] | None = None

    @classmethod
    def for_areas(cls, period: Period, roots: Iterable[int] | None) -> Scope:
        if roots is None:
            return cls(period)
        chosen = tuple(sorted(set(roots)))
        return cls(period, with_descendants(chosen), chosen)

    def in_period(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.period.start, f"{field}__lt": self.period.end})

    def in_area(self, qs: QuerySet, field: str) -> QuerySet:
        if self.area_ids is None:
            return qs
        # Compared through an expression so the database reads by the period's index: an area
        # (a county) often holds most of the records, while a period holds a small share of them.
        return qs.alias(_area=Coalesce(F(field), Value(0))).filter(_area__in=sorted(self.area_ids))

    def cases_in_area(self, qs: QuerySet, prefix: str = "") -> QuerySet:
        """A case's area is its referral's area, or the person's when it came by another route."""
        if self.area_ids is None:
            return qs
        qs = qs.annotate(_area=Coalesce(F(f"{prefix}referral__area"), F(f"{prefix}person__area")))
        return qs.filter(_area__in=sorted(self.area_ids))


def with_descendants(roots: Iterable[int]) -> frozenset[int]:
    """The given areas and every area inside them (Area.parent, any depth). Areas are a short
    configured list, so one query reads all the links."""
    children: dict[int | None, list[int]] = {}
    for pk, parent in Area.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found: set[int] = set()
    todo = list(roots)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, ()))
    return frozenset(found)
