"""Activity: referrals, MARAC, IDVA, group programmes, declines for lack of capacity, trends.

Each function runs a fixed number of aggregate queries, whatever the volume of records.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from safepath.cases.models import Case
from safepath.core.models import VocabularyTerm
from safepath.programmes.models import Attendance, Enrolment
from safepath.referrals.choices import COMPLEX_NEEDS, RiskLevel, Source
from safepath.referrals.models import Referral, WorkItem
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.periods import LOCAL
from safepath.reporting.sql import YearBefore

NO_CAPACITY = "no_capacity"  # the referral_decline_reasons code the Part 4 return counts too


def idva_pathway() -> str:
    """The pathway code whose cases are IDVA support (configurable; "idva" by default)."""
    return getattr(settings, "SAFEPATH_IDVA_PATHWAY", "idva")


def canonical_person() -> Coalesce:
    """A referral's person after matching: a merged record counts as the record it was merged into."""
    return Coalesce(F("person__merged_into"), F("person"))


def referrals_in(scope: Scope):  # -> QuerySet[Referral]
    """The period's referrals in the scope's areas. Filtered on the area column itself (not
    through `Scope.in_area`'s expression), so the database reads the index on (area,
    received_at): one range per area, whether the areas hold a few of the period's referrals (a
    district in a region) or most of them. Same rows: area ids are never 0."""
    qs = Referral.objects.filter(scope.in_period("received_at"))
    if scope.area_ids is None:
        return qs
    return qs.filter(area__in=sorted(scope.area_ids))


@dataclass(frozen=True)
class ReferralCounts:
    total: int
    by_risk: dict[str, int]
    by_source: dict[str, int]
    unique_people: int
    re_referrals_12m: int
    marac_cases: int
    marac_repeats: int
    with_children: int
    children: int
    with_complex_needs: int


# One report's pass over the period's referrals, shared by `referral_counts`,
# `referrals_by_month` and `complex_needs_counts` while `one_referral_pass()` is active
# (None: each function runs its own query, as outside a report).
_PASS: ContextVar[dict | None] = ContextVar("safepath_referral_pass", default=None)


@contextmanager
def one_referral_pass(codes: list[str] | None = None) -> Iterator[None]:
    """While active, the referral counts, the counts by month and the complex needs counts of a
    scope come from one aggregate query over the period's referrals instead of three (a
    region's year is 200,000 referrals, read again by each query). `codes`: the complex-needs
    codes the report asks for, by default the complex-needs vocabulary in the report's order
    (read on first use); other codes asked for cost their own query. Results are kept only
    until the block ends, so a report never sees another report's figures or stale ones."""
    token = _PASS.set({"codes": None if codes is None else list(codes), "rows": {}})
    try:
        yield
    finally:
        _PASS.reset(token)


def _month_bounds(scope: Scope) -> list[tuple[date, datetime]]:
    """Every month the period touches, with the first moment (local time) after its part of
    the period: the end of month m's referrals is the start of month m + 1's."""
    months = scope.period.months()
    bounds = [*(datetime.combine(m, time.min, tzinfo=LOCAL) for m in months[1:]), scope.period.end]
    return list(zip(months, bounds, strict=True))


def _count_aggregates(scope: Scope) -> dict[str, Any]:
    risk = {f"risk_{r}": Count("pk", filter=Q(risk_level=r)) for r in RiskLevel.values}
    source = {f"source_{s}": Count("pk", filter=Q(source=s)) for s in Source.values}
    return {
        "total": Count("pk"),
        "unique_people": Count(canonical_person(), distinct=True),
        "marac_cases": Count("pk", filter=Q(is_marac_case=True)),
        "marac_repeats": Count("pk", filter=Q(is_marac_case=True, is_repeat=True)),
        "with_children": Count("pk", filter=Q(children_in_household__gt=0)),
        "children": Sum("children_in_household", default=0),
        # A JSON list with any string in it has a quote mark in its text (portable test for "not empty").
        "with_complex_needs": Count("pk", filter=Q(complex_needs__icontains='"')),
        **risk,
        **source,
    }


def _month_aggregates(scope: Scope) -> dict[str, Any]:
    """Conditional counts per month: the same buckets as `referrals_by_month`'s CASE (every
    referral of the period is at or after its start)."""
    out: dict[str, Any] = {}
    start = None
    for i, (_, bound) in enumerate(_month_bounds(scope)):
        month = Q(received_at__lt=bound) if start is None else Q(received_at__gte=start, received_at__lt=bound)
        out[f"m{i}_n"] = Count("pk", filter=month)
        out[f"m{i}_high"] = Count("pk", filter=month & Q(risk_level=RiskLevel.HIGH))
        out[f"m{i}_marac"] = Count("pk", filter=month & Q(is_marac_case=True))
        start = bound
    return out


def _need_aggregates(codes: list[str]) -> dict[str, Any]:
    return {f"n{i}": Count("pk", filter=Q(complex_needs__icontains=f'"{code}"')) for i, code in enumerate(codes)}


def _shared_row(scope: Scope) -> dict[str, Any] | None:
    """The scope's row of the active shared pass (run on first use), or None outside one."""
    shared = _PASS.get()
    if shared is None:
        return None
    if scope not in shared["rows"]:
        if shared["codes"] is None:
            terms = VocabularyTerm.objects.filter(vocabulary=COMPLEX_NEEDS).order_by("order", "label")
            shared["codes"] = list(terms.values_list("code", flat=True))
        shared["rows"][scope] = referrals_in(scope).aggregate(
            **_count_aggregates(scope), **_month_aggregates(scope), **_need_aggregates(shared["codes"])
        )
    return shared["rows"][scope]


def referral_counts(scope: Scope) -> ReferralCounts:
    """One aggregate over the period's referrals (shared inside `one_referral_pass`), and one
    for re-referrals."""
    row = _shared_row(scope) or referrals_in(scope).aggregate(**_count_aggregates(scope))
    return ReferralCounts(
        total=row["total"],
        by_risk={r: row[f"risk_{r}"] for r in RiskLevel.values},
        by_source={s: row[f"source_{s}"] for s in Source.values},
        unique_people=row["unique_people"],
        re_referrals_12m=re_referrals_12m(scope),
        marac_cases=row["marac_cases"],
        marac_repeats=row["marac_repeats"],
        with_children=row["with_children"],
        children=row["children"],
        with_complex_needs=row["with_complex_needs"],
    )


def re_referrals_12m(scope: Scope) -> int:
    """Referrals in the period for a person (after matching) with an earlier referral, from any
    area, in the 12 calendar months before."""
    window = Q(received_at__lt=OuterRef("received_at"), received_at__gte=YearBefore(OuterRef("received_at")))
    # The earlier referral's person is the matched person or a record merged into it: two
    # lookups that each use an index, rather than one on a computed value that cannot.
    same = Referral.objects.filter(window, person=OuterRef("_who")).values("pk")
    merged = Referral.objects.filter(window, person__merged_into=OuterRef("_who")).values("pk")
    return referrals_in(scope).annotate(_who=canonical_person()).filter(Exists(same) | Exists(merged)).count()


def complex_needs_counts(scope: Scope, codes: list[str]) -> dict[str, int]:
    """Referrals in the period recording each complex need (a referral may record several)."""
    if not codes:
        return {}
    row = _shared_row(scope)
    if row is None or codes != _PASS.get()["codes"]:
        row = referrals_in(scope).aggregate(**_need_aggregates(codes))
    return {code: row[f"n{i}"] for i, code in enumerate(codes)}


@dataclass(frozen=True)
class IdvaCounts:
    referrals: int
    engaged: int


def idva_counts(scope: Scope) -> IdvaCounts:
    """IDVA cases opened in the period, and those among them where the person engaged."""
    qs = Case.objects.filter(scope.in_period("opened_at"), pathway__code=idva_pathway())
    row = scope.cases_in_area(qs).aggregate(
        referrals=Count("pk"), engaged=Count("pk", filter=Q(engaged_at__isnull=False))
    )
    return IdvaCounts(referrals=row["referrals"], engaged=row["engaged"])


@dataclass(frozen=True)
class ProgrammeCounts:
    attendees: int  # enrolments with at least one session attended in the period
    attendances: int  # sessions attended, counted per person and session
    completed: int  # enrolments completed in the period


def programme_counts(scope: Scope) -> ProgrammeCounts:
    attended = Attendance.objects.filter(scope.in_period("session__starts_at"), attended=True)
    row = scope.cases_in_area(attended, "enrolment__case__").aggregate(
        attendees=Count("enrolment", distinct=True), attendances=Count("pk")
    )
    completed = Enrolment.objects.filter(scope.in_period("completed_at"))
    return ProgrammeCounts(
        attendees=row["attendees"],
        attendances=row["attendances"],
        completed=scope.cases_in_area(completed, "case__").count(),
    )


def declined_no_capacity(scope: Scope) -> int:
    """Routed referrals a provider declined in the period because it had no capacity."""
    qs = WorkItem.objects.filter(scope.in_period("decided_at"), status=WorkItem.Status.DECLINED)
    return scope.in_area(qs.filter(decline_reason=NO_CAPACITY), "referral__area").count()


@dataclass(frozen=True)
class MonthCounts:
    month: date
    referrals: int
    high_risk: int
    marac_cases: int


def referrals_by_month(scope: Scope) -> list[MonthCounts]:
    """Every month the period touches, including months with none. Months are bucketed by
    comparing with each month's first moment in local time (portable, and no per-row time
    zone conversion). Inside `one_referral_pass`, read from the shared aggregate."""
    months = _month_bounds(scope)
    shared = _shared_row(scope)
    if shared is not None:
        return [
            MonthCounts(m, shared[f"m{i}_n"], shared[f"m{i}_high"], shared[f"m{i}_marac"])
            for i, (m, _) in enumerate(months)
        ]
    bucket = SqlCase(
        *(When(received_at__lt=bound, then=Value(m.isoformat())) for m, bound in months),
        output_field=CharField(),
    )
    rows = (
        referrals_in(scope)
        .annotate(month=bucket)
        .values("month")
        .annotate(
            n=Count("pk"),
            high=Count("pk", filter=Q(risk_level=RiskLevel.HIGH)),
            marac=Count("pk", filter=Q(is_marac_case=True)),
        )
        .order_by()
    )
    found = {r["month"]: r for r in rows}
    empty = {"n": 0, "high": 0, "marac": 0}
    return [
        MonthCounts(
            m,
            found.get(m.isoformat(), empty)["n"],
            found.get(m.isoformat(), empty)["high"],
            found.get(m.isoformat(), empty)["marac"],
        )
        for m, _ in months
    ]
