"""The Medway scenario reproduces the service's 2017-18 activity table (DOMAIN.md) through
`safepath report`: the figures are computed by safepath from generated records, never written.

Tolerances: the referral total is exact (the generator makes that many referrals); the rest come
from the records through the rules and matching, so they are compared within a stated margin.
"""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

SEED = {"total": 4727, "high": 714, "medium": 1555, "standard": 2458, "idva": 531, "freedom": 250}


def _report(date_from, date_to, path) -> dict:
    call_command("report", "--from", date_from.isoformat(), "--to", date_to.isoformat(), "--output", str(path))
    return json.loads(path.read_text())


def test_it_reproduces_medways_activity_table(db, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("The full Medway year runs once, on SQLite; the scenario tests cover PostgreSQL at smaller sizes.")
    call_command("demo", no_serve=True)
    today = timezone.localdate()
    report = _report(today - timedelta(days=366), today, tmp_path / "report.json")

    referrals = report["referrals"]
    assert referrals["total"] == SEED["total"]
    for level in ("high", "medium", "standard"):
        assert referrals["by_risk"][level] == pytest.approx(SEED[level], rel=0.05), level
    assert 0.30 <= report["marac"]["repeat_rate"] <= 0.38  # Medway: 34%
    assert report["idva"]["referrals"] == pytest.approx(SEED["idva"], rel=0.10)
    assert report["idva"]["engagement_rate"] == pytest.approx(0.89, abs=0.04)
    assert report["programmes"]["attendees"] == pytest.approx(SEED["freedom"], rel=0.20)  # "about 250"
    assert report["suppressed"] is True
