"""Safety plans (versions kept, optimistic locking), tasks, and the case's next action date.
Frozen clock: today is 12 March 2026."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from safepath.cases.models import Case
from safepath.cases.services import case_change_status
from safepath.casework.models import SafetyPlan, SafetyPlanAction, Task
from safepath.casework.services import ActionInput, PlanChanged, safety_plan_revise, task_add, task_done
from safepath.casework.tests.url_table_casework import token
from safepath.core.roles import Role

pytestmark = pytest.mark.django_db


def revise(case, worker, version, *, review_on=date(2026, 6, 1), actions=None, tok=None):
    actions = actions if actions is not None else [ActionInput("Keep a phone charged", "The person", date(2026, 4, 1))]
    return safety_plan_revise(
        request=None, case=case, token=tok or token(), version=version, review_on=review_on, actions=actions, by=worker
    )


def add_task(case, worker, due_on=date(2026, 5, 1), assigned_to=None, tok=None):
    return task_add(
        request=None,
        case=case,
        token=tok or token(),
        title="Chase the housing officer",
        due_on=due_on,
        assigned_to=assigned_to or worker,
        by=worker,
    )


def next_action(case) -> date | None:
    return Case.objects.get(pk=case.pk).next_action_on


def test_it_writes_the_first_plan_as_version_one(case, worker):
    plan = revise(case, worker, 0)
    assert plan.number == 1 and plan.is_current
    assert [a.text for a in plan.actions.all()] == ["Keep a phone charged"]


def test_it_keeps_earlier_versions_unchanged_when_revising(case, worker):
    first = revise(case, worker, 0)
    second = revise(
        case,
        worker,
        1,
        actions=[
            ActionInput("Keep a phone charged", "The person", date(2026, 4, 1), done=True),
            ActionInput("Apply for a non-molestation order", "IDVA", date(2026, 3, 20)),
        ],
    )
    assert second.number == 2
    assert list(SafetyPlan.objects.filter(case=case).values_list("number", "is_current")) == [(2, True), (1, False)]
    assert list(first.actions.values_list("text", "done")) == [("Keep a phone charged", False)]
    assert SafetyPlanAction.objects.filter(plan=second).count() == 2


def test_it_refuses_a_revision_made_on_a_stale_version_and_saves_nothing(case, worker, member, provider):
    revise(case, worker, 0)
    revise(case, member(Role.CASEWORKER, provider), 1)  # a colleague revised it meanwhile
    with pytest.raises(PlanChanged) as caught:
        revise(case, worker, 1)
    assert caught.value.messages == [
        "Someone else revised this safety plan while you were working on it. Check the plan as it is now, then try again."
    ]
    assert SafetyPlan.objects.filter(case=case).count() == 2


def test_it_records_a_double_submitted_plan_once(case, worker):
    tok = token()
    assert revise(case, worker, 0, tok=tok) == revise(case, worker, 0, tok=tok)
    assert SafetyPlan.objects.count() == 1


def test_it_needs_a_review_date_today_or_later_and_complete_actions(case, worker):
    with pytest.raises(ValidationError) as caught:
        revise(case, worker, 0, review_on=date(2026, 3, 11), actions=[ActionInput("Call", "")])
    assert set(caught.value.message_dict) == {"review_on", "actions"}
    with pytest.raises(ValidationError) as caught:
        revise(case, worker, 0, actions=[])
    assert caught.value.message_dict == {"actions": ["Add at least one action to the plan."]}


def test_it_refuses_plans_and_tasks_on_a_closed_case(case, worker):
    case_change_status(request=None, case=case, to_status="closed", version=case.version, reason_code="moved_away")
    with pytest.raises(ValidationError, match="This case is closed"):
        revise(case, worker, 0)
    with pytest.raises(ValidationError, match="This case is closed"):
        add_task(case, worker)


def test_it_keeps_the_next_action_at_the_earliest_open_date(case, worker):
    assert next_action(case) is None
    revise(case, worker, 0, review_on=date(2026, 6, 1), actions=[ActionInput("Call", "IDVA", date(2026, 4, 1))])
    assert next_action(case) == date(2026, 4, 1)
    task = add_task(case, worker, due_on=date(2026, 3, 20))
    assert next_action(case) == date(2026, 3, 20)
    task_done(request=None, case=case, task=task, by=worker)
    assert next_action(case) == date(2026, 4, 1)
    revise(
        case, worker, 1, review_on=date(2026, 6, 1), actions=[ActionInput("Call", "IDVA", date(2026, 4, 1), done=True)]
    )
    assert next_action(case) == date(2026, 6, 1)  # only the review is left


def test_it_counts_an_overdue_task_as_the_next_action(case, worker):
    add_task(case, worker, due_on=date(2026, 5, 1))
    add_task(case, worker, due_on=date(2026, 3, 1))
    assert next_action(case) == date(2026, 3, 1)


def test_it_assigns_tasks_only_to_the_providers_workers(case, worker, member, provider):
    for outsider in (member(Role.CASEWORKER), member(Role.VOLUNTEER, provider)):
        with pytest.raises(ValidationError) as caught:
            add_task(case, worker, assigned_to=outsider)
        assert caught.value.message_dict == {
            "assigned_to": ["Choose a caseworker or team manager in your organisation."]
        }
    assert add_task(case, worker, assigned_to=member(Role.TEAM_MANAGER, provider)).pk


def test_it_marks_a_task_done_once(case, worker, member, provider):
    task = add_task(case, worker)
    task_done(request=None, case=case, task=task, by=worker)
    done_at = Task.objects.get(pk=task.pk).done_at
    task_done(request=None, case=case, task=task, by=member(Role.CASEWORKER, provider))
    assert Task.objects.get(pk=task.pk).done_at == done_at and Task.objects.get(pk=task.pk).done_by == worker


def test_it_records_a_double_submitted_task_once(case, worker):
    tok = token()
    assert add_task(case, worker, tok=tok) == add_task(case, worker, tok=tok)
    assert Task.objects.count() == 1
