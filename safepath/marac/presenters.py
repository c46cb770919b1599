"""Display values for MARAC pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from safepath.referrals.presenters import MARAC_CRITERIA, MARAC_SHORT


def criteria_short(codes: list[str]) -> list[str]:
    return [str(MARAC_SHORT.get(code, code)) for code in codes]


def criteria_full(codes: list[str]) -> list[str]:
    return [str(MARAC_CRITERIA.get(code, code)) for code in codes]


def action_state(action: Any, today: date) -> tuple[str, str]:
    """(label, tag class) for an action."""
    if action.completed_at:
        return "Done", "govuk-tag--green"
    if action.due_on < today:
        return "Overdue", "govuk-tag--red"
    return "Open", "govuk-tag--blue"


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f}%"


HELPERS = {
    "criteria_short": criteria_short,
    "criteria_full": criteria_full,
    "action_state": action_state,
    "percent": percent,
}
