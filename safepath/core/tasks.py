"""Background tasks (django.tasks API, database backend)."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import task


@task()
def clear_expired_sessions() -> int:
    """Delete sessions past their expiry so idle sign-ins cannot be revived. Returns the count."""
    deleted, _ = Session.objects.filter(expire_date__lt=timezone.now()).delete()
    return deleted
