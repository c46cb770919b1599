"""Outcome arithmetic for case pages and commissioner reporting (outcomes/summary.py)."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepath.outcomes import summary
from safepath.outcomes.summary import BETTER, SAME, WORSE, Answer

T0 = datetime(2026, 1, 1, 9, 0)


def answer(case, measure, moment, day, value):
    return Answer(case, measure, moment, T0 + timedelta(days=day), value)


@pytest.mark.parametrize(
    ("first", "last", "higher_is_better", "expected"),
    [(1, 4, True, BETTER), (4, 1, True, WORSE), (3, 3, True, SAME), (1, 4, False, WORSE), (4, 1, False, BETTER)],
)
def test_it_words_the_direction_of_change(first, last, higher_is_better, expected):
    assert summary.direction(first, last, higher_is_better=higher_is_better) == expected


def test_it_treats_a_lower_risk_level_as_better():
    assert summary.risk_direction("high", "standard") == BETTER
    assert summary.risk_direction("standard", "medium") == WORSE
    assert summary.risk_direction("medium", "medium") == SAME


def test_it_compares_a_case_s_first_answer_with_its_latest_ignoring_skips():
    answers = [
        answer(1, "safety", "intake", 0, 2),
        answer(1, "safety", "review", 90, None),
        answer(1, "safety", "review", 180, 3),
        answer(1, "safety", "exit", 300, 5),
        answer(1, "coping", "intake", 0, 4),
    ]
    changes = summary.case_changes(answers, higher_is_better={"safety": True})
    assert changes["safety"] == summary.MeasureChange("safety", 2, 5, 3, BETTER)
    assert changes["coping"].direction is None  # one answer: nothing to compare yet


def test_it_says_nothing_about_a_measure_only_ever_skipped():
    change = summary.measure_change("safety", [answer(1, "safety", "intake", 0, None)])
    assert change == summary.MeasureChange("safety", None, None, 0, None)


def test_it_counts_cases_with_intake_and_exit_by_direction():
    answers = [
        answer("a", "safety", "intake", 0, 1),
        answer("a", "safety", "exit", 200, 4),
        answer("b", "safety", "intake", 0, 3),
        answer("b", "safety", "exit", 200, 3),
        answer("c", "safety", "intake", 0, 4),
        answer("c", "safety", "exit", 200, 2),
        answer("d", "safety", "intake", 0, 2),  # no exit yet: not counted
        answer("e", "safety", "intake", 0, None),
        answer("e", "safety", "exit", 200, 5),  # skipped at intake
        answer("a", "worry", "intake", 0, 5),
        answer("a", "worry", "exit", 200, 2),
    ]
    counts = summary.framework_counts(answers, higher_is_better={"worry": False})
    assert counts.measures["safety"] == summary.ChangeCounts(cases=3, better=1, same=1, worse=1)
    assert counts.measures["worry"] == summary.ChangeCounts(cases=1, better=1, same=0, worse=0)
    assert counts.cases == 3


def test_it_counts_exit_answers_for_an_exit_only_measure():
    answers = [
        answer("a", "abuse", "exit", 10, 4),
        answer("a", "abuse", "exit", 20, 3),  # the latest counts
        answer("b", "abuse", "exit", 10, 4),
        answer("c", "abuse", "exit", 10, None),
        answer("d", "abuse", "intake", 10, 1),
    ]
    assert summary.exit_distribution(answers, "abuse") == {3: 1, 4: 1}


def test_it_counts_answers_and_skips_per_measure():
    answers = [answer(1, "a", "intake", 0, 1), answer(2, "a", "intake", 0, None), answer(2, "b", "exit", 0, None)]
    assert summary.skip_counts(answers) == {"a": (1, 1), "b": (0, 1)}


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["intake", "review", "exit"]), st.integers(0, 400), st.one_of(st.none(), st.integers(1, 5))
        ),
        max_size=8,
    )
)
def test_it_counts_each_case_once_at_most_per_measure(rows):
    answers = [answer(7, "m", moment, day, value) for moment, day, value in rows]
    counts = summary.framework_counts(answers, higher_is_better={})
    total = counts.measures.get("m", summary.ChangeCounts())
    assert total.cases == total.better + total.same + total.worse <= 1
    assert counts.cases == total.cases


@pytest.mark.django_db
def test_it_counts_a_framework_s_changes_from_the_recorded_answers(setup):
    from safepath.cases.models import Case
    from safepath.outcomes import selectors
    from safepath.outcomes.models import Measure, OutcomeFramework
    from safepath.outcomes.services import Answer as Given
    from safepath.outcomes.services import outcomes_record
    from safepath.outcomes.tests.url_table_outcomes import token

    safety = Measure.objects.get(framework__code="medway", code="safety")
    for moment, value, day in (("intake", 2, 0), ("exit", 4, 200)):
        outcomes_record(
            request=None,
            case=setup.case,
            moment=moment,
            answers={safety.pk: Given(value=value)},
            token=token(),
            at=datetime(2026, 3, 12, 10, tzinfo=UTC) + timedelta(days=day),
        )
    medway = OutcomeFramework.objects.get(code="medway")
    answers = list(selectors.framework_answers(medway, Case.objects.all()))
    assert {a.case for a in answers} == {setup.case.pk}
    counts = summary.framework_counts(answers, higher_is_better=selectors.higher_is_better(medway))
    assert counts.cases == 1 and counts.measures["safety"] == summary.ChangeCounts(cases=1, better=1)
