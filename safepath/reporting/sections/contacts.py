"""One-stop-shop and drop-in contacts (issue 7): Medway's activity table counts them.

Drop-in visits (safepath.dropins) in the period, by the date of the visit, and in the area of
the visit's venue: how many, new visitors against returning ones, referrals made to the hub and
what else happened, by venue and by month. Every figure goes through the report's disclosure
rules: the venue and month tables are each suppressed as a table with their totals, so a hidden
cell cannot be worked out from the totals shown; a rate on a hidden or small base is not shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from safepath.reporting import disclosure as dc
from safepath.reporting.disclosure import Figure
from safepath.reporting.sections import Section

if TYPE_CHECKING:
    from docx.document import Document

    from safepath.reporting.report import Report, _Rules


def _plain(value: Any) -> Any:
    if isinstance(value, Figure):
        return value.json
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _table(rows: list[list[int]], rules: _Rules) -> dc.SuppressedTable:
    """New and returning visits per row (venue or month), with row, column and grand totals."""
    if not rows:
        rows = [[0, 0]]  # no row: the totals are still shown (as 0)
    return dc.suppress_table(rows, suppress=rules.on)


class _Section(Section):
    key = "contacts"
    title = _("One-stop-shop and drop-in contacts")
    after = "activity"
    template = "reporting/sections/contacts.html"

    def build(self, report: Report, rules: _Rules) -> dict[str, Any]:
        from safepath.dropins import metrics, selectors

        scope = report.scope
        terms = selectors.outcome_terms()
        counts = metrics.contact_counts(scope, [code for code, _label in terms])
        venues = metrics.by_venue(scope)
        months = metrics.by_month(scope)

        venue_table = _table([[v.new, v.returning] for v in venues], rules)
        total = venue_table.grand_total
        assert total is not None
        new, returning = venue_table.col_totals
        referral_code = selectors.referral_outcome()
        referrals, _whole, referral_rate = rules.part(counts.by_outcome.get(referral_code, 0), counts.total)
        outcomes = {
            code: {
                "label": label,
                "contacts": referrals if code == referral_code else rules.count(counts.by_outcome[code]),
            }
            for code, label in terms
        }
        month_table = _table([[m.new, m.returning] for m in months], rules)
        return {
            "total": total,
            "new": new,
            "returning": returning,
            "new_rate": rules.rate(new, total),
            "referrals_to_hub": referrals,
            "referral_rate": referral_rate,
            "linked_to_case": rules.count(counts.linked_to_case),
            "outcomes": outcomes,
            "by_venue": [
                {
                    "venue": v.name,
                    "area": v.area,
                    "new": venue_table.cells[i][0],
                    "returning": venue_table.cells[i][1],
                    "total": venue_table.row_totals[i],
                }
                for i, v in enumerate(venues)
            ],
            "by_month": [
                {
                    "month": m.month.isoformat(),
                    "new": month_table.cells[i][0],
                    "returning": month_table.cells[i][1],
                    "total": month_table.row_totals[i],
                }
                for i, m in enumerate(months)
            ],
        }

    def json(self, report: Report) -> Any:
        return _plain(report.sections[self.key])

    # --- display ------------------------------------------------------------------------------

    def lines(self, report: Report) -> list[Any]:
        from safepath.reporting.metrics.definitions import definition as d
        from safepath.reporting.presenters import Line, percent

        s = report.sections[self.key]
        lines = [
            Line(str(_("Drop-in contacts")), s["total"].display, "", d("contacts.total")),
            Line(str(_("New visitors")), s["new"].display, percent(s["new_rate"]), d("contacts.new")),
            Line(str(_("Visits by returning visitors")), s["returning"].display, "", d("contacts.returning")),
            Line(
                str(_("Referrals made to the hub")),
                s["referrals_to_hub"].display,
                percent(s["referral_rate"]),
                d("contacts.referrals_to_hub"),
            ),
            Line(str(_("Visits by people with a case")), s["linked_to_case"].display, "", d("contacts.linked_to_case")),
        ]
        lines += [
            Line(
                str(_("What happened: %(what)s") % {"what": o["label"]}),
                o["contacts"].display,
                "",
                d("contacts.outcomes"),
            )
            for o in s["outcomes"].values()
        ]
        return lines

    def venue_rows(self, report: Report) -> list[tuple[str, ...]]:
        s = report.sections[self.key]
        return [
            (v["venue"], v["area"], v["new"].display, v["returning"].display, v["total"].display) for v in s["by_venue"]
        ]

    def venue_totals(self, report: Report) -> tuple[str, ...]:
        s = report.sections[self.key]
        return (str(_("Total")), "", s["new"].display, s["returning"].display, s["total"].display)

    def venue_header(self) -> tuple[str, ...]:
        return (
            str(_("Venue")),
            str(_("Area")),
            str(_("New visitors")),
            str(_("Returning visitors")),
            str(_("Contacts")),
        )

    def month_chart(self, report: Report, fmt: str = "svg") -> Any:
        from safepath.reporting import charts
        from safepath.reporting.presenters import Chart

        s = report.sections[self.key]
        months = [date.fromisoformat(m["month"]).strftime("%b %Y") for m in s["by_month"]]

        def values(name: str) -> list[int | None]:
            return [None if m[name].suppressed else m[name].value for m in s["by_month"]]

        title = str(_("Drop-in contacts by month"))
        return Chart(
            "contacts-by-month",
            title,
            charts.line_chart(
                "contacts-by-month",
                title,
                months,
                {str(_("Contacts")): values("total"), str(_("New visitors")): values("new")},
                fmt,
            ),
            (str(_("Month")), str(_("Contacts")), str(_("New visitors")), str(_("Returning visitors"))),
            [
                (label, m["total"].display, m["new"].display, m["returning"].display)
                for label, m in zip(months, s["by_month"], strict=True)
            ],
        )

    def context(self, report: Report) -> dict[str, Any]:
        from safepath.reporting.metrics.definitions import definition

        return {
            "title": str(self.title),
            "lines": self.lines(report),
            "venue_header": self.venue_header(),
            "venue_rows": self.venue_rows(report),
            "venue_totals": self.venue_totals(report),
            "by_venue_definition": definition("contacts.by_venue"),
            "by_month": self.month_chart(report),
        }

    def rows(self, report: Report) -> Iterable[tuple[Any, ...]]:
        from safepath.reporting.metrics.definitions import definition as d

        s = report.sections[self.key]
        yield ("contacts", "total", "", s["total"].json, None, d("contacts.total"))
        yield ("contacts", "new", "", s["new"].json, s["new_rate"], d("contacts.new"))
        yield ("contacts", "returning", "", s["returning"].json, None, d("contacts.returning"))
        yield (
            "contacts",
            "referrals_to_hub",
            "",
            s["referrals_to_hub"].json,
            s["referral_rate"],
            d("contacts.referrals_to_hub"),
        )
        yield ("contacts", "linked_to_case", "", s["linked_to_case"].json, None, d("contacts.linked_to_case"))
        for code, o in s["outcomes"].items():
            yield ("contacts", "outcomes", code, o["contacts"].json, None, d("contacts.outcomes"))
        for v in s["by_venue"]:
            for part in ("new", "returning", "total"):
                yield (
                    "contacts",
                    f"by_venue.{part}",
                    f"{v['venue']} ({v['area']})",
                    v[part].json,
                    None,
                    d("contacts.by_venue"),
                )
        for m in s["by_month"]:
            for part in ("new", "returning", "total"):
                yield ("contacts", f"by_month.{part}", m["month"], m[part].json, None, d("contacts.by_month"))

    def docx(self, doc: Document, report: Report) -> None:
        from safepath.reporting.metrics.definitions import definition
        from safepath.reporting.paper import _chart, _lines, _table

        doc.add_heading(str(self.title), 2)
        _lines(doc, self.lines(report))
        doc.add_paragraph(definition("contacts.by_venue"))
        _table(doc, self.venue_header(), [*self.venue_rows(report), self.venue_totals(report)])
        _chart(doc, self.month_chart(report, "png"))


SECTION = _Section()
