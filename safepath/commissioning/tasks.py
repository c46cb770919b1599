"""Background tasks for commissioning (run by `safepath worker`; scheduled in SAFEPATH_PERIODIC_JOBS)."""

from __future__ import annotations

from django_tasks import task

from safepath.commissioning.alerts import deadline_alerts_send


@task()
def send_deadline_alerts() -> int:
    """Email commissioners about extension decisions coming due. Returns how many alerts were sent."""
    return deadline_alerts_send()
