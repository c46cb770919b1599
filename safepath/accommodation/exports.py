"""The Part 4 annual return (Domestic Abuse Act 2021; DOMAIN.md, "Safe accommodation").

`part4_figures` counts from the records; `part4_return` turns them into a Table, through
disclosure control unless `suppress` is False (`safepath export part4-return`, and the
commissioners' download). Nothing here reads or writes an address.

Definitions (also written into the table's notes):
- a household is supported in the period when a placement to a service in the council was in
  support (moved in, or sanctuary measures fitted) on any day of it; each person counts once,
  with the household from their latest such placement;
- people supported: the adult whose case it is, as a woman, man, trans adult (trans woman or
  trans man) or other / not known, and the children in the household;
- households not supported: each person whose referral a service in the council declined in the
  period, or recorded as not supported there (UnmetNeed), counted once under their latest reason;
- support ended: each placement whose support ended in the period, by reason and destination;
- bedspaces: active bedspaces of active services in the council when the return is made.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from safepath.accommodation.choices import (
    DECLINE_REASONS,
    DESTINATIONS,
    END_REASONS,
    SUPPORTED_STATUSES,
    PlacementStatus,
    ServiceType,
)
from safepath.accommodation.models import Bedspace, Placement, UnmetNeed
from safepath.accommodation.selectors import area_and_descendants, labels
from safepath.areas.models import Area
from safepath.core.exports import Table
from safepath.people.choices import (
    MINORITISED_ETHNICITIES,
    GenderIdentity,
    Sex,
    SexualOrientation,
    YesNoUnknown,
)

ADULT_GROUPS = ("women", "men", "trans_adults", "other_or_not_known")
ADULT_LABELS = {
    "women": "Women",
    "men": "Men",
    "trans_adults": "Trans adults",
    "other_or_not_known": "Other gender or not known",
}
TRANS = (GenderIdentity.TRANS_WOMAN, GenderIdentity.TRANS_MAN)
LGB = (SexualOrientation.GAY_LESBIAN, SexualOrientation.BISEXUAL, SexualOrientation.OTHER)
CHARACTERISTICS = {
    "black_minoritised": "Black, Asian or minoritised",
    "disabled": "Disabled or long-term health condition",
    "lgbt": "LGBT+",
    "no_recourse": "No recourse to public funds",
    "interpreter": "Needs an interpreter",
    "with_children": "Household with children",
    "out_of_area": "Placed from outside the council's area",
}


@dataclass
class Part4Figures:
    adults: dict[str, int] = field(default_factory=dict)
    children: int = 0
    households: int = 0
    households_by_type: dict[str, int] = field(default_factory=dict)
    characteristics: dict[str, int] = field(default_factory=dict)
    not_supported: dict[str, int] = field(default_factory=dict)
    ended: dict[str, int] = field(default_factory=dict)
    destinations: dict[str, int] = field(default_factory=dict)
    bedspaces: dict[str, int] = field(default_factory=dict)


def _in_council(queryset: Any, area: Area | None, path: str = "service__area_id__in") -> Any:
    return queryset if area is None else queryset.filter(**{path: area_and_descendants(area)})


def _adult_group(person: Any) -> str:
    if person.gender_identity in TRANS:
        return "trans_adults"
    return {Sex.FEMALE: "women", Sex.MALE: "men"}.get(person.sex, "other_or_not_known")


def _characteristics(person: Any, placement: Placement) -> set[str]:
    found = set()
    if person.ethnicity in MINORITISED_ETHNICITIES:
        found.add("black_minoritised")
    if person.disability == YesNoUnknown.YES:
        found.add("disabled")
    if person.sexual_orientation in LGB or person.gender_identity in TRANS:
        found.add("lgbt")
    if person.no_recourse_to_public_funds == YesNoUnknown.YES:
        found.add("no_recourse")
    if person.interpreter_needed:
        found.add("interpreter")
    if placement.children_count:
        found.add("with_children")
    if placement.out_of_area:
        found.add("out_of_area")
    return found


def _latest_by_person(placements: Any) -> dict[int, Placement]:
    latest: dict[int, Placement] = {}
    for placement in placements:  # ordered oldest first: later ones replace earlier
        latest[placement.case.person_id] = placement
    return latest


def _supported(date_from: date, date_to: date, area: Area | None, figures: Part4Figures) -> None:
    placements = (
        _in_council(
            Placement.objects.filter(status__in=SUPPORTED_STATUSES, moved_in_on__lte=date_to).exclude(
                ended_on__lt=date_from
            ),
            area,
        )
        .select_related("case__person", "service")
        .order_by("moved_in_on", "id")
    )
    placements = list(placements)
    latest = _latest_by_person(placements)
    adults: Counter[str] = Counter({group: 0 for group in ADULT_GROUPS})
    characteristics: Counter[str] = Counter({key: 0 for key in CHARACTERISTICS})
    for placement in latest.values():
        adults[_adult_group(placement.case.person)] += 1
        characteristics.update(_characteristics(placement.case.person, placement))
        figures.children += placement.children_count
    by_type: dict[str, set[int]] = {t: set() for t in ServiceType.values}
    for placement in placements:
        by_type[placement.service.type].add(placement.case.person_id)
    figures.adults = dict(adults)
    figures.characteristics = dict(characteristics)
    figures.households = len(latest)
    figures.households_by_type = {t: len(people) for t, people in by_type.items()}


def _not_supported(date_from: date, date_to: date, area: Area | None, figures: Part4Figures) -> None:
    declined = _in_council(
        Placement.objects.filter(
            status=PlacementStatus.DECLINED, decided_at__date__gte=date_from, decided_at__date__lte=date_to
        ),
        area,
    ).values_list("case__person_id", "decided_at", "id", "decline_reason")
    recorded = _in_council(
        UnmetNeed.objects.filter(recorded_at__date__gte=date_from, recorded_at__date__lte=date_to),
        area,
        "area_id__in",
    ).values_list("case__person_id", "recorded_at", "id", "reason")
    latest: dict[int, str] = {}
    for person_id, _at, _id, reason in sorted([*declined, *recorded], key=lambda row: (row[1], row[2])):
        latest[person_id] = reason
    reasons = Counter({code: 0 for code in labels(DECLINE_REASONS)})
    reasons.update(latest.values())
    figures.not_supported = dict(reasons)


def _ended(date_from: date, date_to: date, area: Area | None, figures: Part4Figures) -> None:
    ended = list(
        _in_council(
            Placement.objects.filter(status=PlacementStatus.ENDED, ended_on__gte=date_from, ended_on__lte=date_to),
            area,
        ).values_list("end_reason", "destination")
    )
    reasons = Counter({code: 0 for code in labels(END_REASONS)})
    reasons.update(reason for reason, _ in ended)
    places = Counter({code: 0 for code in labels(DESTINATIONS)})
    places.update(destination for _, destination in ended)
    figures.ended, figures.destinations = dict(reasons), dict(places)


def _bedspaces(area: Area | None, figures: Part4Figures) -> None:
    spaces = _in_council(Bedspace.objects.filter(is_active=True, service__is_active=True), area)
    counts = Counter({t: 0 for t in ServiceType.values if t != ServiceType.SANCTUARY})
    counts.update(spaces.values_list("service__type", flat=True))
    figures.bedspaces = dict(counts)


def part4_figures(*, date_from: date, date_to: date, area: Area | None = None) -> Part4Figures:
    """The return's figures, unsuppressed, counted from the records."""
    figures = Part4Figures()
    _supported(date_from, date_to, area, figures)
    _not_supported(date_from, date_to, area, figures)
    _ended(date_from, date_to, area, figures)
    _bedspaces(area, figures)
    return figures


# --- the table ----------------------------------------------------------------------------------

HEADER = ("section", "measure", "code", "value")


def _value(figure: Any) -> Any:
    return figure.text if figure.suppressed else figure.value


def _series(section: str, counts: dict[str, int], names: dict[str, str], suppress: bool, total: str | None) -> list:
    from safepath.reporting.disclosure import suppress_series

    figures, summed = suppress_series(counts, total=total is not None, suppress=suppress)
    rows = [[section, names.get(code, code), code, _value(figure)] for code, figure in figures.items()]
    if total is not None and summed is not None:
        rows.append([section, total, "total", _value(summed)])
    return rows


def _count(section: str, name: str, code: str, n: int, suppress: bool) -> list:
    from safepath.reporting.disclosure import suppress_count

    return [section, name, code, _value(suppress_count(n, suppress=suppress))]


def part4_table(figures: Part4Figures, *, suppress: bool = True) -> list[list[Any]]:
    types = {t.value: str(t.label) for t in ServiceType}
    rows = _series("people supported", figures.adults, ADULT_LABELS, suppress, "Adults")
    rows.append(_count("people supported", "Children", "children", figures.children, suppress))
    rows.append(_count("households supported", "Households", "households", figures.households, suppress))
    rows += _series("households supported by type", figures.households_by_type, types, suppress, None)
    rows += [
        _count("specialist characteristics", CHARACTERISTICS[code], code, n, suppress)
        for code, n in figures.characteristics.items()
    ]
    rows += _series("households not supported", figures.not_supported, labels(DECLINE_REASONS), suppress, "Total")
    rows += _series("support ended", figures.ended, labels(END_REASONS), suppress, "Total")
    rows += _series("moved on to", figures.destinations, labels(DESTINATIONS), suppress, None)
    # Bedspaces are places, not people: never suppressed.
    rows += [["bedspaces by type", types[t], t, n] for t, n in figures.bedspaces.items()]
    rows.append(["bedspaces by type", "Total", "total", sum(figures.bedspaces.values())])
    return rows


def part4_return(*, date_from: date, date_to: date, area: Area | None = None, suppress: bool = True) -> Table:
    figures = part4_figures(date_from=date_from, date_to=date_to, area=area)
    where = area.name if area is not None else "all areas"
    notes = [
        f"Safe accommodation return (Domestic Abuse Act 2021, Part 4): {where}, {date_from} to {date_to}.",
        "Each person counts once, with the household from their latest placement in the period.",
        "Households not supported: referrals declined, or households recorded as not supported, in the period;"
        " each household once, by its latest reason.",
        "Bedspaces: active bedspaces when the return was made. Sanctuary schemes have none.",
    ]
    if suppress:
        notes.append("Counts from 1 to 9 are shown as <10, with others hidden so they cannot be worked out.")
    return Table(HEADER, part4_table(figures, suppress=suppress), title="Part 4 return", notes=notes)
