"""Enqueue periodic jobs when due. `safepath worker` calls this between task batches."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from safepath.core.models import PeriodicJobRun


def enqueue_due_jobs(*, now: datetime | None = None) -> list[str]:
    """Enqueue each configured job whose interval has passed; return the names enqueued."""
    now = now or timezone.now()
    enqueued = []
    for name, seconds in settings.SAFEPATH_PERIODIC_JOBS.items():
        with transaction.atomic():
            run = PeriodicJobRun.objects.select_for_update().filter(name=name).first()
            if run and run.last_enqueued_at > now - timedelta(seconds=seconds):
                continue
            import_string(name).enqueue()
            PeriodicJobRun.objects.update_or_create(name=name, defaults={"last_enqueued_at": now})
            enqueued.append(name)
    return enqueued
