"""Display values for outcomes: a case's change over time, per framework and question, in
words (the scale's labels and "better", "worse", "no change"), never colour alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepath.jinja2 import localtime
from safepath.outcomes import summary
from safepath.outcomes.choices import HealthStatus, Moment
from safepath.outcomes.models import HealthAction, HealthStatusChange, Measure, OutcomeFramework, Recording

DIRECTION_WORDS = {
    summary.BETTER: gettext_lazy("Better"),
    summary.SAME: gettext_lazy("No change"),
    summary.WORSE: gettext_lazy("Worse"),
}
DIRECTION_TAG = {summary.BETTER: "govuk-tag--green", summary.SAME: "govuk-tag--grey", summary.WORSE: "govuk-tag--red"}
HEALTH_TAG = {
    HealthStatus.PLANNED: "govuk-tag--blue",
    HealthStatus.IN_PROGRESS: "govuk-tag--light-blue",
    HealthStatus.ACHIEVED: "govuk-tag--green",
    HealthStatus.DECLINED: "govuk-tag--grey",
    HealthStatus.NOT_ACHIEVED: "govuk-tag--orange",
}


def day(value: date) -> str:
    return formats.date_format(value, "j M Y")


def direction_words(direction: str | None) -> str:
    if direction is None:
        return _("Not compared yet")
    return str(DIRECTION_WORDS[direction])


def moment_label(moment: str) -> str:
    return str(Moment(moment).label)


@dataclass(frozen=True)
class Cell:
    """One answer as shown: the scale's label (or "Skipped: reason") and its date."""

    text: str
    on: str
    skipped: bool
    asked_again: bool


@dataclass
class MeasureRow:
    measure: Measure
    intake: list[Cell] = field(default_factory=list)
    reviews: list[Cell] = field(default_factory=list)
    exit: list[Cell] = field(default_factory=list)
    change: str = ""
    direction: str | None = None

    @property
    def tag(self) -> str:
        return DIRECTION_TAG.get(self.direction or "", "govuk-tag--grey")


@dataclass
class FrameworkHistory:
    framework: OutcomeFramework
    asked: bool  # still asked on this case's pathway
    rows: list[MeasureRow]


def _cell(recording: Recording, labels: dict[tuple[int, int], str], reasons: dict[str, str]) -> Cell:
    on = day(timezone.localdate(recording.recorded_at))
    if recording.value is None:
        reason = reasons.get(recording.skip_reason, recording.skip_reason)
        return Cell(_("Skipped: %(reason)s") % {"reason": reason}, on, True, bool(recording.ask_again_reason))
    text = labels.get((recording.measure.scale_id, recording.value), str(recording.value))
    return Cell(text, on, False, bool(recording.ask_again_reason))


def _row(
    measure: Measure, recordings: list[Recording], labels: dict[tuple[int, int], str], reasons: dict[str, str]
) -> MeasureRow:
    row = MeasureRow(measure)
    slots = {Moment.INTAKE: row.intake, Moment.REVIEW: row.reviews, Moment.EXIT: row.exit}
    for recording in recordings:
        slots[recording.moment].append(_cell(recording, labels, reasons))
    answers = [
        summary.Answer(recording.case_id, measure.code, recording.moment, recording.recorded_at, recording.value)
        for recording in recordings
    ]
    change = summary.measure_change(measure.code, answers, higher_is_better=measure.higher_is_better)
    row.direction = change.direction
    row.change = direction_words(change.direction)
    if change.direction is None and len(measure.moments) == 1:
        row.change = _("Asked once: not compared")
    return row


def history(
    frameworks: list[OutcomeFramework],
    recordings: list[Recording],
    labels: dict[tuple[int, int], str],
    reasons: dict[str, str],
) -> list[FrameworkHistory]:
    """The frameworks the case is asked, then any others it has answers for (answers given
    before a framework or question was retired stay visible), each question with its answers."""
    by_measure: dict[int, list[Recording]] = {}
    for recording in recordings:
        by_measure.setdefault(recording.measure_id, []).append(recording)
    result = []
    shown: set[int] = set()
    for framework in frameworks:
        measures = list(framework.asked)  # type: ignore[attr-defined]
        measures += [
            r[0].measure
            for mid, r in by_measure.items()
            if r[0].measure.framework_id == framework.pk and mid not in {m.pk for m in measures}
        ]
        shown |= {m.pk for m in measures}
        result.append(
            FrameworkHistory(framework, True, [_row(m, by_measure.get(m.pk, []), labels, reasons) for m in measures])
        )
    retired: dict[int, FrameworkHistory] = {}
    for measure_id, rows in by_measure.items():
        if measure_id in shown:
            continue
        measure = rows[0].measure
        entry = retired.setdefault(measure.framework_id, FrameworkHistory(measure.framework, False, []))
        entry.rows.append(_row(measure, rows, labels, reasons))
    for entry in retired.values():
        entry.rows.sort(key=lambda r: (r.measure.order, r.measure.pk))
    return result + sorted(retired.values(), key=lambda h: (h.framework.order, h.framework.name))


# --- risk level change ------------------------------------------------------------------------


@dataclass(frozen=True)
class RiskSummary:
    first: str
    first_on: str
    latest: str
    latest_on: str
    change: str
    direction: str | None

    @property
    def tag(self) -> str:
        return DIRECTION_TAG.get(self.direction or "", "govuk-tag--grey")


def risk(change: Any) -> RiskSummary | None:
    """The risk level at the start of support against the latest assessment, in words."""
    if change is None:
        return None
    first, latest = change.first, change.latest
    direction = None if first.pk == latest.pk else summary.risk_direction(first.level, latest.level)
    return RiskSummary(
        first=first.get_level_display(),
        first_on=day(timezone.localdate(first.assessed_at)),
        latest=latest.get_level_display(),
        latest_on=day(timezone.localdate(latest.assessed_at)),
        change=direction_words(direction) if direction else _("Only one assessment so far"),
        direction=direction,
    )


# --- health advocacy ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthRow:
    action: HealthAction
    label: str
    status: str
    tag: str
    on: str
    started: str


def health_row(action: HealthAction, kinds: dict[str, str]) -> HealthRow:
    return HealthRow(
        action=action,
        label=kinds.get(action.action, action.action),
        status=str(HealthStatus(action.status).label),
        tag=HEALTH_TAG.get(action.status, "govuk-tag--grey"),
        on=day(action.status_on),
        started=day(timezone.localdate(action.created_at)),
    )


@dataclass(frozen=True)
class HealthEvent:
    status: str
    previous: str
    on: str
    recorded: str
    by: str


def health_history(changes: list[HealthStatusChange]) -> list[HealthEvent]:
    return [
        HealthEvent(
            status=str(HealthStatus(c.to_status).label),
            previous=str(HealthStatus(c.from_status).label) if c.from_status else "",
            on=day(c.on),
            recorded=localtime(c.recorded_at),
            by=c.recorded_by.full_name if c.recorded_by else _("Not known"),
        )
        for c in changes
    ]


# --- framework configuration -------------------------------------------------------------------


def scale_texts(measures: list[Measure], labels: dict[tuple[int, int], str]) -> dict[int, str]:
    """Per measure id: its answers in order, e.g. "Not at all safe … Completely safe"."""
    by_scale: dict[int, list[tuple[int, str]]] = {}
    for (scale_id, value), label in labels.items():
        by_scale.setdefault(scale_id, []).append((value, label))
    return {m.pk: " / ".join(label for _v, label in sorted(by_scale.get(m.scale_id, []))) for m in measures}


def moments_text(measure: Measure) -> str:
    return ", ".join(moment_label(m).lower() for m in measure.moments)
