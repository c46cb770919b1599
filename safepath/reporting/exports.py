"""The report as a table (CSV, XLSX) and as a printable HTML page.

One row per figure: section, figure, breakdown, value, rate and definition. Values are already
through disclosure control ("<10" where hidden), so the table is safe to hand on.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.template.loader import render_to_string

from safepath.core.exports import Table, table_bytes
from safepath.reporting.disclosure import Figure, threshold
from safepath.reporting.metrics.definitions import definition
from safepath.reporting.report import Report
from safepath.reporting.sections import sections

HEADER = ("section", "figure", "breakdown", "value", "rate", "definition")


def _value(value: Any) -> Any:
    return value.json if isinstance(value, Figure) else value


def report_rows(report: Report) -> Iterator[tuple[Any, ...]]:
    r = report
    yield ("referrals", "total", "", _value(r.referrals["total"]), None, definition("referrals.total"))
    for risk, fig in r.referrals["by_risk"].items():
        yield ("referrals", "by_risk", risk, _value(fig), None, definition("referrals.by_risk"))
    for source, fig in r.referrals["by_source"].items():
        yield ("referrals", "by_source", source, _value(fig), None, definition("referrals.by_source"))
    yield (
        "referrals",
        "unique_people",
        "",
        _value(r.referrals["unique_people"]),
        None,
        definition("referrals.unique_people"),
    )
    yield (
        "referrals",
        "re_referrals_12m",
        "",
        _value(r.referrals["re_referrals_12m"]),
        r.referrals["re_referral_rate"],
        definition("referrals.re_referrals_12m"),
    )
    yield ("marac", "cases", "", _value(r.marac["cases"]), None, definition("marac.cases"))
    yield ("marac", "repeats", "", _value(r.marac["repeats"]), r.marac["repeat_rate"], definition("marac.repeat_rate"))
    yield ("idva", "referrals", "", _value(r.idva["referrals"]), None, definition("idva.referrals"))
    yield (
        "idva",
        "engaged",
        "",
        _value(r.idva["engaged"]),
        r.idva["engagement_rate"],
        definition("idva.engagement_rate"),
    )
    yield (
        "waiting",
        "median_days_to_first_contact",
        "",
        r.waiting["median_days_to_first_contact"],
        None,
        definition("waiting.median_days_to_first_contact"),
    )
    yield (
        "waiting",
        "declined_no_capacity",
        "",
        _value(r.waiting["declined_no_capacity"]),
        None,
        definition("waiting.declined_no_capacity"),
    )
    for row in r.capacity:
        yield (
            "waiting",
            "waiting_at_end",
            row["code"],
            _value(row["waiting_at_end"]),
            None,
            definition("waiting.by_pathway"),
        )
    for key, fig in r.programmes.items():
        yield ("programmes", key, "", _value(fig), None, definition(f"programmes.{key}"))
    for key, m in r.outcomes["measures"].items():
        yield ("outcomes", key, "better", _value(m["better"]), m["improved_rate"], definition("outcomes.measures"))
        yield ("outcomes", key, "same", _value(m["same"]), None, definition("outcomes.measures"))
        yield ("outcomes", key, "worse", _value(m["worse"]), None, definition("outcomes.measures"))
    abuse = r.outcomes["abuse_stopped_or_reduced"]
    yield (
        "outcomes",
        "abuse_stopped_or_reduced",
        "",
        _value(abuse["stopped_or_reduced"]),
        abuse["rate"],
        definition("outcomes.abuse_stopped_or_reduced"),
    )
    risk = r.outcomes["risk_level_change"]
    for key in ("lower", "same", "higher"):
        yield (
            "outcomes",
            "risk_level_change",
            key,
            _value(risk[key]),
            risk["lower_rate"] if key == "lower" else None,
            definition("outcomes.risk_level_change"),
        )
    for band, row in r.demand["by_age_band_and_sex"].items():
        for sex, fig in row.items():
            yield (
                "demand",
                "people",
                f"{band}/{sex}",
                _value(fig),
                None,
                definition("demand.people_by_age_band_and_sex"),
            )
    for row in r.demand["reach"]:
        yield ("demand", "reach", row["group"], _value(row["people"]), row["reach"], definition("demand.reach"))
    yield (
        "demand",
        "referrals_with_children",
        "",
        _value(r.referrals["with_children"]),
        None,
        definition("demand.children"),
    )
    yield ("demand", "children", "", _value(r.referrals["children"]), None, definition("demand.children"))
    for code, row in r.demand["complex_needs"].items():
        yield ("demand", "complex_needs", code, _value(row["referrals"]), None, definition("demand.complex_needs"))
    for row in r.coverage["by_area"]:
        yield (
            "coverage",
            "referrals",
            row["area"],
            _value(row["referrals"]),
            row["referrals_per_1000"],
            definition("coverage.by_area") + " Rate: per 1,000 adults.",
        )
        yield (
            "coverage",
            "people",
            row["area"],
            _value(row["people"]),
            row["people_per_1000"],
            definition("coverage.by_area") + " Rate: per 1,000 adults.",
        )
    for kind, row in r.coverage["rural_urban"].items():
        yield (
            "coverage",
            "referrals",
            kind,
            _value(row["referrals"]),
            row["referrals_per_1000"],
            definition("coverage.rural_urban") + " Rate: per 1,000 adults.",
        )
    for row in r.trends:
        for key in ("referrals", "high_risk", "marac_cases"):
            yield ("trends", key, row["month"], _value(row[key]), None, definition("trends.by_month"))
    for section in sections():
        yield from section.rows(r)


def report_table(report: Report) -> Table:
    period = report.scope.period
    notes = (
        f"Period {period.first.isoformat()} to {period.last.isoformat()}; area: {report.area or 'all areas'}.",
        f"<{threshold()} marks a hidden figure: a count from 1 to {threshold() - 1}, or a larger one hidden so that "
        "a small one cannot be worked out from the totals."
        if report.suppress
        else "NOT SUPPRESSED: small counts are shown. For the service's own use; do not publish.",
        "Figures come from different sources and are not cumulative.",
    )
    return Table(header=HEADER, rows=list(report_rows(report)), title="Performance report", notes=notes)


def report_bytes(report: Report, fmt: str) -> bytes:
    if fmt == "docx":
        from safepath.reporting.paper import report_docx

        return report_docx(report)
    if fmt == "html":
        from safepath.reporting.presenters import dashboard_context

        return render_to_string("reporting/printable.html", dashboard_context(report)).encode("utf-8")
    return table_bytes(report_table(report), fmt)
