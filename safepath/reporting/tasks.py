"""Background tasks for reporting (run by `safepath worker`; scheduled in SAFEPATH_PERIODIC_JOBS)."""

from __future__ import annotations

from django_tasks import task

from safepath.reporting.papers import papers_build


@task()
def build_quarterly_papers() -> int:
    """Build the quarterly papers commissioners subscribed to, once a quarter has closed."""
    return papers_build()
