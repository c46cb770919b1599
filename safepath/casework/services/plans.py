"""Safety plans (a new version per revision) and tasks; both keep the case's next action date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import Membership, User
from safepath.cases.models import Case
from safepath.cases.selectors import WORKER_ROLES
from safepath.casework.models import SafetyPlan, SafetyPlanAction, Task
from safepath.casework.services.common import (
    audit_change,
    by_user,
    check_token,
    done_with_token,
    locked_case,
    refresh_next_action,
    refuse_closed,
)

MAX_ACTIONS = 30


class PlanChanged(ValidationError):
    """The safety plan was revised since the form was shown: the second writer is told."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else revised this safety plan while you were working on it. Check the plan as it is now, then try again."
            ),
            code="stale",
        )


# --- safety plans ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    text: str
    who: str
    due_on: date | None = None
    done: bool = False


def _check_plan(review_on: date | None, actions: list[ActionInput]) -> None:
    errors: dict[str, str] = {}
    if review_on is None:
        errors["review_on"] = _("Enter the date the plan will be reviewed.")
    elif review_on < timezone.localdate():
        errors["review_on"] = _("The review date must be today or later.")
    if not actions:
        errors["actions"] = _("Add at least one action to the plan.")
    elif len(actions) > MAX_ACTIONS:
        errors["actions"] = _("A plan can have at most %(n)s actions.") % {"n": MAX_ACTIONS}
    elif any(not a.text.strip() or not a.who.strip() for a in actions):
        errors["actions"] = _("Every action needs what is to be done and who does it.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def safety_plan_revise(
    *,
    request: HttpRequest | None,
    case: Case,
    token: str,
    version: int,
    review_on: date | None,
    actions: list[ActionInput],
    summary: str = "",
    by: User | None = None,
) -> SafetyPlan:
    """Write a new version of the case's safety plan (the first when `version` is 0). The
    earlier versions are kept unchanged. `version` is the plan number the form showed: if the
    plan was revised since, the revision is refused rather than overwriting a colleague's."""
    check_token(token)
    user = by_user(request, by)
    current_case = locked_case(case)
    done = done_with_token(current_case, token, "safety plan")
    if done is not None:
        return SafetyPlan.objects.get(pk=done, case=current_case)
    refuse_closed(current_case, _("a safety plan"))
    latest = SafetyPlan.objects.filter(case=current_case, is_current=True).first()
    if (latest.number if latest else 0) != version:
        raise PlanChanged()
    _check_plan(review_on, actions)
    if latest is not None:
        SafetyPlan.objects.filter(pk=latest.pk).update(is_current=False)
    plan = SafetyPlan.objects.create(
        case=current_case,
        number=version + 1,
        summary=summary.strip(),
        review_on=review_on,
        created_at=timezone.now(),
        created_by=user,
    )
    SafetyPlanAction.objects.bulk_create(
        SafetyPlanAction(plan=plan, position=i, text=a.text.strip(), who=a.who.strip(), due_on=a.due_on, done=a.done)
        for i, a in enumerate(actions, start=1)
    )
    refresh_next_action(current_case)
    audit_change(request, current_case, "safety plan", plan.pk, token)
    case.next_action_on = current_case.next_action_on
    return plan


# --- tasks -----------------------------------------------------------------------------------


def _is_provider_worker(user: User, provider_id: int) -> bool:
    return (
        user.is_active
        and Membership.objects.filter(
            user=user, organisation_id=provider_id, role__in=WORKER_ROLES, is_active=True
        ).exists()
    )


@transaction.atomic
def task_add(
    *,
    request: HttpRequest | None,
    case: Case,
    token: str,
    title: str,
    due_on: date | None,
    assigned_to: User | None,
    by: User | None = None,
) -> Task:
    check_token(token)
    user = by_user(request, by)
    current = locked_case(case)
    done = done_with_token(current, token, "task")
    if done is not None:
        return Task.objects.get(pk=done, case=current)
    refuse_closed(current, _("a task"))
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Enter what needs doing.")
    if due_on is None:
        errors["due_on"] = _("Enter the date the task is due.")
    if assigned_to is None or not _is_provider_worker(assigned_to, current.provider_id):
        errors["assigned_to"] = _("Choose a caseworker or team manager in your organisation.")
    if errors:
        raise ValidationError(errors)
    task = Task.objects.create(
        case=current,
        title=title.strip(),
        due_on=due_on,
        assigned_to=assigned_to,
        created_by=user,
        created_at=timezone.now(),
    )
    refresh_next_action(current)
    audit_change(request, current, "task", task.pk, token)
    case.next_action_on = current.next_action_on
    return task


@transaction.atomic
def task_done(*, request: HttpRequest | None, case: Case, task: Task, by: User | None = None) -> Task:
    """Mark a task done (a repeated submission changes nothing)."""
    user = by_user(request, by)
    current = locked_case(case)
    locked = Task.objects.select_for_update().get(pk=task.pk, case=current)
    if locked.done_at is not None:
        return locked
    locked.done_at = timezone.now()
    locked.done_by = user
    locked.save(update_fields=["done_at", "done_by"])
    refresh_next_action(current)
    audit_change(request, current, "task done", locked.pk)
    case.next_action_on = current.next_action_on
    return locked
