"""Outcomes of support that ended in the period, per pathway and per provider organisation.

The definitions are those of `metrics.outcomes` (cases closed in the period; first intake answer
against the latest exit answer, skipped questions left out; "has the abuse stopped or reduced" at
exit; risk level on the referral against the case's risk level at closure), counted per group.

Every family of figures is one aggregate query grouped by (pathway, provider): a case has one of
each, so the counts per pathway and per provider are sums over that small grid, and disclosure
control can treat the grid as one table whose row totals are the pathways and whose column totals
are the providers (a figure hidden in one breakdown cannot then be worked out from the other).
"""

from __future__ import annotations

import operator
from dataclasses import dataclass, field
from functools import reduce

from django.db.models import Count, F, OuterRef, Q, Subquery

from safepath.outcomes.choices import Moment
from safepath.outcomes.models import Recording
from safepath.outcomes.summary import RISK_ORDER
from safepath.reporting.metrics.outcomes import (
    ABUSE_CHANGE_FRAMEWORK,
    ABUSE_CHANGE_MEASURE,
    ABUSE_REDUCED_AT_LEAST,
    _latest_exit_answers,
    closed_cases,
)
from safepath.reporting.metrics.scope import Scope

Cell = tuple[int, int]  # (pathway id, provider id)

# The figures counted per (pathway, provider). Each outcome is a number of cases out of a base:
# (numerator, base) keys.
CLOSED = "closed"
IMPROVED, COMPARED = "improved", "compared"
REDUCED, ANSWERED = "reduced", "answered"
LOWER, RISK_CASES = "lower", "risk_cases"
OUTCOMES: tuple[tuple[str, str], ...] = ((IMPROVED, COMPARED), (REDUCED, ANSWERED), (LOWER, RISK_CASES))


@dataclass(frozen=True)
class Group:
    id: int
    code: str  # the pathway's code; for a provider, its id as text
    name: str
    order: tuple[int | str, ...]


@dataclass
class GroupCounts:
    """Counts per (pathway, provider) cell; a cell with no closed case is absent (all zero)."""

    pathways: dict[int, Group] = field(default_factory=dict)
    providers: dict[int, Group] = field(default_factory=dict)
    cells: dict[Cell, dict[str, int]] = field(default_factory=dict)

    def get(self, cell: Cell, key: str) -> int:
        return self.cells.get(cell, {}).get(key, 0)

    def pathway_order(self) -> list[int]:
        return sorted(self.pathways, key=lambda pk: self.pathways[pk].order)

    def provider_order(self) -> list[int]:
        return sorted(self.providers, key=lambda pk: self.providers[pk].order)

    def grid(self, key: str) -> list[list[int]]:
        """Pathways (rows) by providers (columns) for one figure."""
        return [[self.get((p, v), key) for v in self.provider_order()] for p in self.pathway_order()]


def outcome_group_counts(scope: Scope) -> GroupCounts:
    """Three aggregate queries, whatever the number of cases, pathways or providers."""
    counts = GroupCounts()
    _closed_and_risk(scope, counts)
    _improved(scope, counts)
    _abuse(scope, counts)
    return counts


def _add(counts: GroupCounts, row: dict, keys: tuple[str, ...], prefix: str = "") -> None:
    cell = (row[f"{prefix}pathway"], row[f"{prefix}provider"])
    values = counts.cells.setdefault(cell, {})
    for key in keys:
        values[key] = values.get(key, 0) + row[key]


def _risk_lower() -> Q:
    """The referral's risk level was higher than the case's at closure."""
    pairs = [(a, b) for a in RISK_ORDER for b in RISK_ORDER if RISK_ORDER[b] < RISK_ORDER[a]]
    return reduce(operator.or_, [Q(referral__risk_level=a, risk_level=b) for a, b in pairs])


def _closed_and_risk(scope: Scope, counts: GroupCounts) -> None:
    rows = (
        closed_cases(scope)
        .values("pathway", "pathway__code", "pathway__name", "pathway__order", "provider", "provider__name")
        .annotate(
            closed=Count("pk"),
            risk_cases=Count("pk", filter=Q(referral__isnull=False)),
            lower=Count("pk", filter=Q(referral__isnull=False) & _risk_lower()),
        )
        .order_by()
    )
    for row in rows:
        p, v = row["pathway"], row["provider"]
        counts.pathways[p] = Group(
            p, row["pathway__code"], row["pathway__name"], (row["pathway__order"], row["pathway__name"])
        )
        counts.providers[v] = Group(v, str(v), row["provider__name"], (row["provider__name"],))
        _add(counts, row, (CLOSED, RISK_CASES, LOWER))


def _improved(scope: Scope, counts: GroupCounts) -> None:
    """Cases compared on at least one measure, and those better at exit on at least one."""
    first_intake = (
        Recording.objects.filter(
            case=OuterRef("case"), measure=OuterRef("measure"), moment=Moment.INTAKE, value__isnull=False
        )
        .order_by("recorded_at", "pk")
        .values("value")[:1]
    )
    hib = Q(measure__higher_is_better=True)
    better = (hib & Q(value__gt=F("intake"))) | (~hib & Q(value__lt=F("intake")))
    rows = (
        _latest_exit_answers(scope)
        .annotate(intake=Subquery(first_intake))
        .filter(intake__isnull=False)
        .values("case__pathway", "case__provider")
        .annotate(compared=Count("case", distinct=True), improved=Count("case", distinct=True, filter=better))
        .order_by()
    )
    for row in rows:
        _add(counts, row, (COMPARED, IMPROVED), "case__")


def _abuse(scope: Scope, counts: GroupCounts) -> None:
    rows = (
        _latest_exit_answers(scope)
        .filter(measure__framework__code=ABUSE_CHANGE_FRAMEWORK, measure__code=ABUSE_CHANGE_MEASURE)
        .values("case__pathway", "case__provider")
        .annotate(answered=Count("pk"), reduced=Count("pk", filter=Q(value__gte=ABUSE_REDUCED_AT_LEAST)))
        .order_by()
    )
    for row in rows:
        _add(counts, row, (ANSWERED, REDUCED), "case__")
