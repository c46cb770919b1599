"""The MARAC dataset's figures from one MARAC's case records: pure, no Django (DOMAIN.md,
"MARAC data"). exports.py reads the records and applies disclosure control."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

MINORITY_ORIENTATIONS = frozenset({"gay_lesbian", "bisexual", "other"})
TRANS_OR_NON_BINARY = frozenset({"trans_woman", "trans_man", "non_binary", "other"})
POLICE = "police"


@dataclass(frozen=True)
class CaseRecord:
    """What the dataset needs of one MARAC case (a MARAC referral received in the period)."""

    received: date
    source: str
    is_repeat: bool
    children: int
    ethnicity: str
    sexual_orientation: str
    gender_identity: str
    disability: str
    sex: str
    victim_dob: date | None = None
    victim_age_estimate: int | None = None
    perpetrator_dob: date | None = None
    perpetrator_age_estimate: int | None = None
    has_perpetrator: bool = False


def age_on(day: date, dob: date | None, estimate: int | None) -> int | None:
    if dob is not None:
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
    return estimate


@dataclass
class Tally:
    cases: int = 0
    repeats: int = 0
    children: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    minoritised: int = 0
    lgbt: int = 0
    disabled: int = 0
    male: int = 0
    aged_16_17: int = 0
    perpetrators_17_or_under: int = 0

    @property
    def police(self) -> int:
        return self.by_source.get(POLICE, 0)

    @property
    def non_police(self) -> int:
        return self.cases - self.police


def tally(records: Iterable[CaseRecord], *, minoritised_ethnicities: frozenset[str]) -> Tally:
    result = Tally()
    for r in records:
        result.cases += 1
        result.repeats += r.is_repeat
        result.children += r.children
        result.by_source[r.source] += 1
        result.minoritised += r.ethnicity in minoritised_ethnicities
        result.lgbt += r.sexual_orientation in MINORITY_ORIENTATIONS or r.gender_identity in TRANS_OR_NON_BINARY
        result.disabled += r.disability == "yes"
        result.male += r.sex == "male"
        result.aged_16_17 += age_on(r.received, r.victim_dob, r.victim_age_estimate) in (16, 17)
        perpetrator_age = age_on(r.received, r.perpetrator_dob, r.perpetrator_age_estimate)
        result.perpetrators_17_or_under += r.has_perpetrator and perpetrator_age is not None and perpetrator_age <= 17
    return result


def per_10000(cases: int, adult_women: int) -> float | None:
    return round(cases * 10_000 / adult_women, 1) if adult_women else None
