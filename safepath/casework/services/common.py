"""Steps every casework write shares: who is writing, the lock on the case, the one-time form
token, the audit row and the case's next action date."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.cases.choices import OPEN_STATUSES
from safepath.cases.models import Case
from safepath.cases.services import case_set_dates
from safepath.casework import selectors
from safepath.core.audit import Action, audit_event
from safepath.core.once import check_token, done_with_token  # noqa: F401 - re-exported for the casework services


def by_user(request: HttpRequest | None, by: User | None) -> User:
    user = by or (request.user if request is not None and request.user.is_authenticated else None)
    if user is None:
        raise ValueError("casework records need the user who made them")
    return user  # type: ignore[return-value]


def locked_case(case: Case) -> Case:
    """The case row, freshly read and locked until the transaction ends."""
    return Case.objects.select_for_update().select_related("person").get(pk=case.pk)


def audit_change(request: HttpRequest | None, case: Case, what: str, pk: int, token: str = "") -> None:
    reason = f"{what} {pk}" + (f"; form {token}" if token else "")
    audit_event(action=Action.UPDATE, request=request, obj=case, reason=reason)


def refuse_closed(case: Case, what: str) -> None:
    if case.status not in OPEN_STATUSES:
        raise ValidationError(
            _("This case is closed: reopen it before recording %(what)s.") % {"what": what}, code="closed"
        )


def refresh_next_action(case: Case) -> date | None:
    """Keep the case's next action date: the earliest open task, open plan action or plan review."""
    due = selectors.next_action_due(case)
    if case.next_action_on != due:
        case_set_dates(case, next_action_on=due)
    return due
