"""The commissioner's performance report: metrics with disclosure control applied.

`build_report` computes every metric for a scope and passes each figure through
`safepath.reporting.disclosure` (or shows it as it is with `suppress=False`). The result feeds
the JSON of `safepath report` (INTERFACES.md: keys are a contract), the CSV/XLSX table, the
printable HTML and the dashboard, so all of them show the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from safepath.core.models import VocabularyTerm
from safepath.referrals.choices import COMPLEX_NEEDS
from safepath.reporting import disclosure as dc
from safepath.reporting.disclosure import Figure
from safepath.reporting.metrics import activity, capacity, coverage, demand, outcomes
from safepath.reporting.metrics.definitions import DEFINITIONS
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.models import ReferenceRate
from safepath.reporting.sections import sections


@dataclass
class Report:
    scope: Scope
    area: str | None
    suppress: bool
    referrals: dict[str, Any] = field(default_factory=dict)
    marac: dict[str, Any] = field(default_factory=dict)
    idva: dict[str, Any] = field(default_factory=dict)
    waiting: dict[str, Any] = field(default_factory=dict)
    programmes: dict[str, Any] = field(default_factory=dict)
    outcomes: dict[str, Any] = field(default_factory=dict)
    demand: dict[str, Any] = field(default_factory=dict)
    capacity: list[dict[str, Any]] = field(default_factory=list)
    coverage: dict[str, Any] = field(default_factory=dict)
    trends: list[dict[str, Any]] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)  # sections.Section.key -> its build()


class _Rules:
    """Disclosure control with suppression on or off, in one place."""

    def __init__(self, suppress: bool) -> None:
        self.on = suppress

    def count(self, n: int) -> Figure:
        return dc.suppress_count(n, suppress=self.on)

    def series(self, counts: dict[str, int]) -> tuple[dict[str, Figure], Figure]:
        figures, total = dc.suppress_series(counts, total=True, suppress=self.on)
        assert total is not None
        return figures, total

    def rate(self, numerator: Figure, base: Figure) -> float | None:
        if self.on:
            return dc.suppress_rate(numerator, base)
        return dc.rate_unsuppressed(numerator.value or 0, base.value or 0)

    def part(self, part: int, whole: int) -> tuple[Figure, Figure, float | None]:
        """A count and the total it is part of (e.g. repeats of MARAC cases), suppressed together so
        the remainder cannot be worked out either."""
        figures, total = self.series({"part": part, "rest": whole - part})
        return figures["part"], total, self.rate(figures["part"], total)


def build_report(scope: Scope, *, area: str | None = None, suppress: bool = True) -> Report:
    rules = _Rules(suppress)
    report = Report(scope=scope, area=area, suppress=suppress)
    with activity.one_referral_pass():  # one read of the period's referrals for three metrics
        _activity(report, rules)
        _outcomes(report, rules)
        _demand(report, rules)
        _capacity(report, rules)
        _coverage(report, rules)
        for section in sections():
            report.sections[section.key] = section.build(report, rules)
    return report


def _activity(report: Report, rules: _Rules) -> None:
    scope = report.scope
    counts = activity.referral_counts(scope)
    by_risk, total = rules.series(counts.by_risk)
    by_source, _ = rules.series(counts.by_source)
    re_referrals, _, re_rate = rules.part(counts.re_referrals_12m, counts.total)
    report.referrals = {
        "total": total,
        "by_risk": by_risk,
        "by_source": by_source,
        "unique_people": rules.count(counts.unique_people),
        "re_referrals_12m": re_referrals,
        "re_referral_rate": re_rate,
        "with_children": rules.count(counts.with_children),
        "children": rules.count(counts.children),
        "with_complex_needs": rules.count(counts.with_complex_needs),
    }
    repeats, cases, repeat_rate = rules.part(counts.marac_repeats, counts.marac_cases)
    report.marac = {"cases": cases, "repeats": repeats, "repeat_rate": repeat_rate}
    idva = activity.idva_counts(scope)
    engaged, referrals, engagement_rate = rules.part(idva.engaged, idva.referrals)
    report.idva = {"referrals": referrals, "engaged": engaged, "engagement_rate": engagement_rate}
    median = capacity.median_days_to_first_contact(scope)
    base = rules.count(median.cases)
    report.waiting = {
        "median_days_to_first_contact": None if base.suppressed else median.days,
        "cases_with_first_contact": base,
        "declined_no_capacity": rules.count(activity.declined_no_capacity(scope)),
    }
    programmes = activity.programme_counts(scope)
    report.programmes = {
        "attendees": rules.count(programmes.attendees),
        "attendances": rules.count(programmes.attendances),
        "completed": rules.count(programmes.completed),
    }
    months = activity.referrals_by_month(scope)
    referrals_by_month, _ = rules.series({m.month.isoformat(): m.referrals for m in months})
    high_by_month, _ = rules.series({m.month.isoformat(): m.high_risk for m in months})
    marac_by_month, _ = rules.series({m.month.isoformat(): m.marac_cases for m in months})
    report.trends = [
        {
            "month": key,
            "referrals": referrals_by_month[key],
            "high_risk": high_by_month[key],
            "marac_cases": marac_by_month[key],
        }
        for key in referrals_by_month
    ]


def _outcomes(report: Report, rules: _Rules) -> None:
    measures = {}
    for m in outcomes.measure_changes(report.scope):
        figures, cases = rules.series({"better": m.better, "same": m.same, "worse": m.worse})
        measures[f"{m.framework_code}.{m.code}"] = {
            "framework": m.framework,
            "question": m.question,
            "cases": cases,
            **figures,
            "improved_rate": rules.rate(figures["better"], cases),
        }
    abuse = outcomes.abuse_stopped_or_reduced(report.scope)
    reduced, answered, reduced_rate = rules.part(abuse.stopped_or_reduced, abuse.answered)
    risk = outcomes.risk_level_change(report.scope)
    moved, risk_cases = rules.series({"lower": risk.lower, "same": risk.same, "higher": risk.higher})
    report.outcomes = {
        "measures": measures,
        "abuse_stopped_or_reduced": {"answered": answered, "stopped_or_reduced": reduced, "rate": reduced_rate},
        "risk_level_change": {"cases": risk_cases, **moved, "lower_rate": rules.rate(moved["lower"], risk_cases)},
    }


def _demand(report: Report, rules: _Rules) -> None:
    scope = report.scope
    profile = demand.people_profile(scope)
    sexes, bands = demand.SEXES, demand.BAND_CODES
    table = dc.suppress_table([[profile.by_band_and_sex[(b, s)] for s in sexes] for b in bands], suppress=rules.on)
    population = demand.population(scope.roots)
    grand = table.grand_total or rules.count(profile.total)
    by_sex = dict(zip(sexes, table.col_totals, strict=True))
    rates = list(ReferenceRate.objects.filter(is_active=True))
    report.demand = {
        "people": grand,
        "by_age_band_and_sex": {
            b: {s: table.cells[i][j] for j, s in enumerate(sexes)} | {"total": table.row_totals[i]}
            for i, b in enumerate(bands)
        },
        "by_sex": by_sex,
        "population": {"women": population.women, "men": population.men},
        "reach": _reach(rates, by_sex, grand, population),
        "age_reference": _age_reference(rates, table, bands, grand, rules),
        "complex_needs": _complex_needs(scope, rules),
    }


def _reach(
    rates: list[ReferenceRate], by_sex: dict[str, Figure], people: Figure, population: demand.Population
) -> list[dict[str, Any]]:
    """Per sex-wide reference rate (all ages 16+): expected victims in the area and the share referred."""
    groups = {
        "female": (by_sex["female"], population.women),
        "male": (by_sex["male"], population.men),
        "all": (people, population.adults),
    }
    out = []
    for rate in rates:
        if rate.age_from != 16 or rate.age_to is not None or rate.sex not in groups:
            continue
        referred, adults = groups[rate.sex]
        expected = round(adults * rate.percent / Decimal(100))
        share = None if referred.suppressed or not expected else round((referred.value or 0) / expected, 3)
        out.append(
            {
                "group": rate.label,
                "percent": float(rate.percent),
                "source": rate.source,
                "adults": adults,
                "expected": expected,
                "people": referred,
                "reach": share,
            }
        )
    return out


def _age_reference(
    rates: list[ReferenceRate], table: dc.SuppressedTable, bands: tuple[str, ...], people: Figure, rules: _Rules
) -> list[dict[str, Any]]:
    """Each age band: its share of the people referred, beside the reference rate for that age."""
    by_bounds = {(r.age_from, r.age_to): r for r in rates if r.sex == ReferenceRate.SexGroup.ALL}
    out = []
    for i, band in enumerate(bands):
        bounds = next(((low, high) for code, low, high in demand.AGE_BANDS if code == band), None)
        rate = by_bounds.get(bounds) if bounds else None
        figure = table.row_totals[i]
        out.append(
            {
                "band": band,
                "label": demand.band_label(band),
                "people": figure,
                "share": rules.rate(figure, people),
                "reference_percent": float(rate.percent) if rate else None,
            }
        )
    return out


def _complex_needs(scope: Scope, rules: _Rules) -> dict[str, Any]:
    terms = list(VocabularyTerm.objects.filter(vocabulary=COMPLEX_NEEDS).order_by("order", "label"))
    counts = activity.complex_needs_counts(scope, [t.code for t in terms])
    return {t.code: {"label": t.label, "referrals": rules.count(counts[t.code])} for t in terms}


def _capacity(report: Report, rules: _Rules) -> None:
    rows = capacity.pathway_capacity(report.scope)
    waiting, _ = rules.series({r.code: r.waiting_at_end for r in rows})
    report.capacity = [
        {
            "code": r.code,
            "name": r.name,
            "waiting_at_end": waiting[r.code],
            "workers": r.workers,
            "average_caseload": r.average_caseload,
            "over_benchmark": r.over_benchmark,
            "benchmark": f"{r.benchmark_low}–{r.benchmark_high}",
        }
        for r in rows
    ]


def _coverage(report: Report, rules: _Rules) -> None:
    """Per area: referrals and people per 1,000 adults; and rural against urban areas."""
    # An area made of other areas is reported through its parts: its population is theirs, so
    # it is left out unless referrals were recorded against it alone (then shown without a rate).
    rows = [r for r in coverage.area_coverage(report.scope) if not r.has_parts or r.referrals]
    referrals, _ = rules.series({str(r.area_id): r.referrals for r in rows})
    people, _ = rules.series({str(r.area_id): r.people for r in rows})

    def rate(figure: Figure, adults: int) -> float | None:
        return None if figure.suppressed else coverage.per_thousand(figure.value, adults)

    by_area = [
        {
            "area": r.name,
            "rural": r.rural,
            "adults": r.adults,
            "referrals": referrals[str(r.area_id)],
            "people": people[str(r.area_id)],
            "referrals_per_1000": None if r.has_parts else rate(referrals[str(r.area_id)], r.adults),
            "people_per_1000": None if r.has_parts else rate(people[str(r.area_id)], r.adults),
        }
        for r in rows
    ]
    parts = [r for r in rows if not r.has_parts]
    kinds = {"rural": [r for r in parts if r.rural], "urban": [r for r in parts if not r.rural]}
    totals, _ = rules.series({k: sum(r.referrals for r in v) for k, v in kinds.items()})
    adults = {k: sum(r.adults for r in v) for k, v in kinds.items()}
    report.coverage = {
        "by_area": by_area,
        "rural_urban": {
            k: {"adults": adults[k], "referrals": totals[k], "referrals_per_1000": rate(totals[k], adults[k])}
            for k in kinds
        },
    }


# --- JSON (INTERFACES.md) ------------------------------------------------------------------


def to_json(report: Report) -> dict[str, Any]:
    period = report.scope.period
    return {
        "period": {"from": period.first.isoformat(), "to": period.last.isoformat()},
        "area": report.area,
        "referrals": _plain(report.referrals),
        "marac": _plain(report.marac),
        "idva": _plain(report.idva),
        "waiting": _plain(report.waiting)
        | {"by_pathway": {c["code"]: c["waiting_at_end"].json for c in report.capacity}},
        "programmes": _plain(report.programmes),
        "outcomes": _plain(report.outcomes),
        "demand": _plain({k: v for k, v in report.demand.items() if k not in ("reach", "age_reference")})
        | {"reach": _plain(report.demand["reach"]), "age_reference": _plain(report.demand["age_reference"])},
        "coverage": _plain(report.coverage),
        "trends": {"by_month": _plain(report.trends)},
        **{s.key: value for s in sections() if (value := s.json(report)) is not None},
        "definitions": DEFINITIONS,
        "suppressed": report.suppress,
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Figure):
        return value.json
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
