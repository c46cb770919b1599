"""The pure rules: which body must approve a change, and term dates and deadlines."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from safepath.commissioning import approvals, budgets, terms

OFFICER = approvals.Body(1, "Officer", 10)
DIRECTOR = approvals.Body(2, "Director", 20)
CABINET = approvals.Body(4, "Cabinet", 40)
RULES = [
    approvals.Rule(1, "any extension: director", "extension", DIRECTOR),
    approvals.Rule(
        2, "over 3 months on a cabinet contract: cabinet", "extension", CABINET, months_over=3, first_approved_by=4
    ),
    approvals.Rule(3, "variation over 50k: director", "variation", DIRECTOR, value_over=Decimal("50000")),
]


def _required(kind: str, months: int = 0, value: str = "0", first: int | None = None) -> approvals.Body:
    return approvals.required_body(RULES, approvals.Change(kind, months, Decimal(value), first), OFFICER)


def test_it_needs_cabinet_for_a_long_extension_of_a_cabinet_contract() -> None:
    assert _required("extension", months=24, first=4) == CABINET


def test_it_needs_only_a_director_for_a_three_month_extension_of_a_cabinet_contract() -> None:
    assert _required("extension", months=3, first=4) == DIRECTOR


def test_it_needs_only_a_director_for_a_long_extension_of_a_contract_a_director_approved() -> None:
    assert _required("extension", months=24, first=2) == DIRECTOR


def test_it_falls_back_to_the_lowest_body_when_no_rule_applies() -> None:
    assert _required("variation", value="50000") == OFFICER
    assert _required("variation", value="50000.01") == DIRECTOR
    assert _required("decommission") == OFFICER


@given(months=st.integers(0, 120), first=st.sampled_from([None, 1, 2, 4]), value=st.integers(0, 10**7))
def test_it_never_requires_less_than_any_applying_rule(months: int, first: int | None, value: int) -> None:
    change = approvals.Change("extension", months, Decimal(value), first)
    required = approvals.required_body(RULES, change, OFFICER)
    assert all(required.rank >= r.required.rank for r in RULES if approvals.applies(r, change))
    assert approvals.may_decide(required, required)


def test_it_lets_higher_bodies_decide_and_refuses_lower_ones() -> None:
    assert approvals.may_decide(CABINET, DIRECTOR)
    assert not approvals.may_decide(DIRECTOR, CABINET)


def test_it_dates_a_2_2_1_contracts_options_and_deadlines() -> None:
    periods = terms.option_periods(date(2026, 3, 31), [24, 12], lead_days=180)
    assert [(p.starts, p.ends) for p in periods] == [
        (date(2026, 4, 1), date(2028, 3, 31)),
        (date(2028, 4, 1), date(2029, 3, 31)),
    ]
    assert periods[0].deadline == date(2025, 10, 2)
    assert periods[1].deadline == date(2027, 10, 3)


def test_it_clamps_month_ends() -> None:
    assert terms.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert terms.term_end(date(2024, 4, 1), 24) == date(2026, 3, 31)


def test_it_knows_financial_years_and_quarters() -> None:
    assert terms.financial_year(date(2025, 3, 31)) == 2024
    assert terms.financial_year(date(2025, 4, 1)) == 2025
    assert [terms.quarter_of(date(2025, m, 1)) for m in (4, 7, 10, 1, 3)] == [1, 2, 3, 4, 4]
    assert terms.financial_year_label(2025) == "2025/26"


def test_it_takes_the_savings_off_the_baseline_year_by_year() -> None:
    m = Decimal("1000000")
    rows = budgets.plan_years(
        2024,
        committed={
            2024: Decimal("9.4") * m,
            2025: Decimal("8.6") * m,
            2026: Decimal("7.9") * m,
            2027: Decimal("5.9") * m,
        },
        reinvestment={2025: Decimal("0.1") * m},
        savings={2025: 1 * m, 2026: Decimal("0.5") * m, 2027: 2 * m},
    )
    assert [r.envelope / m for r in rows] == [Decimal("9.4"), Decimal("8.4"), Decimal("7.9"), Decimal("5.9")]
    assert [r.gap / m for r in rows] == [0, Decimal("-0.3"), 0, 0]
