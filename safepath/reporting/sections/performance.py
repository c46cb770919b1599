"""Performance against the contract (issue 7): each contract target with its actual, a RAG
rating in words, which way is better and the lead commissioner's narrative. Never RAG alone.

Which contracts: the report has no user, so a contract is in when its service area overlaps
the report's scope. Contracts record no area of their own; their service area is taken to be
the areas served by the organisations that commission them (the lead commissioner and any
co-commissioner, `Organisation.areas`, with every area inside those). A report for every area
(no area filter) takes every contract; a contract whose commissioners serve no recorded area
can only appear in such a report. Which targets: those whose period overlaps the report's.

Where the actual comes from:
- a target measured by a report figure (`Target.metric`, commissioning.measures) takes that
  figure from this report, already through disclosure control, so it is the number shown
  elsewhere in the report; for the report's period and area, not the target's. A count target
  set for a period of another length is compared pro rata (target × days in the report's
  period ÷ days in the target's), and the row says so. A rate target is a percentage.
- otherwise the actual recorded by hand (`TargetUpdate.actual`) for exactly the report's
  period; a whole-number actual not in % is taken to be a count and goes through `rules.count`.
An actual that is hidden, missing or recorded for another period is "not rated", with the
reason in words.

The narrative is the latest written for exactly the report's period, else the latest written
for a period overlapping it (its period is shown), else "No narrative written for this period".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepath.reporting import rag
from safepath.reporting.disclosure import Figure
from safepath.reporting.sections import Section

if TYPE_CHECKING:
    from docx.document import Document

    from safepath.reporting.report import Report, _Rules

NO_NARRATIVE = gettext_lazy("No narrative written for this period")
PERCENT_UNITS = ("%", "percent", "per cent")


def _day(value: date) -> str:
    return f"{value:%-d %b %Y}"


def _span(first: date, last: date) -> str:
    return f"{_day(first)} to {_day(last)}"


def _number(value: Decimal | float | int | None) -> str:
    if value is None:
        return "–"
    d = value if isinstance(value, Decimal) else Decimal(str(value))
    d = d.quantize(Decimal("0.1"), ROUND_HALF_UP)
    return f"{d:,.0f}" if d == d.to_integral_value() else f"{d:,.1f}"


def _with_unit(text: str, unit: str) -> str:
    if not unit or text == "–":
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit}"


# --- which contracts and targets -------------------------------------------------------------


def area_children() -> dict[int | None, list[int]]:
    from safepath.areas.models import Area

    children: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent in Area.objects.values_list("pk", "parent_id"):
        children[parent].append(pk)
    return children


def with_inside(roots: Iterable[int], children: dict[int | None, list[int]]) -> set[int]:
    found: set[int] = set()
    todo = list(roots)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, ()))
    return found


def contracts_in_scope(contract_ids: Iterable[int], area_ids: frozenset[int] | None) -> set[int]:
    """Those of the contracts whose commissioners' areas (and the areas inside them) overlap
    `area_ids`; all of them when the report has no area filter. Four queries at most."""
    ids = set(contract_ids)
    if area_ids is None or not ids:
        return ids
    from safepath.commissioning.models import Contract

    served: dict[int, set[int]] = defaultdict(set)
    for field in ("commissioner__areas", "co_commissioners__areas"):
        for pk, area in Contract.objects.filter(pk__in=sorted(ids)).values_list("pk", field):
            if area is not None:
                served[pk].add(area)
    children = area_children()
    return {pk for pk, areas in served.items() if with_inside(areas, children) & area_ids}


def _targets(report: Report) -> list[Any]:
    from safepath.commissioning.models import Target

    period = report.scope.period
    overlapping = Target.objects.filter(period_start__lte=period.last, period_end__gte=period.first)
    ids = contracts_in_scope(overlapping.values_list("contract_id", flat=True).distinct(), report.scope.area_ids)
    return list(
        overlapping.filter(contract_id__in=sorted(ids))
        .select_related("contract")
        .order_by("contract__reference", "period_start", "kind", "name", "id")
    )


def _updates(targets: list[Any], first: date, last: date) -> dict[int, list[Any]]:
    """Each target's updates for periods overlapping the report's, latest period and newest first."""
    from safepath.commissioning.models import TargetUpdate

    found: dict[int, list[Any]] = defaultdict(list)
    rows = TargetUpdate.objects.filter(
        target_id__in=[t.pk for t in targets], period_start__lte=last, period_end__gte=first
    ).order_by("-period_end", "-created", "-id")
    for update in rows:
        found[update.target_id].append(update)
    return found


# --- the actual ------------------------------------------------------------------------------


def lookup(report: Report, key: str) -> Any:
    """The report's figure at a JSON path such as "idva.engagement_rate" (KeyError when absent)."""
    head, *rest = key.split(".")
    if head not in ("referrals", "marac", "idva", "waiting", "programmes", "outcomes", "demand", "coverage"):
        raise KeyError(key)
    value: Any = getattr(report, head)
    for part in rest:
        value = value[part]
    return value


def _hidden_reason(figure: Figure) -> str:
    return _(
        "hidden by disclosure control (fewer than %(limit)s, or hidden so that a smaller figure cannot be worked out)"
    ) % {"limit": figure.limit}


def _missing_rate_reason(report: Report, base_key: str, on: bool) -> str:
    base = lookup(report, base_key) if base_key else None
    if isinstance(base, Figure):
        if base.suppressed:
            return _hidden_reason(base)
        if not base.value:
            return _("no cases in the period to measure it over")
        if on and base.value < base.limit:
            return _("not shown: based on fewer than %(limit)s cases, which could identify people") % {
                "limit": base.limit
            }
        if on:  # the base is shown, so the count the rate is made from is hidden
            return _hidden_reason(base)
    return _("the report has no figure for it in this period")


class _Actual:
    """The actual as compared (in the target's unit), its words and JSON value."""

    def __init__(
        self,
        value: Decimal | None,
        *,
        json: Any = None,
        text: str = "–",
        reason: str = "",
        count: bool = False,
        source: str = "",
    ) -> None:
        self.value, self.json, self.text, self.reason, self.count, self.source = (
            value,
            json,
            text,
            reason,
            count,
            source,
        )


def _from_report(target: Any, report: Report, rules: _Rules) -> _Actual:
    from safepath.commissioning.measures import MeasureKind

    measure = target.measure
    try:
        raw = lookup(report, measure.key)
    except (KeyError, TypeError):
        return _Actual(None, reason=_("the report has no figure for it in this period"), source="report")
    if measure.kind == MeasureKind.COUNT:
        if not isinstance(raw, Figure):
            return _Actual(None, reason=_("the report has no figure for it in this period"), source="report")
        if raw.suppressed:
            return _Actual(
                None, json=raw.json, text=raw.display, reason=_hidden_reason(raw), count=True, source="report"
            )
        return _Actual(Decimal(raw.value or 0), json=raw.json, text=raw.display, count=True, source="report")
    if raw is None:
        return _Actual(None, reason=_missing_rate_reason(report, measure.base, rules.on), source="report")
    if measure.kind == MeasureKind.RATE:
        percent = (Decimal(str(raw)) * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
        return _Actual(percent, json=float(percent), text=_with_unit(_number(percent), "%"), source="report")
    days = Decimal(str(raw))
    return _Actual(days, json=float(days), text=_with_unit(_number(days), _("days")), source="report")


def _recorded(target: Any, updates: list[Any], first: date, last: date, rules: _Rules) -> _Actual:
    exact = [u for u in updates if u.actual is not None and (u.period_start, u.period_end) == (first, last)]
    if not exact:
        other = next((u for u in updates if u.actual is not None), None)
        if other is not None:
            reason = _("the actual recorded (%(actual)s) is for %(span)s, not this report's period") % {
                "actual": _with_unit(_number(other.actual), target.unit),
                "span": _span(other.period_start, other.period_end),
            }
            return _Actual(None, reason=reason, source="recorded")
        return _Actual(None, reason=_("no actual recorded for this period"), source="recorded")
    actual = exact[0].actual
    is_count = target.unit.strip().lower() not in PERCENT_UNITS and actual == actual.to_integral_value()
    if is_count:
        figure = rules.count(int(actual))
        if figure.suppressed:
            return _Actual(
                None,
                json=figure.json,
                text=figure.display,
                reason=_hidden_reason(figure),
                count=True,
                source="recorded",
            )
        return _Actual(
            actual, json=figure.json, text=_with_unit(figure.display, target.unit), count=True, source="recorded"
        )
    return _Actual(actual, json=float(actual), text=_with_unit(_number(actual), target.unit), source="recorded")


def pro_rata(value: Decimal, target_first: date, target_last: date, first: date, last: date) -> Decimal:
    """A count target for one period, scaled to a period of another length (whole numbers)."""
    target_days = (target_last - target_first).days + 1
    days = (last - first).days + 1
    return (value * days / target_days).quantize(Decimal("1"), ROUND_HALF_UP)


# --- the section -----------------------------------------------------------------------------


def _row(target: Any, updates: list[Any], report: Report, rules: _Rules) -> dict[str, Any]:
    from safepath.commissioning.choices import TargetKind

    period = report.scope.period
    first, last = period.first, period.last
    if target.measure is not None:
        actual = _from_report(target, report, rules)
        unit = target.measure.unit or target.unit
    else:
        actual = _recorded(target, updates, first, last, rules)
        unit = target.unit
    goal, scaled = target.value, False
    if actual.count and (target.period_start, target.period_end) != (first, last):
        goal, scaled = pro_rata(target.value, target.period_start, target.period_end, first, last), True
    rating = rag.rate(actual.value, goal, target.polarity, reason=actual.reason)
    exact = [u for u in updates if (u.period_start, u.period_end) == (first, last)]
    told = (exact or updates or [None])[0]
    target_text = _with_unit(_number(target.value), unit)
    if scaled:
        target_text = _("%(scaled)s pro rata for this period (%(value)s for %(span)s)") % {
            "scaled": _with_unit(_number(goal), unit),
            "value": target_text,
            "span": _span(target.period_start, target.period_end),
        }
    else:
        target_text = _("%(value)s for %(span)s") % {
            "value": target_text,
            "span": _span(target.period_start, target.period_end),
        }
    return {
        "contract": target.contract.reference,
        "contract_title": target.contract.title,
        "target": target.name,
        "kind": target.kind,
        "kind_words": str(TargetKind(target.kind).label),
        "measure": target.metric or None,
        "measure_words": str(target.measure.label) if target.measure else _("Recorded by the commissioner"),
        "polarity": target.polarity,
        "polarity_words": str(rag.POLARITY_WORDS[target.polarity]),
        "unit": unit,
        "target_value": float(target.value),
        "target_period": {"from": target.period_start.isoformat(), "to": target.period_end.isoformat()},
        "target_for_period": float(goal),
        "pro_rata": scaled,
        "target_text": target_text,
        "actual": actual.json,
        "actual_text": actual.text,
        "actual_source": actual.source or None,
        "rag": str(rating.status),
        "rag_words": rating.words,
        "rag_label": rating.label,
        "rag_detail": rating.detail,
        "reason": rating.reason,
        "narrative": told.narrative if told else None,
        "narrative_period": (
            {"from": told.period_start.isoformat(), "to": told.period_end.isoformat()} if told else None
        ),
        "narrative_text": (
            told.narrative
            if told and (told.period_start, told.period_end) == (first, last)
            else (
                _("For %(span)s: %(text)s")
                % {"span": _span(told.period_start, told.period_end), "text": told.narrative}
            )
            if told
            else str(NO_NARRATIVE)
        ),
    }


class _Section(Section):
    key = "performance"
    title = gettext_lazy("Performance against the contract")
    after = None
    template = "reporting/sections/performance.html"

    def build(self, report: Report, rules: _Rules) -> list[dict[str, Any]]:
        period = report.scope.period
        targets = _targets(report)
        updates = _updates(targets, period.first, period.last) if targets else {}
        return [_row(t, updates.get(t.pk, []), report, rules) for t in targets]

    def json(self, report: Report) -> list[dict[str, Any]]:
        return [
            {k: v for k, v in row.items() if k not in ("target_text", "narrative_text", "rag_label", "rag_detail")}
            for row in report.sections.get(self.key) or []
        ]

    def context(self, report: Report) -> dict[str, Any]:
        rows = report.sections.get(self.key) or []
        contracts: dict[str, dict[str, Any]] = {}
        for row in rows:
            group = contracts.setdefault(
                row["contract"], {"reference": row["contract"], "title": row["contract_title"], "rows": []}
            )
            group["rows"].append(row)
        return {
            "title": str(self.title),
            "intro": intro(),
            "contracts": list(contracts.values()),
            "empty": _("No contract target covers this period and area."),
        }

    def rows(self, report: Report) -> Iterable[tuple[Any, ...]]:
        for row in report.sections.get(self.key) or []:
            figure = f"{row['contract']}: {row['target']}"
            about = f"{row['kind_words']}; {row['polarity_words'].lower()}; actual from: {row['measure_words']}."
            yield ("performance", figure, "target", row["target_for_period"], None, row["target_text"])
            yield ("performance", figure, "actual", row["actual"], None, about)
            yield ("performance", figure, "rag", row["rag_words"], None, "Red, amber or green against the target.")
            yield ("performance", figure, "polarity", row["polarity_words"], None, "Which way is better.")
            yield ("performance", figure, "narrative", row["narrative_text"], None, "The commissioner's narrative.")

    def docx(self, doc: Document, report: Report) -> None:
        from safepath.reporting.paper import _table

        context = self.context(report)
        doc.add_heading(context["title"], 1)
        doc.add_paragraph(context["intro"])
        if not context["contracts"]:
            doc.add_paragraph(context["empty"])
        for group in context["contracts"]:
            doc.add_heading(f"{group['reference']} {group['title']}", 2)
            _table(doc, header(), [cells(row) for row in group["rows"]])


def intro() -> str:
    return _(
        "Each target of the contracts serving this area, with its actual for this report's period and area, a "
        "rating in words and the commissioner's narrative. Green: the target is met. Amber: short of it by no more "
        "than %(tolerance)s%% of the target. Red: further short. Not rated: no actual can be shown, and why. A count "
        "target set for a longer or shorter period is compared pro rata."
    ) % {"tolerance": _number(rag.default_tolerance() * 100)}


def header() -> tuple[str, ...]:
    return (_("Target"), _("Target value"), _("Actual"), _("Rating"), _("Which way is better"), _("Narrative"))


def cells(row: dict[str, Any]) -> tuple[str, ...]:
    return (
        f"{row['target']} ({row['kind_words'].lower()}; {row['measure_words']})",
        row["target_text"],
        row["actual_text"],
        row["rag_words"],
        row["polarity_words"],
        row["narrative_text"],
    )


SECTION = _Section()
