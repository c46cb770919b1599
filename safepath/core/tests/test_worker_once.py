"""The worker, run once against the database task backend.

A file of its own: a transactional test empties the tables when it ends (the reference data the
migrations load included), so it must run after every other test in its process. Tests are
sorted that way, and the parallel runner keeps a file's tests together, so a transactional test
must not share a file with tests that need that data (the root conftest.py refuses such files).
"""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.utils import timezone

from safepath.core.tests.test_periodic import JOB, _session


@pytest.mark.django_db(transaction=True)
def test_it_runs_the_worker_once(settings, capsys):
    # transaction=True: the database worker closes old connections, which would end the
    # test's own transaction on PostgreSQL.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    settings.SAFEPATH_PERIODIC_JOBS = {JOB: 3600}
    stale = _session(1)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        call_command("worker", once=True)
    assert f"enqueued {JOB}" in capsys.readouterr().out
    assert not Session.objects.filter(session_key=stale).exists()
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
