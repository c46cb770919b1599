"""Report sections beyond the built-in ones (activity, outcomes, demand, coverage, capacity).

Each section is one module with one `Section` instance: it computes its figures once
(`build`, through the report's disclosure rules), and shows them in every output from that one
value: the JSON of `safepath report`, the CSV/XLSX rows, the dashboard and printable HTML
(`template`, given `sections[key]` from `context`) and the committee paper (`docx`). A section
sits after the built-in section named by `after`, or as its own heading at the end (`after=None`).

Adding a section means adding a module here and a line to `SECTIONS`; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from docx.document import Document

    from safepath.reporting.report import Report, _Rules

BUILT_IN = ("activity", "outcomes", "demand", "coverage", "capacity")


class Section:
    key: str = ""  # JSON key, anchor id and cache key part
    title: Any = ""  # words shown as the heading or nav link (gettext_lazy where translated)
    after: str | None = None  # a BUILT_IN name, or None for its own heading after capacity
    template: str | None = None  # Jinja2 partial; sees `s` (this section) and `section` (its context)

    def build(self, report: Report, rules: _Rules) -> Any:
        """The section's figures (through `rules`), kept in `report.sections[key]`."""
        return None

    def json(self, report: Report) -> Any:
        """The section in `safepath report --format json`; None leaves it out."""
        return None

    def context(self, report: Report) -> dict[str, Any]:
        """What the template needs (labels, charts), from `report.sections[key]`."""
        return {}

    def rows(self, report: Report) -> Iterable[tuple[Any, ...]]:
        """CSV/XLSX rows: (section, figure, breakdown, value, rate, definition)."""
        return ()

    def docx(self, doc: Document, report: Report) -> None:
        """The section in the committee paper."""


def _sections() -> tuple[Section, ...]:
    from safepath.reporting.sections import contacts, coverage_map, funding, outcome_groups, performance, protected

    return (
        contacts.SECTION,
        outcome_groups.SECTION,
        protected.SECTION,
        coverage_map.SECTION,
        performance.SECTION,
        funding.SECTION,
    )


def sections() -> tuple[Section, ...]:
    return _sections()


def after(name: str | None) -> list[Section]:
    return [s for s in sections() if s.after == name]
