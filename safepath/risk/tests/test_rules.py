from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepath.risk.rules import (
    Answer,
    Assessment,
    Criterion,
    RiskLevel,
    Thresholds,
    dash_score,
    evaluate,
    is_repeat,
    level_from_score,
    months_before,
    police_incidents,
)

levels = st.sampled_from(list(RiskLevel))
optional_levels = st.none() | levels
scores = st.none() | st.integers(min_value=0, max_value=24)


@pytest.mark.parametrize(
    ("score", "expected"),
    [(None, RiskLevel.STANDARD), (0, RiskLevel.STANDARD), (9, RiskLevel.STANDARD), (10, RiskLevel.MEDIUM), (13, RiskLevel.MEDIUM), (14, RiskLevel.HIGH), (24, RiskLevel.HIGH)],
)
def test_it_bands_scores_at_the_default_boundaries(score, expected):
    assert level_from_score(score) is expected


def test_it_uses_an_areas_own_thresholds():
    strict = Thresholds(high_score=12, medium_score=8)
    assert level_from_score(12, strict) is RiskLevel.HIGH
    assert level_from_score(11, strict) is RiskLevel.MEDIUM
    assert level_from_score(7, strict) is RiskLevel.STANDARD


def test_it_refuses_inconsistent_thresholds():
    with pytest.raises(ValueError):
        Thresholds(high_score=10, medium_score=11)
    with pytest.raises(ValueError):
        Thresholds(escalation_incidents=0)


def test_it_counts_only_yes_answers():
    answers = {"q1": Answer.YES, "q2": "yes", "q3": Answer.NOT_KNOWN, "q4": Answer.DECLINED, "q5": Answer.NO}
    assert dash_score(answers) == 2
    assert dash_score(["yes"] * 24) == 24


@pytest.mark.parametrize(
    ("assessment", "criteria"),
    [
        (Assessment(score=14), {Criterion.VISIBLE_HIGH_RISK}),
        (Assessment(score=13), set()),
        (Assessment(score=3, judgement=RiskLevel.HIGH), {Criterion.PROFESSIONAL_JUDGEMENT}),
        (Assessment(score=3, judgement=RiskLevel.MEDIUM), set()),
        (Assessment(score=3, police_incidents=3), {Criterion.POTENTIAL_ESCALATION}),
        (Assessment(score=3, police_incidents=2), set()),
        (Assessment(score=None, sent_level=RiskLevel.HIGH), {Criterion.PROFESSIONAL_JUDGEMENT}),
        (Assessment(score=20, judgement=RiskLevel.HIGH, police_incidents=5), {Criterion.VISIBLE_HIGH_RISK, Criterion.PROFESSIONAL_JUDGEMENT, Criterion.POTENTIAL_ESCALATION}),
    ],
)
def test_it_names_each_criterion_met(assessment, criteria):
    outcome = evaluate(assessment)
    assert outcome.criteria == criteria
    assert outcome.meets_marac == bool(criteria)
    assert (outcome.level is RiskLevel.HIGH) == bool(criteria)


def test_it_refers_a_repeat_whatever_the_score():
    outcome = evaluate(Assessment(score=0), repeat=True)
    assert outcome.is_repeat and outcome.meets_marac
    assert outcome.level is RiskLevel.STANDARD


def test_it_applies_an_areas_escalation_count():
    assert Criterion.POTENTIAL_ESCALATION in evaluate(Assessment(police_incidents=5), thresholds=Thresholds(escalation_incidents=5)).criteria
    assert not evaluate(Assessment(police_incidents=4), thresholds=Thresholds(escalation_incidents=5)).meets_marac


@given(score=scores, judgement=optional_levels, sent=optional_levels, incidents=st.integers(0, 20))
def test_it_never_lets_judgement_lower_the_level(score, judgement, sent, incidents):
    outcome = evaluate(Assessment(score=score, judgement=judgement, police_incidents=incidents, sent_level=sent))
    assert outcome.level >= level_from_score(score)
    if judgement is not None:
        assert outcome.level >= judgement
    if sent is not None:
        assert outcome.level >= sent
    without = evaluate(Assessment(score=score, police_incidents=incidents, sent_level=sent))
    assert outcome.level >= without.level


@pytest.mark.parametrize(
    ("last", "received", "expected"),
    [
        (date(2025, 3, 10), date(2026, 3, 10), True),  # exactly 12 months: still within
        (date(2025, 3, 9), date(2026, 3, 10), False),  # a day more than 12 months
        (date(2025, 3, 11), date(2026, 3, 10), True),
        (date(2026, 3, 10), date(2026, 3, 10), False),  # not before
        (date(2024, 2, 29), date(2025, 2, 28), True),  # leap day clamps to the month's end
        (None, date(2026, 3, 10), False),
    ],
)
def test_it_detects_repeats_at_the_12_month_boundary(last, received, expected):
    assert is_repeat(received, last) is expected


@given(received=st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)), gap=st.integers(0, 800))
def test_it_keeps_the_repeat_window_exact(received, gap):
    last = received - timedelta(days=gap)
    boundary = months_before(received, 12)
    assert is_repeat(received, last) is (gap > 0 and last >= boundary)


@given(received=st.datetimes(min_value=datetime(2001, 1, 1), max_value=datetime(2099, 1, 1)), months=st.integers(1, 36))
def test_it_moves_back_whole_calendar_months(received, months):
    earlier = months_before(received, months)
    assert (received.year * 12 + received.month) - (earlier.year * 12 + earlier.month) == months
    assert earlier.day <= received.day
    assert earlier.time() == received.time()


def test_it_counts_police_incidents_as_the_larger_of_reported_and_referrals():
    received = date(2026, 6, 1)
    dates = [date(2026, 6, 1), date(2026, 1, 5), date(2025, 6, 1), date(2025, 5, 31)]
    assert police_incidents(None, dates, received) == 3
    assert police_incidents(5, dates, received) == 5
    assert police_incidents(0, [], received) == 0
