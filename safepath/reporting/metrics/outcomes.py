"""Outcomes of support that ended in the period: change from intake to exit on each outcome
measure, the answer to "has the abuse stopped or reduced" at exit, and risk level change.

The arithmetic is that of `safepath.outcomes.summary` (first intake answer against the latest
exit answer; skipped questions left out), done in the database so that no answer about a person
is read into Python.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from functools import reduce

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery

from safepath.cases.choices import CaseStatus
from safepath.cases.models import Case
from safepath.outcomes.choices import Moment
from safepath.outcomes.models import Recording
from safepath.outcomes.summary import RISK_ORDER
from safepath.reporting.metrics.scope import Scope

ABUSE_CHANGE_FRAMEWORK = "abuse-change"
ABUSE_CHANGE_MEASURE = "overall"
# Points of the "abuse stopped or reduced" scale (outcomes reference data): 1 got worse,
# 2 no change, 3 reduced, 4 stopped.
ABUSE_REDUCED_AT_LEAST = 3


def closed_cases(scope: Scope):  # -> QuerySet[Case]
    """Cases closed in the period (their support ended then)."""
    qs = Case.objects.filter(scope.in_period("closed_at"), status=CaseStatus.CLOSED)
    return scope.cases_in_area(qs)


@dataclass(frozen=True)
class MeasureCounts:
    framework_code: str
    framework: str
    code: str
    question: str
    cases: int  # with an answer at both intake and exit
    better: int
    same: int
    worse: int


def _latest_exit_answers(scope: Scope):  # -> QuerySet[Recording]
    later = Recording.objects.filter(
        case=OuterRef("case"), measure=OuterRef("measure"), moment=Moment.EXIT, value__isnull=False
    ).filter(Q(recorded_at__gt=OuterRef("recorded_at")) | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk")))
    return Recording.objects.filter(
        case__in=closed_cases(scope).values("pk"), moment=Moment.EXIT, value__isnull=False
    ).exclude(Exists(later))


def measure_changes(scope: Scope) -> list[MeasureCounts]:
    """Per measure asked at both intake and exit: cases better, the same and worse."""
    first_intake = (
        Recording.objects.filter(
            case=OuterRef("case"), measure=OuterRef("measure"), moment=Moment.INTAKE, value__isnull=False
        )
        .order_by("recorded_at", "pk")
        .values("value")[:1]
    )
    up, down = Q(value__gt=F("intake")), Q(value__lt=F("intake"))
    hib = Q(measure__higher_is_better=True)
    rows = (
        _latest_exit_answers(scope)
        .annotate(intake=Subquery(first_intake))
        .filter(intake__isnull=False)
        .values("measure", "measure__framework__code", "measure__framework__name", "measure__code", "measure__question")
        .annotate(
            cases=Count("pk"),
            better=Count("pk", filter=(hib & up) | (~hib & down)),
            same=Count("pk", filter=Q(value=F("intake"))),
            worse=Count("pk", filter=(hib & down) | (~hib & up)),
        )
        .order_by("measure__framework__order", "measure__framework__name", "measure__order", "measure")
    )
    return [
        MeasureCounts(
            r["measure__framework__code"],
            r["measure__framework__name"],
            r["measure__code"],
            r["measure__question"],
            r["cases"],
            r["better"],
            r["same"],
            r["worse"],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class AbuseChange:
    answered: int  # cases with an exit answer on the overall question
    stopped_or_reduced: int


def abuse_stopped_or_reduced(scope: Scope) -> AbuseChange:
    row = (
        _latest_exit_answers(scope)
        .filter(measure__framework__code=ABUSE_CHANGE_FRAMEWORK, measure__code=ABUSE_CHANGE_MEASURE)
        .aggregate(answered=Count("pk"), reduced=Count("pk", filter=Q(value__gte=ABUSE_REDUCED_AT_LEAST)))
    )
    return AbuseChange(row["answered"], row["reduced"])


@dataclass(frozen=True)
class RiskChange:
    cases: int  # closed cases that came from a referral
    lower: int
    same: int
    higher: int


def risk_level_change(scope: Scope) -> RiskChange:
    """Risk level on the referral against the case's risk level when it closed."""
    pairs = [(a, b) for a in RISK_ORDER for b in RISK_ORDER]

    def moved(test) -> Q:  # type: ignore[no-untyped-def]
        matches = [Q(referral__risk_level=a, risk_level=b) for a, b in pairs if test(RISK_ORDER[b] - RISK_ORDER[a])]
        return reduce(operator.or_, matches)

    row = (
        closed_cases(scope)
        .filter(referral__isnull=False)
        .aggregate(
            cases=Count("pk"),
            lower=Count("pk", filter=moved(lambda d: d < 0)),
            same=Count("pk", filter=moved(lambda d: d == 0)),
            higher=Count("pk", filter=moved(lambda d: d > 0)),
        )
    )
    return RiskChange(row["cases"], row["lower"], row["same"], row["higher"])
