"""Activity: referrals, MARAC, IDVA, group programmes, declines for lack of capacity, trends.

Each function runs a fixed number of aggregate queries, whatever the volume of records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from safepath.cases.models import Case
from safepath.programmes.models import Attendance, Enrolment
from safepath.referrals.choices import RiskLevel, Source
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


def referral_counts(scope: Scope) -> ReferralCounts:
    """One aggregate over the period's referrals, and one for re-referrals."""
    risk = {f"risk_{r}": Count("pk", filter=Q(risk_level=r)) for r in RiskLevel.values}
    source = {f"source_{s}": Count("pk", filter=Q(source=s)) for s in Source.values}
    row = referrals_in(scope).aggregate(
        total=Count("pk"),
        unique_people=Count(canonical_person(), distinct=True),
        marac_cases=Count("pk", filter=Q(is_marac_case=True)),
        marac_repeats=Count("pk", filter=Q(is_marac_case=True, is_repeat=True)),
        with_children=Count("pk", filter=Q(children_in_household__gt=0)),
        children=Sum("children_in_household", default=0),
        # A JSON list with any string in it has a quote mark in its text (portable test for "not empty").
        with_complex_needs=Count("pk", filter=Q(complex_needs__icontains='"')),
        **risk,
        **source,
    )
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
    row = referrals_in(scope).aggregate(
        **{f"n{i}": Count("pk", filter=Q(complex_needs__icontains=f'"{code}"')) for i, code in enumerate(codes)}
    )
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
    zone conversion)."""
    months = scope.period.months()
    bounds = [*(datetime.combine(m, time.min, tzinfo=LOCAL) for m in months[1:]), scope.period.end]
    bucket = SqlCase(
        *(When(received_at__lt=bound, then=Value(m.isoformat())) for m, bound in zip(months, bounds, strict=True)),
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
        for m in months
    ]
