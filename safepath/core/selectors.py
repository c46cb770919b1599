"""Reads of the audit log."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils import timezone

from safepath.core.models import AuditEvent


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _user_ids(term: str) -> list[int]:
    term = term.strip()
    if term.isdigit():
        return [int(term)]
    return list(get_user_model().objects.filter(email__iexact=term).values_list("pk", flat=True))


def audit_events_for(
    viewer: object,
    *,
    user: str = "",
    object_type: str = "",
    object_id: str = "",
    action: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """Audit rows the viewer may search (administrators: all), filtered, newest first."""
    if not viewer.has_perm("core.view_audit"):  # type: ignore[attr-defined]
        return AuditEvent.objects.none()
    events = AuditEvent.objects.all()
    if user:
        events = events.filter(user_id__in=_user_ids(user))
    if object_type:
        events = events.filter(object_type=object_type.strip().lower())
    if object_id:
        events = events.filter(object_id=object_id.strip())
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__gte=_day_start(date_from))
    if date_to:
        events = events.filter(at__lt=_day_start(date_to + timedelta(days=1)))
    return events.order_by("-at", "-id")
