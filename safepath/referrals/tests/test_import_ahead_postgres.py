"""A real import matched ahead in a second process (importing/ahead.py) gives what importing row by row
gives. PostgreSQL only: the in-memory SQLite test database cannot be opened by another process. Its own
file: a transactional test empties the tables, so it runs after the others (ADR 16)."""

from __future__ import annotations

import logging

import pytest
from django.db import connection

from safepath.people.models import Person, PersonKey, SafeContact
from safepath.referrals.importing import csv_from_dicts, import_rows
from safepath.referrals.importing.ahead import Ahead
from safepath.referrals.tests.test_import_batch import _known, _outcomes, _row_by_row, _rows
from safepath.referrals.tests.test_import_support import HEADER, area, frozen, hub  # noqa: F401


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs a test database another process can open")
@pytest.mark.django_db(transaction=True)
def test_an_import_matched_ahead_gives_the_same_results_as_row_by_row(hub, frozen, monkeypatch, caplog):  # noqa: F811
    started = []
    real_start = Ahead.start

    def start(self):  # type: ignore[no-untyped-def]
        real_start(self)
        started.append(self.process is not None)
        return self

    monkeypatch.setattr(Ahead, "start", start)
    known = _known(hub, 40)
    rows = _rows(known, 60, seed=7)
    expected, expected_counts = _row_by_row(rows)
    with caplog.at_level(logging.WARNING):
        result = import_rows(csv_from_dicts(rows, HEADER), chunk_size=7)
    assert started == [True]  # it really ran in a second process
    assert "could not be saved together" not in caplog.text and "stopped" not in caplog.text
    assert result.rejected == 0
    assert _outcomes() == expected
    assert (Person.objects.count(), PersonKey.objects.count(), SafeContact.objects.count()) == expected_counts
    assert sum(outcome[1] == "auto_linked" for outcome in expected.values()) > 20
