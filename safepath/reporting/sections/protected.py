"""Protected characteristics against the MARAC national profile (issue 7): of the different people
referred in the period, how many are Black, Asian or minoritised, LGBT+, disabled, male, aged 16 or
17 (the victim characteristics the MARAC national dataset reports), their share, the national share
(configuration: `marac.NationalFigure`) and the difference in words, never by colour alone.

Disclosure control: each count is suppressed with the number of people it is part of
(`rules.part`), so neither it nor the rest can be worked out. Men are also counted in the demand
section's table by age and sex: where that table hides them, they are hidden here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepath.marac.choices import FigureUnit
from safepath.marac.models import NationalFigure
from safepath.reporting import disclosure as dc
from safepath.reporting.disclosure import Figure
from safepath.reporting.metrics import protected as pm
from safepath.reporting.metrics.definitions import definition
from safepath.reporting.sections import Section

if TYPE_CHECKING:
    from docx.document import Document

    from safepath.reporting.report import Report, _Rules


def _labels() -> dict[str, str]:
    return {
        "minoritised": _("Black, Asian or minoritised"),
        "lgbt": _("LGBT+"),
        "disabled": _("Disabled"),
        "male": _("Male"),
        "aged_16_17": _("Aged 16 or 17"),
    }


def _national() -> dict[str, NationalFigure]:
    codes = [national for _c, national in pm.CHARACTERISTICS]
    return {f.code: f for f in NationalFigure.objects.filter(code__in=codes, unit=FigureUnit.PERCENT)}


def _demand_hides_men(report: Report) -> bool:
    men = (report.demand or {}).get("by_sex", {}).get("male")
    return bool(men is not None and men.suppressed)


def build_protected(report: Report, rules: _Rules) -> dict[str, Any]:
    counts = pm.protected_counts(report.scope)
    national = _national()
    people = rules.count(counts.people)
    rows = []
    for code, national_code in pm.CHARACTERISTICS:
        figure, _total, share = rules.part(counts.by_characteristic[code], counts.people)
        if code == "male" and rules.on and _demand_hides_men(report):
            figure, share = Figure(None, True, dc.threshold()), None
        reference = national.get(national_code)
        # Configured as a percentage; a fraction 0-1 like every rate in the report (INTERFACES.md).
        national_share = round(float(reference.value) / 100, 4) if reference is not None else None
        comparison = None
        if share is not None and national_share is not None and figure.value is not None:
            comparison = pm.compare(figure.value, counts.people, national_share)
        rows.append(
            {
                "code": code,
                "people": figure,
                "share": share,
                "national_share": national_share,
                "national_label": reference.label if reference is not None else "",
                "national_period": reference.period if reference is not None else "",
                "national_source": reference.source if reference is not None else "",
                "difference_points": None
                if share is None or national_share is None
                else round((share - national_share) * 100, 1),
                "comparison": comparison,
            }
        )
    return {"people": people, "characteristics": rows}


def _percent(rate: float | None) -> str:
    return "–" if rate is None else f"{rate * 100:.1f}%"


def words(row: dict[str, Any]) -> str:
    """The difference from the national profile in words (the figures are beside it)."""
    if row["national_share"] is None:
        return _("No national figure is set")
    if row["share"] is None:
        return _("Not compared: too few people to show a share")
    points = abs(row["difference_points"] or 0.0)
    if row["comparison"] == pm.BELOW:
        return _("Below the national profile (%(points).1f percentage points lower)") % {"points": points}
    if row["comparison"] == pm.ABOVE:
        return _("Above the national profile (%(points).1f percentage points higher)") % {"points": points}
    return _("In line with the national profile (a difference this size could be chance)")


def _national_text(row: dict[str, Any]) -> str:
    return _percent(row["national_share"])


class _Section(Section):
    key = "protected"
    title = gettext_lazy("Protected characteristics against the MARAC national profile")
    after = "demand"
    template = "reporting/sections/protected.html"

    def build(self, report: Report, rules: _Rules) -> dict[str, Any]:
        return build_protected(report, rules)

    def _built(self, report: Report) -> dict[str, Any]:
        return report.sections.get(self.key) or {"people": dc.shown(0), "characteristics": []}

    def json(self, report: Report) -> dict[str, Any]:
        built = self._built(report)
        return {
            "people": built["people"].json,
            "characteristics": [
                {k: (v.json if isinstance(v, Figure) else v) for k, v in row.items()}
                for row in built["characteristics"]
            ],
        }

    def context(self, report: Report) -> dict[str, Any]:
        built = self._built(report)
        labels = _labels()
        sources = sorted(
            {f"{r['national_source']}, {r['national_period']}".strip(", ") for r in built["characteristics"]} - {""}
        )
        return {
            "title": str(self.title),
            "caption": _("People referred in the period against the MARAC national profile"),
            "header": (
                _("Characteristic"),
                _("People referred"),
                _("Share of people referred"),
                _("National share (MARAC cases)"),
                _("Against the national profile"),
            ),
            "rows": [
                (labels[r["code"]], r["people"].display, _percent(r["share"]), _national_text(r), words(r))
                for r in built["characteristics"]
            ],
            "people": built["people"].display,
            "sources": sources,
            "definitions": [
                definition(k) for k in ("protected.people", "protected.characteristics", "protected.national_profile")
            ],
        }

    def rows(self, report: Report) -> list[tuple[Any, ...]]:
        built = self._built(report)
        out: list[tuple[Any, ...]] = [
            (self.key, "people", "", built["people"].json, None, definition("protected.people"))
        ]
        for r in built["characteristics"]:
            out.append(
                (self.key, "people", r["code"], r["people"].json, r["share"], definition("protected.characteristics"))
            )
            note = definition("protected.national_profile")
            out.append((self.key, "national_share", r["code"], None, r["national_share"], note))
            out.append((self.key, "against_national", r["code"], r["comparison"] or "", None, note))
        return out

    def docx(self, doc: Document, report: Report) -> None:
        from safepath.reporting.paper import _table

        context = self.context(report)
        doc.add_heading(context["title"], 2)
        doc.add_paragraph(_("Different people referred in the period: %(n)s.") % {"n": context["people"]})
        _table(doc, context["header"], context["rows"])
        for source in context["sources"]:
            doc.add_paragraph(_("National figures: %(source)s.") % {"source": source})
        for text in context["definitions"]:
            doc.add_paragraph(text, style="List Bullet")


SECTION = _Section()
