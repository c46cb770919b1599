"""Outcome arithmetic shared by the case page and, later, commissioner reporting.

Pure functions (no Django). They take anonymous answers — an opaque case key, a measure
code, the moment, when, and the scale value (None when skipped) — and return counts and
directions of change, never anything about a person. Reporting applies disclosure control
(small-number suppression) to what comes out; nothing here does.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from safepath.outcomes.due import EXIT, INTAKE

BETTER, SAME, WORSE = "better", "same", "worse"
DIRECTIONS = (BETTER, SAME, WORSE)
RISK_ORDER = {"standard": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Answer:
    case: Hashable  # an opaque key (e.g. the case id), never a name
    measure: str
    moment: str
    at: datetime
    value: int | None  # None: skipped


@dataclass(frozen=True)
class MeasureChange:
    measure: str
    first: int | None
    last: int | None
    answered: int  # answers with a value (skips are not counted)
    direction: str | None  # None until there are two answers to compare


@dataclass(frozen=True)
class ChangeCounts:
    cases: int = 0  # cases with a value at both intake and exit
    better: int = 0
    same: int = 0
    worse: int = 0


@dataclass(frozen=True)
class FrameworkCounts:
    cases: int  # cases with intake and exit values on at least one of the measures
    measures: dict[str, ChangeCounts]


def direction(first: int, last: int, *, higher_is_better: bool = True) -> str:
    """better, same or worse going from `first` to `last` on a scale."""
    if first == last:
        return SAME
    return BETTER if (last > first) == higher_is_better else WORSE


def risk_direction(first_level: str, last_level: str) -> str:
    """A lower risk level is better (standard < medium < high)."""
    return direction(RISK_ORDER[first_level], RISK_ORDER[last_level], higher_is_better=False)


def _valued(answers: Iterable[Answer]) -> list[Answer]:
    return sorted((a for a in answers if a.value is not None), key=lambda a: a.at)


def measure_change(measure: str, answers: Iterable[Answer], *, higher_is_better: bool = True) -> MeasureChange:
    """First answer against the latest one, for one case and one measure."""
    valued = _valued(a for a in answers if a.measure == measure)
    if not valued:
        return MeasureChange(measure, None, None, 0, None)
    first, last = valued[0].value, valued[-1].value
    assert first is not None and last is not None
    moved = direction(first, last, higher_is_better=higher_is_better) if len(valued) > 1 else None
    return MeasureChange(measure, first, last, len(valued), moved)


def case_changes(answers: Iterable[Answer], *, higher_is_better: Mapping[str, bool]) -> dict[str, MeasureChange]:
    """Per measure of one case: first and latest value and the direction of change."""
    by_measure: dict[str, list[Answer]] = defaultdict(list)
    for answer in answers:
        by_measure[answer.measure].append(answer)
    return {
        code: measure_change(code, rows, higher_is_better=higher_is_better.get(code, True))
        for code, rows in by_measure.items()
    }


def intake_exit_direction(answers: Iterable[Answer], *, higher_is_better: bool = True) -> str | None:
    """For one case and measure: the first intake value against the latest exit value, or None
    when either is missing."""
    valued = _valued(answers)
    intake = [a.value for a in valued if a.moment == INTAKE]
    exit_ = [a.value for a in valued if a.moment == EXIT]
    if not intake or not exit_:
        return None
    return direction(intake[0], exit_[-1], higher_is_better=higher_is_better)  # type: ignore[arg-type]


def framework_counts(answers: Iterable[Answer], *, higher_is_better: Mapping[str, bool]) -> FrameworkCounts:
    """Among cases with both an intake and an exit answer, how many got better, stayed the same
    or got worse, per measure; `cases` counts each such case once."""
    grouped: dict[tuple[Hashable, str], list[Answer]] = defaultdict(list)
    for answer in answers:
        grouped[(answer.case, answer.measure)].append(answer)
    tallies: dict[str, Counter[str]] = defaultdict(Counter)
    compared: set[Hashable] = set()
    for (case, measure), rows in grouped.items():
        moved = intake_exit_direction(rows, higher_is_better=higher_is_better.get(measure, True))
        if moved is not None:
            tallies[measure][moved] += 1
            compared.add(case)
    measures = {
        code: ChangeCounts(cases=sum(t.values()), better=t[BETTER], same=t[SAME], worse=t[WORSE])
        for code, t in tallies.items()
    }
    return FrameworkCounts(cases=len(compared), measures=measures)


def exit_distribution(answers: Iterable[Answer], measure: str) -> Counter[int]:
    """How many cases gave each value at exit (their latest exit answer) for an exit-only
    measure such as "has the abuse stopped or reduced"."""
    latest: dict[Hashable, Answer] = {}
    for answer in _valued(a for a in answers if a.measure == measure and a.moment == EXIT):
        latest[answer.case] = answer
    return Counter(a.value for a in latest.values() if a.value is not None)


def skip_counts(answers: Iterable[Answer]) -> dict[str, tuple[int, int]]:
    """Per measure: (answered, skipped). A high skip rate says a question needs rewording."""
    answered: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    for answer in answers:
        (answered if answer.value is not None else skipped)[answer.measure] += 1
    return {code: (answered[code], skipped[code]) for code in sorted(set(answered) | set(skipped))}
