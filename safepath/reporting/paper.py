"""The committee paper: the report as a DOCX document (python-docx), with the same figures,
charts (as PNG) and tables as the dashboard, definitions, data caveats and a glossary of every
acronym the paper uses (Dorset's members asked for one)."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

from docx import Document
from docx.shared import Cm

from safepath.core.views import glossary_terms
from safepath.reporting import presenters, sections
from safepath.reporting.disclosure import threshold
from safepath.reporting.metrics.definitions import DEFINITIONS
from safepath.reporting.report import Report

CAVEATS = (
    "Figures come from different sources and are not cumulative: a person can be a referral, a MARAC case, "
    "an IDVA case and a group programme attendee in the same period.",
    "Referrals are counted when received; cases when opened or closed; so the sections cover overlapping but "
    "different groups of people.",
    "Records entered late (after the period ended) are included when the paper is produced, so a paper produced "
    "again later may differ slightly.",
)


def _table(doc: Document, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = str(text)


def _lines(doc: Document, lines: list[presenters.Line]) -> None:
    _table(
        doc, ("Figure", "Number", "Rate", "What it counts"), [(x.label, x.value, x.rate, x.definition) for x in lines]
    )


def _chart(doc: Document, chart: presenters.Chart | None) -> None:
    if chart is None:
        return
    doc.add_picture(io.BytesIO(chart.svg), width=Cm(15))  # type: ignore[arg-type]
    doc.add_paragraph(f"{chart.title}: the table below has the same figures.", style="Caption")
    _table(doc, chart.header, chart.rows)


def _extras(doc: Document, report: Report, name: str | None) -> None:
    for section in sections.after(name):
        section.docx(doc, report)


def _glossary(text: str) -> list[tuple[str, str]]:
    """Glossary entries whose acronym appears in the paper."""
    used = []
    for term in glossary_terms():
        words = [w.strip() for w in re.split(r"[,/()]", term["term"]) if w.strip()]
        if any(re.search(rf"\b{re.escape(w)}\b", text) for w in words):
            used.append((term["term"], term["meaning"]))
    return used


def report_docx(report: Report) -> bytes:
    r, period = report, report.scope.period
    doc = Document()
    where = f", {r.area}" if r.area else ""
    doc.add_heading(f"Performance report: {period.first:%-d %B %Y} to {period.last:%-d %B %Y}{where}", 0)
    if not r.suppress:
        doc.add_paragraph("NOT SUPPRESSED: small counts are shown. For the service's own use; do not publish.")
    else:
        doc.add_paragraph(
            f"“<{threshold()}” marks a hidden figure: a count from 1 to {threshold() - 1}, or a larger one hidden "
            "so that a small one cannot be worked out from the totals. Rates on small numbers are not shown (–)."
        )
    doc.add_heading("Summary", 1)
    for line in presenters.activity_lines(r)[:1] + presenters.activity_lines(r)[5:10]:
        doc.add_paragraph(f"{line.label}: {line.value}{f' ({line.rate})' if line.rate else ''}", style="List Bullet")
    doc.add_heading("Activity", 1)
    _lines(doc, presenters.activity_lines(r))
    _chart(doc, presenters.source_chart(r, "png"))
    _chart(doc, presenters.trend_chart(r, "png"))
    _extras(doc, r, "activity")
    doc.add_heading("Outcomes", 1)
    doc.add_paragraph(DEFINITIONS["outcomes.measures"])
    _chart(doc, presenters.outcome_chart(r, "png"))
    _lines(doc, presenters.outcome_lines(r))
    _extras(doc, r, "outcomes")
    doc.add_heading("Demand and reach", 1)
    demand = presenters.demand_table(r)
    _table(doc, demand["header"], [*demand["rows"], demand["totals"]])
    _chart(doc, presenters.age_chart(r, "png"))
    doc.add_paragraph(DEFINITIONS["demand.reach"])
    _table(
        doc,
        ("Group", "Adults", "Reference rate", "Expected in a year", "People referred", "Reach"),
        presenters.reach_rows(r),
    )
    _lines(doc, presenters.demand_lines(r))
    _extras(doc, r, "demand")
    doc.add_heading("Coverage", 1)
    doc.add_paragraph(DEFINITIONS["coverage.by_area"])
    _table(
        doc,
        ("Area", "Rural or urban", "Adults", "Referrals", "Per 1,000 adults", "People", "Per 1,000 adults"),
        presenters.coverage_rows(r),
    )
    _table(doc, ("Areas", "Adults", "Referrals", "Per 1,000 adults"), presenters.rural_urban_rows(r))
    _extras(doc, r, "coverage")
    doc.add_heading("Capacity", 1)
    _lines(doc, presenters.capacity_lines(r))
    _table(
        doc,
        ("Pathway", "Waiting at end", "Workers", "Average caseload", "Benchmark", "Above benchmark"),
        presenters.capacity_rows(r),
    )
    _extras(doc, r, "capacity")
    _extras(doc, r, None)  # sections with their own heading
    doc.add_heading("Definitions and data caveats", 1)
    for caveat in CAVEATS:
        doc.add_paragraph(caveat, style="List Bullet")
    for key, text in DEFINITIONS.items():
        doc.add_paragraph(f"{key}: {text}", style="List Bullet")
    text = "\n".join(p.text for p in doc.paragraphs) + "\n".join(
        c.text for t in doc.tables for row in t.rows for c in row.cells
    )
    doc.add_heading("Glossary", 1)
    _table(doc, ("Term", "Meaning"), _glossary(text))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
