"""Which decision-making body must approve a change to a contract. Pure: no Django imports.

Rules are configuration rows (commissioning.ApprovalRule); this module only applies them.
Each rule names the body it requires and the conditions under which it applies; the body
required for a change is the one with the highest authority among every rule that applies,
so adding a stricter rule can never be undercut by a looser one. With no rule applying,
the lowest body configured may decide (`fallback`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Body:
    id: int
    name: str
    rank: int  # higher ranks hold more authority


@dataclass(frozen=True)
class Rule:
    id: int
    name: str
    kind: str  # extension / variation / decommission
    required: Body
    months_over: int | None = None  # applies when the change is longer than this many months
    first_approved_by: int | None = None  # applies when the contract was first approved by this body id
    value_over: Decimal | None = None  # applies when the change's value is above this


@dataclass(frozen=True)
class Change:
    kind: str
    months: int = 0
    value: Decimal = Decimal("0")
    first_approved_by: int | None = None


def applies(rule: Rule, change: Change) -> bool:
    if rule.kind != change.kind:
        return False
    if rule.months_over is not None and change.months <= rule.months_over:
        return False
    if rule.first_approved_by is not None and change.first_approved_by != rule.first_approved_by:
        return False
    return not (rule.value_over is not None and change.value <= rule.value_over)


def governing_rule(rules: Iterable[Rule], change: Change) -> Rule | None:
    """The applying rule requiring the most authority (ties: the lowest id, i.e. the oldest)."""
    matching = [r for r in rules if applies(r, change)]
    if not matching:
        return None
    return min(matching, key=lambda r: (-r.required.rank, r.id))


def required_body(rules: Iterable[Rule], change: Change, fallback: Body) -> Body:
    rule = governing_rule(rules, change)
    return rule.required if rule else fallback


def may_decide(deciding: Body, required: Body) -> bool:
    """A body may take a decision when it holds at least the required authority."""
    return deciding.rank >= required.rank
