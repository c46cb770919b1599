"""Matching a chunk ahead in a second process (importing/ahead.py): results in order, the same as matching
here, a failing child costs nothing but time, no child where it cannot be used. A real import
through it: test_import_ahead_postgres.py."""

from __future__ import annotations

import logging
import os
import time

import pytest

from safepath.people.matching import Identity
from safepath.referrals.importing import ahead
from safepath.referrals.importing.ahead import Ahead

PARENT = os.getpid()


class _NoConnections:
    """The test database stays open in this process (closing an in-memory database would lose it)."""

    def close_all(self) -> None:
        pass


def _by_pid(identities, keys, known_before):  # type: ignore[no-untyped-def]
    """A stand-in for best_known that says which process ran it."""
    return [(os.getpid(), float(len(identity.first_name) + known_before)) for identity in identities]


def _fails_in_child(identities, keys, known_before):  # type: ignore[no-untyped-def]
    if os.getpid() != PARENT:
        raise RuntimeError("Jane Smith could not be matched")  # a message quoting a row: never logged
    return _by_pid(identities, keys, known_before)


def _chunks(count: int) -> list[tuple[list[Identity], list[set[str]]]]:
    return [([Identity("A" * (n + 1), "B", None, "")], [{"k"}]) for n in range(count)]


def _take_all(matcher: Ahead, count: int) -> list:  # type: ignore[type-arg]
    try:
        return [matcher.take() for _ in range(count)]
    finally:
        matcher.close()


@pytest.fixture
def forking(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(Ahead, "usable", staticmethod(lambda chunks: True))
    monkeypatch.setattr(ahead, "connections", _NoConnections())
    monkeypatch.setattr(ahead, "_without_parallel_workers", lambda: None)  # no database in these tests


def test_it_gives_each_chunks_results_in_order_from_another_process(forking):  # type: ignore[no-untyped-def]
    results = _take_all(Ahead(_chunks(4), 10, match=_by_pid).start(), 4)
    assert [score for ((_pid, score),) in results] == [11.0, 12.0, 13.0, 14.0]
    assert {pid for ((pid, _score),) in results} != {PARENT}


def test_it_matches_the_rest_here_when_the_other_process_fails(forking, caplog):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING)
    results = _take_all(Ahead(_chunks(3), 0, match=_fails_in_child).start(), 3)
    assert results == [[(PARENT, 1.0)], [(PARENT, 2.0)], [(PARENT, 3.0)]]
    assert "matching ahead stopped (RuntimeError)" in caplog.text
    assert "Jane" not in caplog.text


def _stuck_in_child(identities, keys, known_before):  # type: ignore[no-untyped-def]
    if os.getpid() != PARENT:
        time.sleep(600)  # as a child stuck on a lock would: it never answers
    return _by_pid(identities, keys, known_before)


def test_it_matches_the_rest_here_when_the_other_process_never_answers(forking, caplog, monkeypatch):  # type: ignore[no-untyped-def]
    caplog.set_level(logging.WARNING)
    monkeypatch.setattr(Ahead, "WAIT_SECONDS", 0.5)
    matcher = Ahead(_chunks(3), 0, match=_stuck_in_child).start()
    child = matcher.process
    results = _take_all(matcher, 3)
    assert results == [[(PARENT, 1.0)], [(PARENT, 2.0)], [(PARENT, 3.0)]]
    assert "no answer from the matching process" in caplog.text
    assert child is not None and not child.is_alive()  # stopped, not left behind


def test_it_matches_here_when_no_second_process_can_be_used():
    matcher = Ahead(_chunks(1), 0, match=_by_pid).start()  # one chunk: nothing to work ahead of
    assert matcher.process is None
    assert matcher.take() == [(PARENT, 1.0)]


def test_it_never_forks_inside_a_transaction(db, settings):  # type: ignore[no-untyped-def]
    settings.IMPORT_MATCH_AHEAD = True
    assert not Ahead.usable(3)  # the test's own transaction: a child could not see its rows
    matcher = Ahead(_chunks(3), 0, match=_by_pid).start()
    assert matcher.process is None
    assert [matcher.take() for _ in range(3)] == [[(PARENT, 1.0)], [(PARENT, 2.0)], [(PARENT, 3.0)]]


def test_it_never_forks_when_turned_off(settings):  # type: ignore[no-untyped-def]
    settings.IMPORT_MATCH_AHEAD = False
    assert not Ahead.usable(3)


def test_the_childs_queries_use_no_parallel_workers_on_postgresql(db):  # type: ignore[no-untyped-def]
    from django.db import connection

    ahead._without_parallel_workers()  # in a test's transaction: undone when it rolls back
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] == "0"


def test_a_reader_for_another_limit_is_refused_not_silently_used():
    from safepath.people.selectors import CandidateReader

    with pytest.raises(ValueError, match="another id"):
        ahead.best_known([], [], 10, reader=CandidateReader(known_before=5))
