"""When a question is due (outcomes/due.py): never asked again without need."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepath.outcomes.due import EXIT, INTAKE, MOMENTS, REVIEW, Asked, is_due, next_review_on

TODAY = date(2026, 6, 1)
ALL = (INTAKE, REVIEW, EXIT)


def due(moment, asked=(), taken_at=ALL, interval=90, today=TODAY):
    return is_due(moment, taken_at=taken_at, asked=asked, today=today, review_interval_days=interval)


@pytest.mark.parametrize("moment", MOMENTS)
def test_it_asks_a_question_never_asked(moment):
    assert due(moment)


@pytest.mark.parametrize("moment", MOMENTS)
def test_it_never_asks_at_a_moment_the_question_is_not_taken_at(moment):
    others = tuple(m for m in MOMENTS if m != moment)
    assert not due(moment, taken_at=others)


@pytest.mark.parametrize("moment", [INTAKE, EXIT])
def test_it_asks_intake_and_exit_questions_once(moment):
    assert not due(moment, [Asked(moment, TODAY - timedelta(days=400))])


def test_it_does_not_count_an_intake_answer_as_an_exit_answer():
    assert due(EXIT, [Asked(INTAKE, TODAY - timedelta(days=3))])


def test_it_asks_at_review_only_once_the_review_interval_has_passed():
    assert not due(REVIEW, [Asked(REVIEW, TODAY - timedelta(days=89))])
    assert due(REVIEW, [Asked(REVIEW, TODAY - timedelta(days=90))])


def test_it_does_not_ask_at_review_what_was_answered_at_intake_recently():
    assert not due(REVIEW, [Asked(INTAKE, TODAY - timedelta(days=10))])
    assert due(REVIEW, [Asked(INTAKE, TODAY - timedelta(days=120))])


def test_it_uses_the_latest_answer_for_the_review_interval():
    asked = [Asked(INTAKE, TODAY - timedelta(days=200)), Asked(REVIEW, TODAY - timedelta(days=30))]
    assert not due(REVIEW, asked)
    assert due(REVIEW, asked, interval=30)


def test_it_keeps_a_question_put_off_as_not_the_right_time_due():
    assert due(INTAKE, [Asked(INTAKE, TODAY, "not_right_time")])
    assert due(REVIEW, [Asked(REVIEW, TODAY, "not_right_time")])


@pytest.mark.parametrize("reason", ["chose_not_to_answer", "not_relevant", "other"])
def test_it_respects_a_refusal_or_not_relevant_as_settled(reason):
    assert not due(INTAKE, [Asked(INTAKE, TODAY, reason)])
    assert not due(REVIEW, [Asked(REVIEW, TODAY, reason)])


def test_it_refuses_an_unknown_moment():
    with pytest.raises(ValueError):
        due("whenever")


def test_it_says_when_a_review_question_is_next_due():
    asked = [
        Asked(INTAKE, date(2026, 1, 1)),
        Asked(EXIT, date(2026, 5, 1)),
        Asked(REVIEW, date(2026, 2, 1), "not_right_time"),
    ]
    assert next_review_on(asked=asked, review_interval_days=90) == date(2026, 4, 1)
    assert next_review_on(asked=[], review_interval_days=90) is None


@given(
    days_ago=st.lists(st.integers(min_value=0, max_value=1000), max_size=5),
    interval=st.integers(min_value=1, max_value=400),
)
def test_it_asks_at_review_exactly_when_no_answer_is_within_the_interval(days_ago, interval):
    asked = [Asked(REVIEW, TODAY - timedelta(days=d)) for d in days_ago]
    assert due(REVIEW, asked, interval=interval) == all(d >= interval for d in days_ago)


@given(st.lists(st.tuples(st.sampled_from(MOMENTS), st.integers(0, 500)), max_size=6))
def test_it_never_asks_intake_twice_whatever_else_happened(history):
    asked = [Asked(moment, TODAY - timedelta(days=d)) for moment, d in history]
    assert due(INTAKE, asked) == all(moment != INTAKE for moment, _d in history)
