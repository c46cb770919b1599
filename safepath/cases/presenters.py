"""Display values for case pages: plain words for waits, benchmarks, flags and dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safepath.cases.choices import CaseStatus
from safepath.cases.models import Case, PathwaySettings
from safepath.referrals.presenters import risk_tag

__all__ = ["benchmark", "day", "risk_tag", "status_tag", "step_down_due", "wait_estimate", "waited"]

# Fewer allocations than this in the throughput window say too little to estimate from.
MIN_ALLOCATIONS = 3

STATUS_TAG = {
    CaseStatus.WAITING: "govuk-tag--yellow",
    CaseStatus.ALLOCATED: "govuk-tag--light-blue",
    CaseStatus.ACTIVE: "govuk-tag--green",
    CaseStatus.STEPPING_DOWN: "govuk-tag--purple",
    CaseStatus.CLOSED: "govuk-tag--grey",
}


def status_tag(status: str) -> dict[str, str]:
    label = CaseStatus(status).label if status in CaseStatus.values else status
    return {"text": str(label), "classes": STATUS_TAG.get(status, "govuk-tag--grey")}


def day(value: date | datetime | None) -> str:
    """A date in words (Europe/London for a date-time), or an empty string."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return f"{value.day} {value:%b %Y}"


@dataclass(frozen=True)
class Benchmark:
    count: int
    low: int
    high: int

    @property
    def word(self) -> str:
        """ "below", "within" or "above" the benchmark range."""
        if self.count < self.low:
            return "below"
        if self.count > self.high:
            return "above"
        return "within"

    @property
    def text(self) -> str:
        cases = ngettext("%(count)s open case", "%(count)s open cases", self.count) % {"count": self.count}
        words = {
            "below": _("%(cases)s: below the benchmark of %(low)s–%(high)s"),
            "within": _("%(cases)s: within the benchmark of %(low)s–%(high)s"),
            "above": _("%(cases)s: above the benchmark of %(low)s–%(high)s"),
        }
        return words[self.word] % {"cases": cases, "low": self.low, "high": self.high}

    @property
    def tag(self) -> dict[str, str]:
        texts = {"below": _("Below"), "within": _("Within"), "above": _("Above")}
        classes = {"below": "govuk-tag--blue", "within": "govuk-tag--green", "above": "govuk-tag--red"}
        return {"text": texts[self.word], "classes": classes[self.word]}


def benchmark(count: int, settings: PathwaySettings) -> Benchmark:
    return Benchmark(count, settings.caseload_low, settings.caseload_high)


def wait_estimate(position: int, allocations: int, days: int) -> str:
    """How long the person at `position` on the list may wait, at the rate of `allocations`
    from the list in the last `days` days, in plain words."""
    if allocations < MIN_ALLOCATIONS:
        return _("Not enough recent allocations to estimate")
    wait_days = position * days / allocations
    if wait_days < 7:
        return _("Less than a week")
    weeks = round(wait_days / 7)
    return ngettext("About %(weeks)s week", "About %(weeks)s weeks", weeks) % {"weeks": weeks}


def waited(since: datetime | None, now: datetime | None = None) -> str:
    """How long since `since`, in days up to two weeks, then weeks."""
    if since is None:
        return ""
    days = (timezone.localdate(now or timezone.now()) - timezone.localdate(since)).days
    if days < 14:
        return ngettext("%(n)s day", "%(n)s days", days) % {"n": days}
    weeks = days // 7
    return ngettext("%(n)s week", "%(n)s weeks", weeks) % {"n": weeks}


def step_down_due(case: Case, settings: PathwaySettings | None, today: date) -> bool:
    """The support period ends within the pathway's prompt days and no step-down has started."""
    if case.support_ends_on is None or case.status not in (CaseStatus.ALLOCATED, CaseStatus.ACTIVE):
        return False
    days = settings.step_down_prompt_days if settings else 28
    return case.support_ends_on - timedelta(days=days) <= today


def overdue(value: date | None, today: date) -> bool:
    return value is not None and value < today
