"""Capacity: waiting lists, time to first contact and caseloads against benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q

from safepath.cases.choices import OPEN_STATUSES
from safepath.cases.models import Case, PathwaySettings
from safepath.referrals.models import Pathway
from safepath.reporting.metrics.scope import Scope


def cases_opened(scope: Scope):  # -> QuerySet[Case]
    return scope.cases_in_area(Case.objects.filter(scope.in_period("opened_at")))


@dataclass(frozen=True)
class Median:
    cases: int  # cases the median is taken over
    days: float | None  # None when there are none


def median_days_to_first_contact(scope: Scope) -> Median:
    """Over cases opened in the period that have had a first contact: the median number of days
    (fractional) from the case opening to the first contact made with the person.

    Portable on SQLite and PostgreSQL: count, then read only the middle one or two durations of
    the sorted column (no per-case rows read into Python)."""
    wait = ExpressionWrapper(F("first_contact_at") - F("opened_at"), output_field=DurationField())
    qs = cases_opened(scope).filter(first_contact_at__isnull=False).annotate(wait=wait)
    n = qs.count()
    if n == 0:
        return Median(0, None)
    middle = list(qs.order_by("wait", "pk").values_list("wait", flat=True)[(n - 1) // 2 : n // 2 + 1])
    return Median(n, _days(sum(middle, timedelta()) / len(middle)))


def _days(value: timedelta) -> float:
    return round(value.total_seconds() / 86_400, 1)


@dataclass(frozen=True)
class PathwayCapacity:
    code: str
    name: str
    waiting_at_end: int  # opened by the end of the period and not yet allocated or closed then
    workers: int  # key workers holding open cases on the pathway now
    open_cases: int  # open cases with a key worker now
    over_benchmark: int  # workers whose caseload is above the pathway's upper benchmark
    benchmark_low: int
    benchmark_high: int

    @property
    def average_caseload(self) -> float | None:
        return round(self.open_cases / self.workers, 1) if self.workers else None


def pathway_capacity(scope: Scope) -> list[PathwayCapacity]:
    """Per active pathway. Caseloads are as they stand now; waiting is as it stood at the end of
    the period. Three queries, whatever the number of cases."""
    end = scope.period.end
    waiting = (
        scope.cases_in_area(Case.objects.filter(opened_at__lt=end))
        .filter(Q(allocated_at__isnull=True) | Q(allocated_at__gte=end))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .values("pathway")
        .annotate(n=Count("pk"))
        .order_by()
    )
    waiting_by = {r["pathway"]: r["n"] for r in waiting}
    loads = (
        scope.cases_in_area(Case.objects.filter(status__in=OPEN_STATUSES, key_worker__isnull=False))
        .values("pathway", "key_worker")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_pathway: dict[int, list[int]] = {}
    for row in loads:  # one row per worker, not per case
        per_pathway.setdefault(row["pathway"], []).append(row["n"])
    benchmarks = {s.pathway_id: (s.caseload_low, s.caseload_high) for s in PathwaySettings.objects.all()}
    out = []
    for pathway in Pathway.objects.filter(is_active=True):
        low, high = benchmarks.get(pathway.pk, (60, 80))
        counts = per_pathway.get(pathway.pk, [])
        out.append(
            PathwayCapacity(
                code=pathway.code,
                name=pathway.name,
                waiting_at_end=waiting_by.get(pathway.pk, 0),
                workers=len(counts),
                open_cases=sum(counts),
                over_benchmark=sum(1 for c in counts if c > high),
                benchmark_low=low,
                benchmark_high=high,
            )
        )
    return out
