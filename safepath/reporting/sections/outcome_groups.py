"""Outcomes by pathway and provider (issue 7): for cases closed in the period, per pathway and per
provider organisation, the cases closed and the share improved on at least one outcome measure,
with abuse stopped or reduced and risk lower at closure (definitions as in the outcomes section).

Disclosure control. Each figure is counted on a grid of pathways (rows) by providers (columns)
and suppressed as one table with both kinds of total (`disclosure.suppress_table`): the pathway
breakdown is the row totals, the provider breakdown the column totals, so a figure hidden in one
cannot be worked out from the other. An outcome is a part of a base (improved of compared): the
part and the rest are suppressed as two tables and the base is shown only when both are, so
"3 whose abuse did not reduce" cannot be worked out from two shown figures either. Area-wide
totals are not repeated (the outcomes section shows them); and when the outcomes section hides the
area's figure (abuse stopped or reduced, risk lower), this section hides that outcome for every
group, since the groups' figures would add up to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepath.reporting import disclosure as dc
from safepath.reporting.disclosure import Figure
from safepath.reporting.metrics import outcome_groups as og
from safepath.reporting.metrics.definitions import definition
from safepath.reporting.sections import Section

if TYPE_CHECKING:
    from docx.document import Document

    from safepath.reporting.report import Report, _Rules

GROUPINGS = ("by_pathway", "by_provider")
# (JSON key of the part, of its base, of the rate; definition key)
OUTCOMES = (
    ("improved", "compared", "improved_rate", "outcome_groups.improved"),
    ("reduced", "answered", "reduced_rate", "outcome_groups.abuse_stopped_or_reduced"),
    ("lower", "risk_cases", "lower_rate", "outcome_groups.risk_lower"),
)


@dataclass(frozen=True)
class _Margins:
    """A suppressed grid's pathway figures (row totals) and provider figures (column totals)."""

    by_pathway: list[Figure]
    by_provider: list[Figure]

    def of(self, grouping: str) -> list[Figure]:
        return self.by_pathway if grouping == "by_pathway" else self.by_provider


def _margins(grid: list[list[int]], rules: _Rules) -> _Margins:
    table = dc.suppress_table(grid, suppress=rules.on)
    return _Margins(table.row_totals, table.col_totals)


def _hidden() -> Figure:
    return Figure(None, True, dc.threshold())


def _sum(a: Figure, b: Figure) -> Figure:
    return _hidden() if a.suppressed or b.suppressed else dc.shown((a.value or 0) + (b.value or 0))


def _hidden_in_outcomes(report: Report) -> dict[str, bool]:
    """Outcomes whose area-wide figure the outcomes section hides (the groups would add up to it)."""
    out = report.outcomes or {}
    abuse = out.get("abuse_stopped_or_reduced", {}).get("stopped_or_reduced")
    lower = out.get("risk_level_change", {}).get("lower")
    return {
        "improved": False,  # the outcomes section shows no "improved on any measure" figure
        "reduced": bool(abuse is not None and abuse.suppressed),
        "lower": bool(lower is not None and lower.suppressed),
    }


def build_groups(report: Report, rules: _Rules) -> dict[str, list[dict[str, Any]]]:
    counts = og.outcome_group_counts(report.scope)
    closed = _margins(counts.grid(og.CLOSED), rules)
    parts: dict[str, tuple[_Margins, _Margins]] = {}
    for part, base in og.OUTCOMES:
        rest = [
            [b - p for p, b in zip(prow, brow, strict=True)]
            for prow, brow in zip(counts.grid(part), counts.grid(base), strict=True)
        ]
        parts[part] = (_margins(counts.grid(part), rules), _margins(rest, rules))
    hide = _hidden_in_outcomes(report) if rules.on else {}
    groups = {
        "by_pathway": [counts.pathways[pk] for pk in counts.pathway_order()],
        "by_provider": [counts.providers[pk] for pk in counts.provider_order()],
    }
    result: dict[str, list[dict[str, Any]]] = {}
    for grouping in GROUPINGS:
        rows = []
        for i, group in enumerate(groups[grouping]):
            row: dict[str, Any] = {"name": group.name, "closed": closed.of(grouping)[i]}
            if grouping == "by_pathway":
                row = {"code": group.code, **row}
            for part, base, rate, _key in OUTCOMES:
                numerator, rest = (m.of(grouping)[i] for m in parts[part])
                if hide.get(part):
                    numerator = rest = _hidden()
                row[base] = _sum(numerator, rest)
                row[part] = numerator
                row[rate] = rules.rate(numerator, row[base])
            rows.append(row)
        result[grouping] = rows
    return result


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f}%"


def _of(row: dict[str, Any], part: str, base: str, rate: str) -> str:
    """ "20 of 30 (66.7%)": the part, its base and the share, in words a reader can say aloud."""
    return _("%(part)s of %(base)s (%(rate)s)") % {
        "part": row[part].display,
        "base": row[base].display,
        "rate": _percent(row[rate]),
    }


def _table_rows(rows: list[dict[str, Any]]) -> list[tuple[str, ...]]:
    return [(row["name"], row["closed"].display, *(_of(row, p, b, r) for p, b, r, _k in OUTCOMES)) for row in rows]


def _header(grouping: str) -> tuple[str, ...]:
    first = _("Pathway") if grouping == "by_pathway" else _("Provider")
    return (
        first,
        _("Cases closed"),
        _("Improved on at least one measure"),
        _("Abuse stopped or reduced"),
        _("Risk level lower at closure"),
    )


def _captions() -> dict[str, str]:
    return {
        "by_pathway": _("Outcomes of cases closed in the period, by pathway"),
        "by_provider": _("Outcomes of cases closed in the period, by provider"),
    }


class _Section(Section):
    key = "outcome_groups"
    title = gettext_lazy("Outcomes by pathway and provider")
    after = "outcomes"
    template = "reporting/sections/outcome_groups.html"

    def build(self, report: Report, rules: _Rules) -> dict[str, list[dict[str, Any]]]:
        return build_groups(report, rules)

    def json(self, report: Report) -> dict[str, Any]:
        built = report.sections.get(self.key) or {g: [] for g in GROUPINGS}
        return {
            grouping: [{k: (v.json if isinstance(v, Figure) else v) for k, v in row.items()} for row in rows]
            for grouping, rows in built.items()
        }

    def context(self, report: Report) -> dict[str, Any]:
        built = report.sections.get(self.key) or {g: [] for g in GROUPINGS}
        captions = _captions()
        return {
            "title": str(self.title),
            "tables": [
                {"caption": captions[g], "header": _header(g), "rows": _table_rows(built[g])}
                for g in GROUPINGS
                if built[g]
            ],
            "definitions": [
                definition(k)
                for k in ("outcome_groups.closed", *(key for *_x, key in OUTCOMES), "outcome_groups.suppression")
            ],
        }

    def rows(self, report: Report) -> list[tuple[Any, ...]]:
        built = report.sections.get(self.key) or {}
        out: list[tuple[Any, ...]] = []
        for grouping, rows in built.items():
            kind = "pathway" if grouping == "by_pathway" else "provider"
            for row in rows:
                name = f"{kind}:{row.get('code', row['name'])}"
                out.append((self.key, "closed", name, row["closed"].json, None, definition("outcome_groups.closed")))
                for part, base, rate, key in OUTCOMES:
                    out.append((self.key, base, name, row[base].json, None, definition(key)))
                    out.append((self.key, part, name, row[part].json, row[rate], definition(key)))
        return out

    def docx(self, doc: Document, report: Report) -> None:
        from safepath.reporting.paper import _table

        context = self.context(report)
        doc.add_heading(context["title"], 2)
        if not context["tables"]:
            doc.add_paragraph(_("No case closed in the period."))
            return
        for table in context["tables"]:
            doc.add_paragraph(table["caption"], style="Caption")
            _table(doc, table["header"], table["rows"])
        for text in context["definitions"]:
            doc.add_paragraph(text, style="List Bullet")


SECTION = _Section()
