"""Drop-in contacts for the commissioner's report: aggregate queries over a report's scope.

A visit is in the period by its date, and in an area by its venue's area. Three queries,
whatever the number of visits: totals and outcomes; by venue; by month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from safepath.dropins import selectors
from safepath.dropins.models import Visit, Visitor
from safepath.reporting.metrics.scope import Scope


def visits_in(scope: Scope) -> QuerySet[Visit]:
    period = scope.period
    return scope.in_area(Visit.objects.filter(on__gte=period.first, on__lte=period.last), "venue__area")


@dataclass(frozen=True)
class ContactCounts:
    total: int
    new: int
    returning: int
    linked_to_case: int
    by_outcome: dict[str, int]  # a visit may record several outcomes: these do not add up


def contact_counts(scope: Scope, codes: list[str]) -> ContactCounts:
    row = visits_in(scope).aggregate(
        total=Count("pk"),
        new=Count("pk", filter=Q(visitor=Visitor.NEW)),
        linked=Count("pk", filter=Q(case__isnull=False)),
        **{f"o{i}": Count("pk", filter=selectors.with_outcome(code)) for i, code in enumerate(codes)},
    )
    return ContactCounts(
        total=row["total"],
        new=row["new"],
        returning=row["total"] - row["new"],
        linked_to_case=row["linked"],
        by_outcome={code: row[f"o{i}"] for i, code in enumerate(codes)},
    )


@dataclass(frozen=True)
class VenueCounts:
    venue_id: int
    name: str
    area: str
    new: int
    returning: int


def by_venue(scope: Scope) -> list[VenueCounts]:
    """Venues with a visit in the scope, by area then name."""
    rows = (
        visits_in(scope)
        .values("venue", "venue__name", "venue__area__name")
        .annotate(
            new=Count("pk", filter=Q(visitor=Visitor.NEW)),
            returning=Count("pk", filter=Q(visitor=Visitor.RETURNING)),
        )
        .order_by("venue__area__name", "venue__name", "venue")
    )
    return [VenueCounts(r["venue"], r["venue__name"], r["venue__area__name"], r["new"], r["returning"]) for r in rows]


@dataclass(frozen=True)
class MonthCounts:
    month: date
    new: int
    returning: int


def by_month(scope: Scope) -> list[MonthCounts]:
    """Every month the period touches, months with none included."""
    period = scope.period
    months = selectors.visits_by_month_and_venue(visits_in(scope), period.first, period.last)
    return [MonthCounts(m.month, m.new, m.returning) for m in months]
