"""A budget plan across financial years: the envelope falls by each year's savings target from
the base year's committed spend; the gap is what the envelope leaves once committed spend and
planned reinvestment are paid for (negative: savings still to find). Pure: no Django imports."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class YearRow:
    year: int
    saving: Decimal
    cumulative_saving: Decimal
    envelope: Decimal
    committed: Decimal
    reinvestment: Decimal

    @property
    def gap(self) -> Decimal:
        return self.envelope - self.committed - self.reinvestment


def plan_years(
    base_year: int,
    committed: dict[int, Decimal],
    reinvestment: dict[int, Decimal],
    savings: dict[int, Decimal],
) -> list[YearRow]:
    baseline = committed.get(base_year, ZERO)
    last = max([base_year, *committed, *reinvestment, *savings])
    rows, cumulative = [], ZERO
    for year in range(base_year, last + 1):
        saving = savings.get(year, ZERO) if year > base_year else ZERO
        cumulative += saving
        rows.append(
            YearRow(
                year, saving, cumulative, baseline - cumulative, committed.get(year, ZERO), reinvestment.get(year, ZERO)
            )
        )
    return rows
