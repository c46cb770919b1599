"""How the money flows (issue 7, the committee paper): for each financial year the report's
period falls in, and each commissioning organisation serving the report's area that manages
funding, its funding sources → contracts and spot purchases → providers and partners
(commissioning.flow), as a diagram in the paper with the same figures as tables beside it.

The report has no user: an organisation is in when the areas it serves (and the areas inside
them) overlap the report's scope; every organisation managing funding when the report has no
area filter. Amounts of money say nothing about a person, so they are shown as they are (no
disclosure control). Two queries per organisation and year (commissioning.flow).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepath.reporting.sections import Section

if TYPE_CHECKING:
    from docx.document import Document

    from safepath.reporting.report import Report, _Rules


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def financial_years(first: Any, last: Any) -> list[int]:
    from safepath.commissioning.terms import financial_year

    return list(range(financial_year(first), financial_year(last) + 1))


def _organisations(report: Report, years: list[int]) -> list[tuple[int, str]]:
    """Organisations with money in those years whose areas overlap the report's scope."""
    from safepath.commissioning.models import FundingYear
    from safepath.reporting.sections.performance import area_children, with_inside

    owners = dict(
        FundingYear.objects.filter(year__in=years, allocations__isnull=False)
        .values_list("source__owner_id", "source__owner__name")
        .distinct()
    )
    area_ids = report.scope.area_ids
    if area_ids is not None and owners:
        from safepath.accounts.models import Organisation

        served: dict[int, set[int]] = defaultdict(set)
        for pk, area in Organisation.areas.through.objects.filter(organisation_id__in=sorted(owners)).values_list(
            "organisation_id", "area_id"
        ):
            served[pk].add(area)
        children = area_children()
        owners = {pk: name for pk, name in owners.items() if with_inside(served[pk], children) & area_ids}
    return sorted(owners.items(), key=lambda kv: (kv[1], kv[0]))


class _Section(Section):
    key = "funding"
    title = gettext_lazy("How the money flows")
    after = None
    template = "reporting/sections/funding.html"

    def build(self, report: Report, rules: _Rules) -> list[dict[str, Any]]:
        from safepath.commissioning.flow import funding_flow_for_organisation
        from safepath.commissioning.terms import financial_year_label

        period = report.scope.period
        years = financial_years(period.first, period.last)
        found = []
        for org_id, name in _organisations(report, years):
            for year in years:
                flow = funding_flow_for_organisation(org_id, year)
                if flow.links:
                    found.append(
                        {"organisation": name, "year": year, "year_label": financial_year_label(year), "flow": flow}
                    )
        return found

    def json(self, report: Report) -> list[dict[str, Any]]:
        return [
            {
                "organisation": item["organisation"],
                "financial_year": item["year_label"],
                "total": float(item["flow"].total),
                "links": [
                    {
                        "stage": link.stage,
                        "from": link.source,
                        "to": link.target,
                        "amount": float(link.amount),
                        "share_percent": float(link.share),
                    }
                    for link in item["flow"].links
                ],
            }
            for item in report.sections.get(self.key) or []
        ]

    def context(self, report: Report) -> dict[str, Any]:
        period = report.scope.period
        from safepath.commissioning.terms import financial_year_label

        labels = [financial_year_label(y) for y in financial_years(period.first, period.last)]
        return {
            "title": str(self.title),
            "intro": intro(),
            "flows": [
                {
                    "caption": f"{item['organisation']}, {item['year_label']}",
                    "total": _money(item["flow"].total),
                    "stage1": stage_rows(item["flow"], 1),
                    "stage2": stage_rows(item["flow"], 2),
                }
                for item in report.sections.get(self.key) or []
            ],
            "empty": _("No money is recorded as allocated in %(years)s for the organisations serving this area.")
            % {"years": ", ".join(labels)},
        }

    def rows(self, report: Report) -> Iterable[tuple[Any, ...]]:
        for item in report.sections.get(self.key) or []:
            where = f"{item['organisation']}, {item['year_label']}"
            for link in item["flow"].links:
                step = "funder to contract" if link.stage == 1 else "contract to provider"
                yield (
                    "funding",
                    f"{where}: {link.source} to {link.target}",
                    step,
                    str(link.amount),
                    float(link.share) / 100,
                    "Money allocated in the financial year; rate: share of the money through the contract.",
                )

    def docx(self, doc: Document, report: Report) -> None:
        import io

        from docx.shared import Cm

        from safepath.commissioning.charts import sankey_png
        from safepath.reporting.paper import _table

        context = self.context(report)
        doc.add_heading(context["title"], 1)
        doc.add_paragraph(context["intro"])
        if not context["flows"]:
            doc.add_paragraph(context["empty"])
        for item, shown in zip(report.sections.get(self.key) or [], context["flows"], strict=True):
            doc.add_heading(shown["caption"], 2)
            doc.add_picture(io.BytesIO(sankey_png(item["flow"], title=shown["caption"])), width=Cm(16))
            doc.add_paragraph(
                _("How the money flows, %(what)s: the tables below have the same figures.")
                % {"what": shown["caption"]},
                style="Caption",
            )
            _table(doc, header(1), shown["stage1"])
            doc.add_paragraph(_("Total: %(total)s") % {"total": shown["total"]})
            _table(doc, header(2), shown["stage2"])


def intro() -> str:
    return _(
        "Where the money for domestic abuse services comes from, which contracts and spot purchases it pays for, "
        "and which providers and sub-contracted partners receive it, for each financial year this period falls in."
    )


def header(stage: int) -> tuple[str, ...]:
    if stage == 1:
        return (_("Funding source"), _("Contract or purchase"), _("Amount"), _("Share of the contract's money"))
    return (_("Contract or purchase"), _("Provider"), _("Amount"), _("Share of the contract's money"))


def stage_rows(flow: Any, stage: int) -> list[tuple[str, ...]]:
    return [
        (link.source, link.target, _money(link.amount), f"{link.share}%") for link in flow.links if link.stage == stage
    ]


SECTION = _Section()
