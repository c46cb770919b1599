"""Alerts before extension decisions fall due, sent by the task worker (tasks.py).

For each contract's next undecided option, the smallest configured window (AlertWindow,
days before the deadline) that today has reached is alerted once: the lead commissioner's
commissioners get an email, and the alert is recorded on the contract. A window of 0 means
the deadline has passed with no decision. A first run that finds several windows already
reached sends only the latest one, so nobody gets three emails on the same morning.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.accounts.models import User
from safepath.commissioning import selectors
from safepath.commissioning.models import Contract, DeadlineAlert
from safepath.core.audit import Action, audit_event
from safepath.core.links import absolute_url
from safepath.core.roles import Role


def window_reached(deadline: date, today: date, windows: list[int]) -> int | None:
    """The smallest window (days before the deadline) that today has reached; None if none has."""
    reached = [w for w in windows if today >= date.fromordinal(deadline.toordinal() - w)]
    return min(reached) if reached else None


def recipients(contract: Contract) -> list[str]:
    users = User.objects.filter(
        is_active=True,
        memberships__organisation_id=contract.commissioner_id,
        memberships__role=Role.COMMISSIONER,
        memberships__is_active=True,
    )
    return sorted(set(users.values_list("email", flat=True)))


def _message(contract: Contract, deadline: date, days_before: int) -> tuple[str, str]:
    when = deadline.strftime("%-d %B %Y")
    if days_before == 0:
        subject = _("Extension decision overdue: %(ref)s") % {"ref": contract.reference}
    else:
        subject = _("Extension decision due by %(when)s: %(ref)s") % {"when": when, "ref": contract.reference}
    body = _(
        "The decision on the next extension option of contract %(ref)s (%(title)s) is due by %(when)s.\n\n"
        "Record the decision in safepath: %(path)s\n"
    ) % {
        "ref": contract.reference,
        "title": contract.title,
        "when": when,
        "path": absolute_url(reverse("commissioning:contract", args=[contract.pk])),
    }
    return subject, body


def deadline_alerts_send(*, today: date | None = None) -> int:
    """Send every alert now due; returns how many were sent."""
    today = today or timezone.localdate()
    windows = selectors.alert_windows()
    sent = 0
    for contract, row in selectors.open_options(today):
        window = window_reached(row.period.deadline, today, windows)
        if window is None or row.option.alerts.filter(days_before__lte=window, deadline=row.period.deadline).exists():
            continue
        to = recipients(contract)
        try:
            with transaction.atomic():
                alert = DeadlineAlert.objects.create(
                    option=row.option,
                    days_before=window,
                    deadline=row.period.deadline,
                    sent_at=timezone.now(),
                    recipients=len(to),
                )
        except IntegrityError:  # another worker sent it
            continue
        if to:
            subject, body = _message(contract, row.period.deadline, window)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
        audit_event(action=Action.CREATE, obj=alert, reason=f"deadline alert for option {row.option.pk}")
        sent += 1
    return sent
