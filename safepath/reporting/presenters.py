"""Display values for the dashboard and the printable report: labels, percentages, charts.

Everything shown comes from a `Report`, whose figures have been through disclosure control.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from markupsafe import Markup

from safepath.people.choices import Sex
from safepath.referrals.choices import RiskLevel, Source
from safepath.reporting import charts
from safepath.reporting.disclosure import Figure, threshold
from safepath.reporting.metrics.definitions import definition
from safepath.reporting.report import Report
from safepath.reporting.sections import BUILT_IN, after, sections

HIDDEN_RATE = "–"


def percent(rate: float | None) -> str:
    return HIDDEN_RATE if rate is None else f"{rate * 100:.1f}%"


def _number(value: Figure | float | int | None) -> str:
    if isinstance(value, Figure):
        return value.display
    if value is None:
        return HIDDEN_RATE
    return f"{value:,}"


def _chart_value(value: Figure) -> int | None:
    return None if value.suppressed else value.value


@dataclass(frozen=True)
class Line:
    label: str
    value: str
    rate: str = ""
    definition: str = ""


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    svg: Markup | bytes  # PNG bytes when drawn for a document
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]
    text_columns: int = 1  # leading columns of words; the rest are figures


def _month_label(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%b %Y")


def activity_lines(r: Report) -> list[Line]:
    d = definition
    return [
        Line("Referrals", _number(r.referrals["total"]), "", d("referrals.total")),
        *[
            Line(f"{RiskLevel(k).label} risk", _number(v), "", d("referrals.by_risk"))
            for k, v in r.referrals["by_risk"].items()
        ],
        Line("Different people referred", _number(r.referrals["unique_people"]), "", d("referrals.unique_people")),
        Line(
            "Re-referrals within 12 months",
            _number(r.referrals["re_referrals_12m"]),
            percent(r.referrals["re_referral_rate"]),
            d("referrals.re_referrals_12m"),
        ),
        Line("MARAC cases", _number(r.marac["cases"]), "", d("marac.cases")),
        Line(
            "MARAC repeat cases", _number(r.marac["repeats"]), percent(r.marac["repeat_rate"]), d("marac.repeat_rate")
        ),
        Line("IDVA referrals", _number(r.idva["referrals"]), "", d("idva.referrals")),
        Line("IDVA engaged", _number(r.idva["engaged"]), percent(r.idva["engagement_rate"]), d("idva.engagement_rate")),
        Line("Group programme places attended", _number(r.programmes["attendees"]), "", d("programmes.attendees")),
        Line(
            "Group programme sessions attended", _number(r.programmes["attendances"]), "", d("programmes.attendances")
        ),
        Line("Group programme places completed", _number(r.programmes["completed"]), "", d("programmes.completed")),
    ]


def source_chart(r: Report, fmt: str = "svg") -> Chart:
    items = [(str(Source(k).label), v) for k, v in r.referrals["by_source"].items()]
    title = "Referrals by source"
    return Chart(
        "sources",
        title,
        charts.bar_chart("sources", title, [k for k, _ in items], [_chart_value(v) for _, v in items], fmt),
        ("Source", "Referrals"),
        [(k, v.display) for k, v in items],
    )


def trend_chart(r: Report, fmt: str = "svg") -> Chart:
    months = [_month_label(t["month"]) for t in r.trends]
    series = {
        "Referrals": [_chart_value(t["referrals"]) for t in r.trends],
        "High risk": [_chart_value(t["high_risk"]) for t in r.trends],
        "MARAC cases": [_chart_value(t["marac_cases"]) for t in r.trends],
    }
    title = "Referrals by month"
    rows = [
        (m, t["referrals"].display, t["high_risk"].display, t["marac_cases"].display)
        for m, t in zip(months, r.trends, strict=True)
    ]
    return Chart(
        "trend",
        title,
        charts.line_chart("trend", title, months, series, fmt),
        ("Month", "Referrals", "High risk", "MARAC cases"),
        rows,
    )


def outcome_chart(r: Report, fmt: str = "svg") -> Chart | None:
    measures = list(r.outcomes["measures"].values())
    if not measures:
        return None
    labels = [m["question"] for m in measures]
    parts = {k.capitalize(): [_chart_value(m[k]) for m in measures] for k in ("better", "same", "worse")}
    title = "Change from intake to exit"
    rows = [
        (
            m["framework"],
            m["question"],
            m["cases"].display,
            m["better"].display,
            m["same"].display,
            m["worse"].display,
            percent(m["improved_rate"]),
        )
        for m in measures
    ]
    return Chart(
        "outcomes",
        title,
        charts.stacked_bar_chart("outcomes", title, labels, parts, fmt),
        ("Framework", "Question", "Cases compared", "Better", "Same", "Worse", "Share improved"),
        rows,
        text_columns=2,
    )


def age_chart(r: Report, fmt: str = "svg") -> Chart:
    refs = r.demand["age_reference"]
    title = "People referred by age band"
    return Chart(
        "ages",
        title,
        charts.bar_chart("ages", title, [a["label"] for a in refs], [_chart_value(a["people"]) for a in refs], fmt),
        ("Age band", "People", "Share of people referred", "Expected prevalence in this age group"),
        [
            (
                a["label"],
                a["people"].display,
                percent(a["share"]),
                HIDDEN_RATE if a["reference_percent"] is None else f"{a['reference_percent']:.1f}%",
            )
            for a in refs
        ],
    )


def demand_table(r: Report) -> dict[str, Any]:
    sexes = [str(Sex(s).label) for s in Sex.values]
    rows = [
        (a["label"], *[cells[s].display for s in Sex.values], cells["total"].display)
        for a, cells in zip(r.demand["age_reference"], r.demand["by_age_band_and_sex"].values(), strict=True)
    ]
    totals = ("Total", *[r.demand["by_sex"][s].display for s in Sex.values], r.demand["people"].display)
    return {"header": ("Age band", *sexes, "Total"), "rows": rows, "totals": totals}


def reach_rows(r: Report) -> list[tuple[str, ...]]:
    return [
        (
            x["group"],
            f"{x['adults']:,}",
            f"{x['percent']:.1f}%",
            f"{x['expected']:,}",
            x["people"].display,
            percent(x["reach"]),
        )
        for x in r.demand["reach"]
    ]


def demand_lines(r: Report) -> list[Line]:
    d = definition
    lines = [
        Line(
            "Referrals with children in the household", _number(r.referrals["with_children"]), "", d("demand.children")
        ),
        Line("Children in those households", _number(r.referrals["children"]), "", d("demand.children")),
        Line(
            "Referrals with any complex need", _number(r.referrals["with_complex_needs"]), "", d("demand.complex_needs")
        ),
    ]
    lines += [
        Line(f"Complex need: {row['label']}", _number(row["referrals"]), "", "")
        for row in r.demand["complex_needs"].values()
    ]
    return lines


def outcome_lines(r: Report) -> list[Line]:
    abuse, risk = r.outcomes["abuse_stopped_or_reduced"], r.outcomes["risk_level_change"]
    d = definition
    return [
        Line(
            'Answered "has the abuse stopped or reduced" at exit',
            _number(abuse["answered"]),
            "",
            d("outcomes.abuse_stopped_or_reduced"),
        ),
        Line(
            "Abuse stopped or reduced",
            _number(abuse["stopped_or_reduced"]),
            percent(abuse["rate"]),
            d("outcomes.abuse_stopped_or_reduced"),
        ),
        Line("Closed cases compared on risk level", _number(risk["cases"]), "", d("outcomes.risk_level_change")),
        Line(
            "Risk level lower at closure",
            _number(risk["lower"]),
            percent(risk["lower_rate"]),
            d("outcomes.risk_level_change"),
        ),
        Line("Risk level the same", _number(risk["same"]), "", d("outcomes.risk_level_change")),
        Line("Risk level higher", _number(risk["higher"]), "", d("outcomes.risk_level_change")),
        Line(
            "Re-referrals within 12 months",
            _number(r.referrals["re_referrals_12m"]),
            percent(r.referrals["re_referral_rate"]),
            d("referrals.re_referrals_12m"),
        ),
    ]


def capacity_lines(r: Report) -> list[Line]:
    d = definition
    median = r.waiting["median_days_to_first_contact"]
    return [
        Line(
            "Median days to first contact",
            HIDDEN_RATE if median is None else f"{median:.1f}",
            "",
            d("waiting.median_days_to_first_contact"),
        ),
        Line(
            "Cases the median is taken over",
            _number(r.waiting["cases_with_first_contact"]),
            "",
            d("waiting.cases_with_first_contact"),
        ),
        Line(
            "Declined for no capacity",
            _number(r.waiting["declined_no_capacity"]),
            "",
            d("waiting.declined_no_capacity"),
        ),
    ]


def capacity_rows(r: Report) -> list[tuple[str, ...]]:
    return [
        (
            c["name"],
            c["waiting_at_end"].display,
            str(c["workers"]),
            _number(c["average_caseload"]),
            c["benchmark"],
            str(c["over_benchmark"]),
        )
        for c in r.capacity
    ]


def _per_thousand(value: float | None) -> str:
    return HIDDEN_RATE if value is None else f"{value:.2f}"


def coverage_rows(r: Report) -> list[tuple[str, ...]]:
    return [
        (
            c["area"],
            "Rural" if c["rural"] else "Urban",
            f"{c['adults']:,}",
            c["referrals"].display,
            _per_thousand(c["referrals_per_1000"]),
            c["people"].display,
            _per_thousand(c["people_per_1000"]),
        )
        for c in r.coverage["by_area"]
    ]


def rural_urban_rows(r: Report) -> list[tuple[str, ...]]:
    return [
        (kind.capitalize(), f"{c['adults']:,}", c["referrals"].display, _per_thousand(c["referrals_per_1000"]))
        for kind, c in r.coverage["rural_urban"].items()
    ]


def dashboard_context(r: Report) -> dict[str, Any]:
    return {
        "report": r,
        "period": r.scope.period,
        "area_name": r.area,
        "activity": activity_lines(r),
        "by_source": source_chart(r),
        "trend": trend_chart(r),
        "outcome_chart": outcome_chart(r),
        "outcome_lines": outcome_lines(r),
        "demand": demand_table(r),
        "age_chart": age_chart(r),
        "reach": reach_rows(r),
        "demand_lines": demand_lines(r),
        "capacity_lines": capacity_lines(r),
        "capacity_rows": capacity_rows(r),
        "coverage_rows": coverage_rows(r),
        "rural_urban_rows": rural_urban_rows(r),
        "definition": definition,
        "report_threshold": threshold(),
        "extra_sections": {name: after(name) for name in (*BUILT_IN, None)},
        "sections": {s.key: s.context(r) for s in sections()},
    }
