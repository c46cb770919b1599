"""The report measures a contract's target can be measured by (ADR 12; issue 7).

Each key is the figure's path in the commissioner's report (`safepath report --format json`,
INTERFACES.md), so a target's actual is the very number the report shows elsewhere: the report
section for performance against the contract (safepath.reporting.sections.performance) reads
it from the built report. A target with no measure has its actual recorded by hand, period by
period (TargetUpdate).

This list is what the report can compute, not a local choice, so it is code; which measure a
contract's target uses is data (Target.metric), set by the lead commissioner.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class MeasureKind(StrEnum):
    COUNT = "count"  # a count of referrals, cases or people: through disclosure control
    RATE = "rate"  # a share 0–1 in the report; targets for it are percentages
    DAYS = "days"  # a median number of days


@dataclass(frozen=True)
class Measure:
    key: str
    label: object  # words (lazily translated)
    kind: MeasureKind
    base: str = ""  # for a rate: the count it is a share of (to say why a rate is not shown)

    @property
    def unit(self) -> str:
        return {MeasureKind.RATE: "%", MeasureKind.DAYS: "days"}.get(self.kind, "")


MEASURES: tuple[Measure, ...] = (
    Measure("referrals.total", _("Referrals received"), MeasureKind.COUNT),
    Measure("referrals.unique_people", _("Different people referred"), MeasureKind.COUNT),
    Measure("referrals.re_referrals_12m", _("Re-referrals within 12 months"), MeasureKind.COUNT),
    Measure(
        "referrals.re_referral_rate",
        _("Re-referrals within 12 months, as a share of referrals"),
        MeasureKind.RATE,
        "referrals.total",
    ),
    Measure("marac.cases", _("MARAC cases"), MeasureKind.COUNT),
    Measure("marac.repeat_rate", _("MARAC repeat rate"), MeasureKind.RATE, "marac.cases"),
    Measure("idva.referrals", _("IDVA referrals"), MeasureKind.COUNT),
    Measure("idva.engaged", _("IDVA cases engaged"), MeasureKind.COUNT),
    Measure("idva.engagement_rate", _("IDVA engagement rate"), MeasureKind.RATE, "idva.referrals"),
    Measure(
        "waiting.median_days_to_first_contact",
        _("Median days from a case opening to first contact"),
        MeasureKind.DAYS,
        "waiting.cases_with_first_contact",
    ),
    Measure("waiting.declined_no_capacity", _("Referrals declined for lack of capacity"), MeasureKind.COUNT),
    Measure("programmes.attendees", _("Group programme places attended"), MeasureKind.COUNT),
    Measure("programmes.completed", _("Group programme places completed"), MeasureKind.COUNT),
    Measure(
        "outcomes.abuse_stopped_or_reduced.rate",
        _("Abuse stopped or reduced at exit, as a share of cases asked"),
        MeasureKind.RATE,
        "outcomes.abuse_stopped_or_reduced.answered",
    ),
    Measure(
        "outcomes.risk_level_change.lower_rate",
        _("Risk level lower at closure, as a share of cases"),
        MeasureKind.RATE,
        "outcomes.risk_level_change.cases",
    ),
)

BY_KEY: dict[str, Measure] = {m.key: m for m in MEASURES}


def measure(key: str) -> Measure | None:
    return BY_KEY.get(key or "")


def choices() -> list[tuple[str, object]]:
    return [(m.key, m.label) for m in MEASURES]
