"""When an outcome question is due: the trauma-informed rule "never re-asked without need".

Pure functions (no Django), tested exhaustively in tests/test_due.py.

- At intake and at exit a question is asked once per case.
- At a review it is asked when nobody has asked it (at intake or at a review) within the
  pathway's review interval: an answer given at intake last week is not asked again today.
- A question skipped as "not the right time" stays due: the person put it off, they did not
  refuse it. Any other skip (chose not to answer, not relevant, other) settles it.
- A worker may still ask again on purpose, with a reason (handled by the service).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

INTAKE, REVIEW, EXIT = "intake", "review", "exit"
MOMENTS = (INTAKE, REVIEW, EXIT)

# Skip reasons that put a question off rather than settle it (codes of outcome_skip_reasons).
DEFERRING_SKIPS = frozenset({"not_right_time"})


@dataclass(frozen=True)
class Asked:
    """A question already asked on the case: at which moment, on which (local) date, and the
    skip reason when it was not answered ("" when it was)."""

    moment: str
    on: date
    skip_reason: str = ""

    @property
    def settles(self) -> bool:
        return self.skip_reason not in DEFERRING_SKIPS


def is_due(
    moment: str, *, taken_at: Iterable[str], asked: Iterable[Asked], today: date, review_interval_days: int
) -> bool:
    """Whether a question taken at `taken_at` moments should be asked at `moment` today, given
    what has been asked before on this case."""
    if moment not in MOMENTS:
        raise ValueError(f"unknown moment {moment!r}")
    if moment not in set(taken_at):
        return False
    settled = [a for a in asked if a.settles]
    if moment == REVIEW:
        recent = [a.on for a in settled if a.moment in (INTAKE, REVIEW)]
        return not recent or (today - max(recent)).days >= review_interval_days
    return not any(a.moment == moment for a in settled)


def next_review_on(*, asked: Iterable[Asked], review_interval_days: int) -> date | None:
    """The first day a review question becomes due again (None: due now, never asked)."""
    recent = [a.on for a in asked if a.settles and a.moment in (INTAKE, REVIEW)]
    return max(recent) + timedelta(days=review_interval_days) if recent else None
