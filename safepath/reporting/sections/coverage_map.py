"""Map of referrals per 1,000 adults (issue 7): the coverage table's areas drawn from their
configured boundaries (`Area.boundary`), shaded by rate. No map service is used at run time.

The figures are the coverage table's own (`report.coverage["by_area"]`, already through
disclosure control), so the map adds no number of its own: nothing in the JSON or CSV, and the
coverage table is the map's accessible alternative. A hidden rate is drawn hatched as "not
shown"; an area without a boundary is listed under the map; an area made of other areas is
not drawn (its parts are).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepath.reporting.sections import Section

if TYPE_CHECKING:
    from docx.document import Document

    from safepath.reporting.report import Report, _Rules

TITLE = "Map of referrals per 1,000 adults"
UNIT = "per 1,000 adults"


def _hidden_label(report: Report) -> str:
    from safepath.reporting.disclosure import threshold

    if report.suppress:
        return _("Not shown: a hidden figure (“<%(t)s”) or no population") % {"t": threshold()}
    return _("Not shown: no population recorded")


class _Section(Section):
    key = "coverage_map"
    title = gettext_lazy("Map of referrals per 1,000 adults")
    after = "coverage"
    template = "reporting/sections/coverage_map.html"

    def build(self, report: Report, rules: _Rules) -> dict[str, Any]:
        """Each area of the coverage table with its rate (None: not shown) and boundary; two queries."""
        from safepath.areas.models import Area

        rows = report.coverage.get("by_area", [])
        names = [row["area"] for row in rows]
        boundaries = dict(Area.objects.filter(name__in=names).values_list("name", "boundary"))
        made_of_parts = set(
            Area.objects.filter(parent__name__in=names).values_list("parent__name", flat=True).distinct()
        )
        return {
            "areas": [
                {
                    "area": row["area"],
                    "rate": row["referrals_per_1000"],
                    "has_parts": row["area"] in made_of_parts,
                    "boundary": boundaries.get(row["area"]),
                }
                for row in rows
            ]
        }

    def _drawn(self, report: Report) -> tuple[list[Any], list[str], list[str]]:
        from safepath.reporting.maps import MapArea

        built = report.sections.get(self.key) or {"areas": []}
        drawn, missing, parts = [], [], []
        for a in built["areas"]:
            if a["has_parts"]:
                parts.append(a["area"])
            elif a["boundary"]:
                drawn.append(MapArea(a["area"], a["boundary"], a["rate"]))
            else:
                missing.append(a["area"])
        return drawn, missing, parts

    def _map(self, report: Report, fmt: str) -> Any:
        from safepath.reporting.maps import choropleth

        drawn, _missing, _parts = self._drawn(report)
        if not drawn:
            return None
        return choropleth(self.key, TITLE, drawn, unit=UNIT, hidden_label=_hidden_label(report), fmt=fmt)

    def context(self, report: Report) -> dict[str, Any]:
        drawn, missing, parts = self._drawn(report)
        return {
            "svg": self._map(report, "svg"),
            "hidden": any(a.value is None for a in drawn),
            "hidden_label": _hidden_label(report),
            "missing": missing,
            "parts": parts,
        }

    def docx(self, doc: Document, report: Report) -> None:
        import io

        from docx.shared import Cm

        _drawn, missing, parts = self._drawn(report)
        doc.add_heading(TITLE, 2)
        png = self._map(report, "png")
        if png is None:
            doc.add_paragraph("No area in this report has a boundary configured, so there is no map.")
        else:
            doc.add_picture(io.BytesIO(png), width=Cm(15))
            doc.add_paragraph(
                f"{TITLE}: the coverage table above has the same figures. Hatched areas are not shown: "
                "a hidden figure or no population. Boundaries are simplified and approximate.",
                style="Caption",
            )
        if missing:
            doc.add_paragraph("No boundary configured: " + ", ".join(missing) + ".")
        if parts:
            doc.add_paragraph("Made of other areas, which are drawn instead: " + ", ".join(parts) + ".")


SECTION = _Section()
