"""Bulk jobs (an import) and Python's cyclic garbage collector.

The collector's full pass walks every object it tracks. A process that has loaded Django and the
site holds a few hundred thousand, and a full pass comes each time the job has made a quarter as
many new ones again: an import of a few thousand rows (tens of thousands of model instances) paid
for several passes of 0.2 to 0.5 seconds each, a fifth of its time. Objects alive before the job
began are nearly all there for good (modules, settings, caches), so `long_lived_set_aside()` moves
them out of the collector's way (`gc.freeze()`) for the job's length and back afterwards
(`gc.unfreeze()`): nothing is leaked, it is looked at again later. A forked child (import matching
ahead) also shares those pages with its parent instead of copying them when the collector would
have touched them.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def long_lived_set_aside() -> Iterator[None]:
    """Objects alive now are skipped by the collector until the block ends.

    Does nothing if something else (a server preloading the site) froze the heap already: unfreezing
    here would undo its freeze too.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
