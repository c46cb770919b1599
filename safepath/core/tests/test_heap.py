"""Bulk jobs set the objects alive before them aside from the collector's full passes (core/heap.py)."""

from __future__ import annotations

import gc

import pytest

from safepath.core.heap import long_lived_set_aside


@pytest.fixture(autouse=True)
def _nothing_frozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_objects_alive_before_are_set_aside_for_the_block_and_returned_after():
    before: list[object] = []  # a container: the collector tracks it
    with long_lived_set_aside():
        assert gc.get_freeze_count() > 0
        assert not any(o is before for o in gc.get_objects())  # frozen objects are not in any generation
    assert gc.get_freeze_count() == 0
    assert any(o is before for o in gc.get_objects())


def test_objects_are_returned_even_when_the_job_fails():
    with pytest.raises(RuntimeError), long_lived_set_aside():
        raise RuntimeError("the job failed")
    assert gc.get_freeze_count() == 0


def test_a_freeze_made_elsewhere_is_left_as_it_was():
    kept: list[object] = []  # frozen by that freeze
    gc.freeze()  # as a server preloading the site might
    with long_lived_set_aside():
        pass
    # Still frozen: not unfrozen by the block. (The count itself moves as frozen objects are freed.)
    assert gc.get_freeze_count() > 0
    assert not any(o is kept for o in gc.get_objects())


def test_cycles_made_during_the_block_are_still_collected():
    class Node:
        pass

    with long_lived_set_aside():
        node = Node()
        node.self = node  # type: ignore[attr-defined]
        del node
        assert gc.collect() >= 1
