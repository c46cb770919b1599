from datetime import timedelta

import time_machine
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from safepath.core.periodic import enqueue_due_jobs
from safepath.core.tasks import clear_expired_sessions

JOB = "safepath.core.tasks.clear_expired_sessions"


def _session(expiry_seconds):
    store = SessionStore()
    store.set_expiry(expiry_seconds)
    store.create()
    return store.session_key


def test_it_clears_only_expired_sessions(db):
    stale = _session(1)
    fresh = _session(3600)
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert clear_expired_sessions.call() == 1
    assert not Session.objects.filter(session_key=stale).exists()
    assert Session.objects.filter(session_key=fresh).exists()


def test_it_enqueues_a_periodic_job_once_per_interval(db, settings):
    settings.SAFEPATH_PERIODIC_JOBS = {JOB: 3600}
    start = timezone.now()
    assert enqueue_due_jobs(now=start) == [JOB]
    assert enqueue_due_jobs(now=start + timedelta(minutes=59)) == []
    assert enqueue_due_jobs(now=start + timedelta(minutes=61)) == [JOB]
