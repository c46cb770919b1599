"""Demand and reach: who was referred (people, not referrals) by age band and sex, against the
expected prevalence of domestic abuse in the area's adult population."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case as SqlCase
from django.db.models import CharField, Count, Q, Value, When

from safepath.areas.models import Area
from safepath.people.choices import Sex
from safepath.reporting.metrics.activity import canonical_person, referrals_in
from safepath.reporting.metrics.scope import Scope
from safepath.reporting.periods import age_band_bounds

UNDER_16, UNKNOWN = "under_16", "unknown"
# (code, lowest age, highest age or None). The two youngest adult bands are those the Crime
# Survey reports separately (DOMAIN.md).
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("16_19", 16, 19),
    ("20_24", 20, 24),
    ("25_34", 25, 34),
    ("35_44", 35, 44),
    ("45_54", 45, 54),
    ("55_64", 55, 64),
    ("65_plus", 65, None),
)
BAND_CODES = (UNDER_16, *(code for code, _, _ in AGE_BANDS), UNKNOWN)
SEXES = tuple(Sex.values)


def band_label(code: str) -> str:
    if code == UNDER_16:
        return "Under 16"
    if code == UNKNOWN:
        return "Not known"
    low, _, high = code.partition("_")
    return f"{low} and over" if high == "plus" else f"{low} to {high}"


def _age_band(scope: Scope) -> SqlCase:
    """Age on the last day of the period, from the date of birth or else the estimated age."""
    on = scope.period.last
    whens = []
    for code, low, high in AGE_BANDS:
        earliest, latest = age_band_bounds(on, low, high)
        dob = Q(person__date_of_birth__lte=latest)
        if earliest is not None:
            dob &= Q(person__date_of_birth__gt=earliest)
        estimate = Q(person__date_of_birth__isnull=True, person__age_estimate__gte=low)
        if high is not None:
            estimate &= Q(person__age_estimate__lte=high)
        whens.append(When(dob | estimate, then=Value(code)))
    young = Q(person__date_of_birth__gt=age_band_bounds(on, 16, None)[1]) | Q(
        person__date_of_birth__isnull=True, person__age_estimate__lt=16
    )
    return SqlCase(When(young, then=Value(UNDER_16)), *whens, default=Value(UNKNOWN), output_field=CharField())


@dataclass(frozen=True)
class PeopleProfile:
    total: int
    by_band_and_sex: dict[tuple[str, str], int]  # (band, sex) -> people; every pair present

    def by_sex(self) -> dict[str, int]:
        return {s: sum(self.by_band_and_sex[(b, s)] for b in BAND_CODES) for s in SEXES}

    def by_band(self) -> dict[str, int]:
        return {b: sum(self.by_band_and_sex[(b, s)] for s in SEXES) for b in BAND_CODES}


def people_profile(scope: Scope) -> PeopleProfile:
    """Distinct people referred in the period, by age band and sex (one query). A person's age
    band is taken on the period's last day, so each person counts once (a record merged into
    another with a different recorded sex or age would count in both groups: rare)."""
    rows = (
        referrals_in(scope)
        .annotate(band=_age_band(scope))
        .values("band", "person__sex")
        .annotate(people=Count(canonical_person(), distinct=True))
        .order_by()
    )
    counts = {(b, s): 0 for b in BAND_CODES for s in SEXES}
    for row in rows:
        counts[(row["band"], row["person__sex"])] += row["people"]
    return PeopleProfile(total=sum(counts.values()), by_band_and_sex=counts)


@dataclass(frozen=True)
class Population:
    women: int
    men: int

    @property
    def adults(self) -> int:
        return self.women + self.men


def population(root_ids: Iterable[int] | None) -> Population:
    """Adults (16+) in the chosen areas. An area's own figures are used when set, else the sum of
    the areas inside it, so a council and its localities are not counted twice. None: every
    top-level area."""
    areas = {a.pk: a for a in Area.objects.all()}
    roots = list(root_ids) if root_ids is not None else [pk for pk, a in areas.items() if a.parent_id is None]
    women = men = 0
    for pk in roots:
        w, m = _area_population(pk, areas)
        women, men = women + w, men + m
    return Population(women, men)


def _area_population(pk: int, areas: dict[int, Area], depth: int = 0) -> tuple[int, int]:
    area = areas[pk]
    if area.adult_women or area.adult_men or depth > 10:
        return area.adult_women, area.adult_men
    parts = [_area_population(c, areas, depth + 1) for c, a in areas.items() if a.parent_id == pk]
    return sum(p[0] for p in parts), sum(p[1] for p in parts)
