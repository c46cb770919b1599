"""The MARAC dataset (DOMAIN.md, INTERFACES.md `safepath export marac-dataset`): one row per
MARAC area, first columns `area,cases,repeats,repeat_rate,children`.

Definitions (stated in the table's notes too):
- cases: MARAC referrals (INTERFACES.md: referrals meeting the criteria, and partners' referrals)
  whose referral was received in the period, counted at the MARAC whose area it came from;
- repeats: those flagged as repeats (within 12 months of the person's last MARAC referral);
- children: children in those households, as the referral gave it, otherwise the person's
  recorded children living with them;
- referrals by agency: the referral's source; the non-police share is every source but police;
- victims' characteristics from the person's record; ages on the day the referral was received.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from safepath.accounts.models import Organisation
from safepath.areas.models import Area
from safepath.core.exports import Table
from safepath.marac.dataset import CaseRecord, Tally, per_10000, tally
from safepath.marac.models import MaracReferral
from safepath.marac.services import MaracAreas
from safepath.people.choices import MINORITISED_ETHNICITIES
from safepath.people.models import Relationship
from safepath.referrals.choices import Source
from safepath.reporting import disclosure

HEAD = ["area", "cases", "repeats", "repeat_rate", "children", "adult_women", "cases_per_10000_adult_women"]
CHARACTERISTICS = [
    ("minoritised", "victims who are Black, Asian or minoritised"),
    ("lgbt", "victims who are LGBT+"),
    ("disabled", "victims who are disabled"),
    ("male", "victims who are male"),
    ("aged_16_17", "victims aged 16 or 17"),
    ("perpetrators_17_or_under", "perpetrators aged 17 or under"),
]


def header() -> list[str]:
    sources = [f"referrals_{s}" for s in Source.values]
    characteristics = [col for name, _label in CHARACTERISTICS for col in (name, f"{name}_rate")]
    return [*HEAD, *sources, "non_police", "non_police_share", *characteristics]


@dataclass(frozen=True)
class MaracArea:
    """One row of the dataset: a MARAC and the areas whose cases it hears."""

    label: str
    marac_id: int
    area_ids: frozenset[int]
    adult_women: int


def marac_areas(area: Area | None = None) -> list[MaracArea]:
    from safepath.marac.selectors import marac_organisations

    mapping = MaracAreas()
    women = dict(Area.objects.values_list("pk", "adult_women"))
    rows = []
    for marac in marac_organisations().order_by("name"):
        covered = mapping.areas_of(marac.pk)
        if area is not None:
            if area.pk not in covered:
                continue
            ids = _subtree(area.pk, mapping.parents) & covered
            rows.append(MaracArea(area.name, marac.pk, frozenset(ids), _women(ids, mapping.parents, women)))
        elif covered:
            rows.append(MaracArea(marac.name, marac.pk, frozenset(covered), _women(covered, mapping.parents, women)))
    return rows


def _subtree(root: int, parents: dict[int, int | None]) -> set[int]:
    found = {root}
    grew = True
    while grew:
        more = {a for a, p in parents.items() if p in found} - found
        grew = bool(more)
        found |= more
    return found


def _women(ids: set[int], parents: dict[int, int | None], women: dict[int, int]) -> int:
    """Adult women in these areas: each top area's own figure less its sub-areas heard elsewhere,
    or its sub-areas' figures when it has none of its own."""
    total = 0
    for a in ids:
        if parents.get(a) in ids:
            continue
        children = [c for c, p in parents.items() if p == a]
        if women.get(a):
            total += women[a] - sum(women.get(c, 0) for c in children if c not in ids)
        else:
            total += sum(women.get(c, 0) for c in children if c in ids)
    return total


def period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """From the start of the first day to the start of the day after the last (local time)."""
    start = timezone.make_aware(datetime.combine(date_from, time.min))
    end = timezone.make_aware(datetime.combine(date_to + timedelta(days=1), time.min))
    return start, end


def case_records(row: MaracArea, date_from: date, date_to: date) -> list[CaseRecord]:
    """The cases of one MARAC area in the period: one query."""
    start, end = period_bounds(date_from, date_to)
    children = (
        Relationship.objects.filter(
            victim_id=OuterRef("referral__person_id"), kind=Relationship.Kind.CHILD, lives_in_household=True
        )
        .values("victim_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    rows = (
        MaracReferral.objects.filter(
            marac_id=row.marac_id,
            referral__area_id__in=row.area_ids,
            referral__received_at__gte=start,
            referral__received_at__lt=end,
        )
        .annotate(recorded_children=Coalesce(Subquery(children, output_field=IntegerField()), 0))
        .values_list(
            "referral__received_at",
            "referral__source",
            "is_repeat",
            "referral__children_in_household",
            "recorded_children",
            "referral__person__ethnicity",
            "referral__person__sexual_orientation",
            "referral__person__gender_identity",
            "referral__person__disability",
            "referral__person__sex",
            "referral__person__date_of_birth",
            "referral__person__age_estimate",
            "referral__perpetrator_id",
            "referral__perpetrator__date_of_birth",
            "referral__perpetrator__age_estimate",
        )
    )
    return [_record(r) for r in rows]


def _record(r: tuple[Any, ...]) -> CaseRecord:
    received, source, repeat, sent_children, recorded_children, *person, perp_id, perp_dob, perp_age = r
    ethnicity, orientation, gender, disability, sex, dob, age = person
    return CaseRecord(
        received=timezone.localdate(received),
        source=source,
        is_repeat=repeat,
        children=sent_children if sent_children is not None else recorded_children,
        ethnicity=ethnicity,
        sexual_orientation=orientation,
        gender_identity=gender,
        disability=disability,
        sex=sex,
        victim_dob=dob,
        victim_age_estimate=age,
        perpetrator_dob=perp_dob,
        perpetrator_age_estimate=perp_age,
        has_perpetrator=perp_id is not None,
    )


def area_tally(row: MaracArea, date_from: date, date_to: date) -> Tally:
    return tally(case_records(row, date_from, date_to), minoritised_ethnicities=MINORITISED_ETHNICITIES)


def figures(row: MaracArea, t: Tally, *, suppress: bool) -> dict[str, Any]:
    """One row's figures as they may be shown: counts as disclosure.Figure, rates as fractions or None."""
    sources, total = disclosure.suppress_series({s: t.by_source.get(s, 0) for s in Source.values}, suppress=suppress)
    cases = total or disclosure.suppress_count(t.cases, suppress=suppress)
    count = lambda n: disclosure.suppress_count(n, suppress=suppress)  # noqa: E731
    rate = disclosure.suppress_rate if suppress else _plain_rate
    out: dict[str, Any] = {"area": row.label, "cases": cases}
    out["repeats"] = count(t.repeats)
    out["repeat_rate"] = rate(out["repeats"], cases)
    out["children"] = count(t.children)
    out["adult_women"] = row.adult_women
    out["cases_per_10000_adult_women"] = None if cases.suppressed else per_10000(t.cases, row.adult_women)
    for s in Source.values:
        out[f"referrals_{s}"] = sources[s]
    out["non_police"] = count(t.non_police)
    out["non_police_share"] = rate(out["non_police"], cases)
    for name, _label in CHARACTERISTICS:
        out[name] = count(getattr(t, name))
        out[f"{name}_rate"] = rate(out[name], cases)
    return out


def _plain_rate(numerator: disclosure.Figure, base: disclosure.Figure) -> float | None:
    return disclosure.rate_unsuppressed(numerator.value or 0, base.value or 0)


def _cell(value: Any) -> Any:
    if isinstance(value, disclosure.Figure):
        return value.text if value.suppressed else value.value
    return "" if value is None else value


def dataset_rows(
    *,
    date_from: date,
    date_to: date,
    area: Area | None = None,
    suppress: bool = True,
    marac: Organisation | None = None,
) -> list[dict[str, Any]]:
    rows = [r for r in marac_areas(area) if marac is None or r.marac_id == marac.pk]
    return [figures(r, area_tally(r, date_from, date_to), suppress=suppress) for r in rows]


def marac_dataset(*, date_from: date, date_to: date, area: Area | None = None, suppress: bool = True) -> Table:
    rows = dataset_rows(date_from=date_from, date_to=date_to, area=area, suppress=suppress)
    return table_of(rows, date_from, date_to, suppress)


def table_of(rows: list[dict[str, Any]], date_from: date, date_to: date, suppress: bool) -> Table:
    cols = header()
    notes = [
        f"MARAC dataset, {date_from.isoformat()} to {date_to.isoformat()}.",
        "Cases: MARAC referrals received in the period. Rates are fractions of cases (0 to 1).",
        "Repeats: within 12 months of the person's last MARAC referral, whatever the risk score.",
    ]
    if suppress:
        notes.append(f"Counts from 1 to {disclosure.threshold() - 1} are shown as <{disclosure.threshold()}.")
    return Table(header=cols, rows=[[_cell(r[c]) for c in cols] for r in rows], title="MARAC dataset", notes=notes)


def source_labels() -> list[tuple[str, str]]:
    return [(f"referrals_{value}", str(label)) for value, label in Source.choices]
