"""Risk levels and MARAC referral criteria: pure rules, no Django (DOMAIN.md, "Risk assessment").

Thresholds are passed in, never read from settings: each area configures its own
with an effective date, and an old assessment keeps the rule it was made under.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import IntEnum, StrEnum


class RiskLevel(IntEnum):
    """Ordered so that max() gives the higher risk."""

    STANDARD = 1
    MEDIUM = 2
    HIGH = 3

    @property
    def code(self) -> str:
        return self.name.lower()

    @classmethod
    def from_code(cls, code: str) -> RiskLevel:
        return cls[code.strip().upper()]


class Answer(StrEnum):
    YES = "yes"
    NO = "no"
    NOT_KNOWN = "not_known"
    DECLINED = "declined"


class Criterion(StrEnum):
    VISIBLE_HIGH_RISK = "visible_high_risk"
    PROFESSIONAL_JUDGEMENT = "professional_judgement"
    POTENTIAL_ESCALATION = "potential_escalation"
    REPEAT = "repeat"


@dataclass(frozen=True)
class Thresholds:
    """One area's rule set. Defaults are DOMAIN.md's."""

    high_score: int = 14
    medium_score: int = 10
    escalation_incidents: int = 3
    escalation_window_months: int = 12
    repeat_window_months: int = 12

    def __post_init__(self) -> None:
        if not 0 < self.medium_score <= self.high_score:
            raise ValueError("medium_score must be positive and no higher than high_score")
        if self.escalation_incidents < 1 or self.escalation_window_months < 1 or self.repeat_window_months < 1:
            raise ValueError("escalation and repeat settings must be at least 1")


DEFAULT_THRESHOLDS = Thresholds()


def dash_score(answers: Mapping[str, Answer | str] | Iterable[Answer | str]) -> int:
    """Number of "yes" answers. Not known and declined count nothing (but are kept by the caller)."""
    values = answers.values() if isinstance(answers, Mapping) else answers
    return sum(1 for a in values if Answer(a) is Answer.YES)


def level_from_score(score: int | None, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> RiskLevel:
    if score is None or score < thresholds.medium_score:
        return RiskLevel.STANDARD
    if score < thresholds.high_score:
        return RiskLevel.MEDIUM
    return RiskLevel.HIGH


def months_before(moment: date, months: int) -> date:
    """The same day `months` calendar months earlier (clamped to the month's last day)."""
    total = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(total, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def within_months_before(earlier: date | datetime, later: date | datetime, months: int) -> bool:
    """True when `earlier` is before `later` and no more than `months` calendar months before it."""
    return months_before(later, months) <= earlier < later


def is_repeat(
    received: date | datetime, last_marac_referral: date | datetime | None, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> bool:
    """A new incident within the window after the person's last MARAC referral."""
    if last_marac_referral is None:
        return False
    return within_months_before(last_marac_referral, received, thresholds.repeat_window_months)


@dataclass(frozen=True)
class Assessment:
    """The inputs a referral or assessment gives the rules."""

    score: int | None = None
    judgement: RiskLevel | None = None  # the assessor's professional judgement, if given
    police_incidents: int = 0  # in the escalation window, as best known
    sent_level: RiskLevel | None = None  # the referrer's own grading (imports)


@dataclass(frozen=True)
class Outcome:
    level: RiskLevel
    criteria: frozenset[Criterion]
    score_level: RiskLevel

    @property
    def meets_marac(self) -> bool:
        return bool(self.criteria)

    @property
    def is_repeat(self) -> bool:
        return Criterion.REPEAT in self.criteria


def evaluate(assessment: Assessment, *, repeat: bool = False, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Outcome:
    """Risk level and the MARAC criteria met (any one suffices; a repeat is referred whatever the score).

    Professional judgement and the sender's grading may raise the level, never lower it.
    """
    score_level = level_from_score(assessment.score, thresholds)
    escalation = assessment.police_incidents >= thresholds.escalation_incidents
    candidates = [score_level, assessment.judgement, assessment.sent_level, RiskLevel.HIGH if escalation else None]
    level = max(c for c in candidates if c is not None)
    criteria = set()
    if score_level is RiskLevel.HIGH:
        criteria.add(Criterion.VISIBLE_HIGH_RISK)
    if assessment.judgement is RiskLevel.HIGH or (
        assessment.sent_level is RiskLevel.HIGH and score_level is not RiskLevel.HIGH and not escalation
    ):
        criteria.add(Criterion.PROFESSIONAL_JUDGEMENT)
    if escalation:
        criteria.add(Criterion.POTENTIAL_ESCALATION)
    if repeat:
        criteria.add(Criterion.REPEAT)
    return Outcome(level=level, criteria=frozenset(criteria), score_level=score_level)


def police_incidents(
    reported: int | None, police_referral_dates: Iterable[date | datetime], received: date | datetime, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> int:
    """The larger of the reported count and police referrals for the person in the window up to and
    including this one (INTERFACES.md, import rules). `police_referral_dates` includes this one if police."""
    window_start = months_before(received, thresholds.escalation_window_months)
    counted = sum(1 for d in police_referral_dates if window_start <= d <= received)
    return max(reported or 0, counted)
