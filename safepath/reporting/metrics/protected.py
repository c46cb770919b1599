"""Protected characteristics of the people referred in the period, to set beside the MARAC
national profile (`marac.NationalFigure`, configuration).

The characteristics are those of the MARAC dataset (`safepath.marac.dataset.tally`), with its
vocabularies imported rather than restated, counted over different people instead of MARAC cases:
a person counts once, and in a characteristic when the referral recorded them with it (for the age,
when they were 16 or 17 on the day any of their referrals in the period was received). One
aggregate query, whatever the number of referrals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, Q, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear, TruncDate

from safepath.marac.dataset import MINORITY_ORIENTATIONS, TRANS_OR_NON_BINARY
from safepath.people.choices import MINORITISED_ETHNICITIES, Sex, YesNoUnknown
from safepath.reporting.metrics.activity import canonical_person, referrals_in
from safepath.reporting.metrics.scope import Scope

# (code, national figure code). The order is the MARAC dataset's.
CHARACTERISTICS: tuple[tuple[str, str], ...] = (
    ("minoritised", "minoritised_rate"),
    ("lgbt", "lgbt_rate"),
    ("disabled", "disabled_rate"),
    ("male", "male_rate"),
    ("aged_16_17", "aged_16_17_rate"),
)


def _age_on_received(scope: Scope) -> tuple[Any, dict[str, Any]]:
    """The person's age on the (local) day the referral was received, from the date of birth,
    as `marac.dataset.age_on` works it out, and the month and day parts it compares, to be added
    to the query as aliases first. Worked out only for dates of birth that could give 15 to 18
    in the period (None otherwise): the local day costs a function call per row on SQLite."""
    day = TruncDate("received_at")
    dob = "person__date_of_birth"
    before_birthday = SqlCase(
        When(
            Q(_rm__lt=F("_bm")) | Q(_rm=F("_bm"), _rd__lt=F("_bd")),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    near = Q(
        person__date_of_birth__gte=date(scope.period.first.year - 19, 1, 1),
        person__date_of_birth__lte=date(scope.period.last.year - 15, 12, 31),
    )
    age = ExtractYear(day) - ExtractYear(dob) - before_birthday
    return SqlCase(When(near, then=age), default=None, output_field=IntegerField()), {
        "_rm": ExtractMonth(day),
        "_rd": ExtractDay(day),
        "_bm": ExtractMonth(dob),
        "_bd": ExtractDay(dob),
    }


def _filters() -> dict[str, Q]:
    aged = Q(person__date_of_birth__isnull=False, _age__in=(16, 17)) | Q(
        person__date_of_birth__isnull=True, person__age_estimate__in=(16, 17)
    )
    return {
        "minoritised": Q(person__ethnicity__in=sorted(MINORITISED_ETHNICITIES)),
        "lgbt": Q(person__sexual_orientation__in=sorted(MINORITY_ORIENTATIONS))
        | Q(person__gender_identity__in=sorted(TRANS_OR_NON_BINARY)),
        "disabled": Q(person__disability=YesNoUnknown.YES),
        "male": Q(person__sex=Sex.MALE),
        "aged_16_17": aged,
    }


@dataclass(frozen=True)
class ProtectedCounts:
    people: int
    by_characteristic: dict[str, int]  # every code of CHARACTERISTICS


def protected_counts(scope: Scope) -> ProtectedCounts:
    age, parts = _age_on_received(scope)
    person = canonical_person()
    row = (
        referrals_in(scope)
        .alias(**parts)
        .alias(_age=age)
        .aggregate(
            people=Count(person, distinct=True),
            **{code: Count(person, distinct=True, filter=q) for code, q in _filters().items()},
        )
    )
    return ProtectedCounts(row["people"], {code: row[code] for code, _n in CHARACTERISTICS})


# Two-sided 95%: the national share is "below" or "above" only outside this interval.
Z_95 = 1.959964


def wilson_interval(successes: int, n: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion (well behaved for small counts and shares near
    0, which most of these are)."""
    if n <= 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


BELOW, ABOVE, IN_LINE = "below", "above", "in_line"


def compare(successes: int, n: int, national: float) -> str | None:
    """How the area's share stands against the national one: the area is "below" the national
    profile when the national share is above the area's whole 95% interval, and so on."""
    interval = wilson_interval(successes, n)
    if interval is None:
        return None
    low, high = interval
    if national > high:
        return BELOW
    if national < low:
        return ABOVE
    return IN_LINE
