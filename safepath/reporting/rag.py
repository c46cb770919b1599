"""Red, amber, green: an actual against its target, in words (issue 7).

Pure: no database. `rate` compares an actual with a target in the direction the target's
polarity says is better:

- green: at the target or beyond it (on the better side);
- amber: short of it by no more than the tolerance (a share of the target's size; setting
  SAFEPATH_RAG_AMBER_TOLERANCE, a percentage, default 10);
- red: further short;
- not rated: no actual (not recorded, or hidden by disclosure control), with the reason.

The status is always given in words; any colour is decoration. Numbers are compared as
Decimals so that a rating never depends on floating-point rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

HIGHER = "higher"  # commissioning.choices.Polarity.HIGHER_IS_BETTER
LOWER = "lower"  # commissioning.choices.Polarity.LOWER_IS_BETTER

POLARITY_WORDS = {HIGHER: _("Higher is better"), LOWER: _("Lower is better")}


class Status(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_RATED = "not_rated"


LABELS = {
    Status.GREEN: _("Green"),
    Status.AMBER: _("Amber"),
    Status.RED: _("Red"),
    Status.NOT_RATED: _("Not rated"),
}
MEANINGS = {
    Status.GREEN: _("target met"),
    Status.AMBER: _("just short of the target"),
    Status.RED: _("target not met"),
}

# Best first: a better actual never moves a rating further down this list.
ORDER = (Status.GREEN, Status.AMBER, Status.RED)


@dataclass(frozen=True)
class Rating:
    status: Status
    reason: str = ""  # why it is not rated, in words; empty when rated

    @property
    def label(self) -> str:
        return str(LABELS[self.status])

    @property
    def detail(self) -> str:
        """The meaning of a rating, or why there is none."""
        return self.reason or str(MEANINGS.get(self.status, ""))

    @property
    def words(self) -> str:
        """For example "Green: target met", or "Not rated: no actual recorded for this period"."""
        return f"{self.label}: {self.detail}" if self.detail else self.label


def default_tolerance() -> Decimal:
    """The configured amber band as a fraction of the target (10 → 0.10)."""
    from django.conf import settings

    return Decimal(int(getattr(settings, "SAFEPATH_RAG_AMBER_TOLERANCE", 10))) / 100


def _decimal(value: Decimal | float | int) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def rate(
    actual: Decimal | float | int | None,
    target: Decimal | float | int,
    polarity: str,
    *,
    tolerance: Decimal | None = None,
    reason: str = "",
) -> Rating:
    """Rate `actual` against `target`. `actual` None is not rated, with `reason` (say why: hidden
    by disclosure control, not recorded, …)."""
    if polarity not in (HIGHER, LOWER):
        raise ValueError(f"unknown polarity {polarity!r}")
    if actual is None:
        return Rating(Status.NOT_RATED, reason or str(_("no actual for this period")))
    band = abs(_decimal(target)) * (default_tolerance() if tolerance is None else _decimal(tolerance))
    # How far the actual is beyond the target on the better side (negative: short of it).
    margin = _decimal(actual) - _decimal(target)
    if polarity == LOWER:
        margin = -margin
    if margin >= 0:
        return Rating(Status.GREEN)
    if -margin <= band:
        return Rating(Status.AMBER)
    return Rating(Status.RED)
