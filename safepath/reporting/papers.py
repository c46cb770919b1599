"""Quarterly papers: commissioners subscribe; the task worker builds each paper once per quarter.

For every active subscription without a paper for the last closed quarter, the worker checks
again that the subscriber may still report on the area (their membership, through the same
scoped selectors as the dashboard), builds the paper with disclosure control on, keeps it in
the database and emails a notice with a link: no figures and nothing about a person.
A quarter is "closed" `SAFEPATH_QUARTERLY_PAPER_DELAY_DAYS` after it ends, so records entered
in the first days of the next quarter are in the paper.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safepath.areas.models import Area
from safepath.core.audit import Action, audit_event
from safepath.core.links import absolute_url
from safepath.reporting import selectors
from safepath.reporting.models import PaperSubscription, QuarterlyPaper
from safepath.reporting.periods import Period, previous_quarter
from safepath.reporting.rules import VIEW_DASHBOARD

logger = logging.getLogger(__name__)

NO_LONGER_ALLOWED = "You can no longer report on this area, so the paper was not produced."
FAILED = "The paper could not be produced because of an error. It will be tried again; the administrators can see the details."
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "html": "text/html; charset=utf-8",
}


def last_closed_quarter(today: date) -> Period:
    delay = int(getattr(settings, "SAFEPATH_QUARTERLY_PAPER_DELAY_DAYS", 7))
    return previous_quarter(today - timedelta(days=delay))


@dataclass(frozen=True)
class Allowed:
    roots: list[int] | None  # Scope roots: None = every record (an administrator)
    area_name: str | None


def allowed(subscription: PaperSubscription) -> Allowed | None:
    """What the subscriber may report on now, acting in the membership they subscribed in;
    None when they no longer may (left, role ended, area no longer served)."""
    user, membership = subscription.user, subscription.membership
    if not (user.is_active and membership.is_active and membership.organisation.is_active):
        return None
    if membership.user_id != user.pk:
        return None
    user.current_membership = membership  # type: ignore[attr-defined]  # as the middleware does
    if not user.has_perm(VIEW_DASHBOARD):
        return None
    if subscription.area_id is None:
        return Allowed(selectors.dashboard_roots(user), None)
    if not selectors.dashboard_areas(user).filter(pk=subscription.area_id).exists():
        return None
    return Allowed([subscription.area_id], subscription.area.name)  # type: ignore[union-attr]


def subscribe(*, user: Any, membership: Any, area: Area | None, fmt: str) -> tuple[PaperSubscription, bool]:
    """Subscribe (or resume a stopped subscription); returns it and whether anything changed.
    Submitting the form twice changes nothing the second time."""
    with transaction.atomic():
        subscription, created = PaperSubscription.objects.select_for_update().get_or_create(
            user=user, area=area, format=fmt, defaults={"membership": membership}
        )
        if created:
            audit_event(action=Action.CREATE, user_id=user.pk, obj=subscription, reason="quarterly paper subscription")
            return subscription, True
        if subscription.is_active and subscription.membership_id == membership.pk:
            return subscription, False
        subscription.is_active, subscription.membership = True, membership
        subscription.save(update_fields=["is_active", "membership"])
        audit_event(action=Action.UPDATE, user_id=user.pk, obj=subscription, reason="quarterly paper resumed")
        return subscription, True


def unsubscribe(*, subscription: PaperSubscription, user_id: int) -> None:
    """Stop future papers; the papers already produced stay available to the subscriber."""
    if subscription.is_active:
        subscription.is_active = False
        subscription.save(update_fields=["is_active"])
        audit_event(action=Action.UPDATE, user_id=user_id, obj=subscription, reason="quarterly paper stopped")


def build_paper(subscription: PaperSubscription, period: Period, scope: Allowed) -> bytes:
    from safepath.reporting.exports import report_bytes
    from safepath.reporting.metrics.scope import Scope
    from safepath.reporting.report import build_report

    report = build_report(Scope.for_areas(period, scope.roots), area=scope.area_name, suppress=True)
    return report_bytes(report, subscription.format)


def _notify(subscription: PaperSubscription, period: Period, ok: bool) -> None:
    """A notice with a link: the period and where to look, never a figure."""
    when = _("%(first)s to %(last)s") % {
        "first": period.first.strftime("%-d %B %Y"),
        "last": period.last.strftime("%-d %B %Y"),
    }
    path = absolute_url(reverse("reporting:papers"))
    if ok:
        subject = _("Your quarterly performance paper is ready")
        body = _("The performance paper for %(when)s is ready.\n\nSign in to safepath to download it: %(path)s\n")
    else:
        subject = _("Your quarterly performance paper could not be produced")
        body = _(
            "The performance paper for %(when)s could not be produced.\n\nSign in to safepath to see why: %(path)s\n"
        )
    send_mail(subject, body % {"when": when, "path": path}, settings.DEFAULT_FROM_EMAIL, [subscription.user.email])


def papers_build(*, today: date | None = None) -> int:
    """Build every paper now due for the last closed quarter; returns how many were produced.
    Safe to run again, and by two workers at once: one paper per subscription and quarter."""
    period = last_closed_quarter(today or timezone.localdate())
    built = QuarterlyPaper.objects.filter(subscription=OuterRef("pk"), period_first=period.first, error="")
    due = (
        PaperSubscription.objects.filter(is_active=True, user__is_active=True)
        .alias(built=Exists(built))
        .filter(built=False)
        .select_related("user", "membership__organisation", "area")
        .order_by("pk")
    )
    produced = 0
    for subscription in due:
        scope = allowed(subscription)
        content, error = b"", ""
        if scope is None:
            error = NO_LONGER_ALLOWED
        else:
            try:
                content = build_paper(subscription, period, scope)
            except Exception:  # one paper's failure must not stop the others
                logger.exception("quarterly paper for subscription %s failed", subscription.pk)
                error = FAILED
        earlier = QuarterlyPaper.objects.filter(subscription=subscription, period_first=period.first).first()
        if earlier is not None:  # a failed attempt: try again, tell the subscriber only if it worked
            if earlier.error == error:
                continue
            earlier.content, earlier.error = content, error
            earlier.save(update_fields=["content", "error"])
            paper, first_attempt = earlier, False
        else:
            try:
                with transaction.atomic():
                    paper = QuarterlyPaper.objects.create(
                        subscription=subscription,
                        period_first=period.first,
                        period_last=period.last,
                        content=content,
                        error=error,
                    )
            except IntegrityError:  # another worker built it
                continue
            first_attempt = True
        audit_event(action=Action.CREATE, obj=paper, reason="quarterly paper" + (" (failed)" if error else ""))
        if first_attempt or not error:
            try:
                _notify(subscription, period, ok=not error)
            except Exception:  # the paper is kept; a mail server being down must not stop the others
                logger.exception("notice for quarterly paper %s not sent", paper.pk)
        produced += 0 if error else 1
    return produced
