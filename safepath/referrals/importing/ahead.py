"""Matching an import's rows against the people known before it began, ahead of the import, in another process.

A row's best candidate among the people known before the import depends on nothing the import
does: not on the rows before it, not on what they create. So that part of matching (the candidate
query and the scoring, about half an import's work) can run for the next chunks while this chunk's
rules and writes run, on the machine's other core: a child process (Python runs one thread at a
time), forked with no database connection open, which opens its own and only reads, and works as
far ahead as the pipe between them holds. The people the import itself creates are matched in the
importing process, in memory (batch.py), and the better of the two wins, as if they had been scored
together.

The child is used only where it can be: a database another process can open (not an in-memory
SQLite database), no transaction open in this process (tests run inside one), more than one chunk,
and `SAFEPATH_IMPORT_MATCH_AHEAD` not turned off. Otherwise, or should the child fail, each chunk is
matched here when it is needed: the same results, one core.
"""

from __future__ import annotations

import logging
import multiprocessing
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, connections

from safepath.people.matching import Identity, best_match
from safepath.people.selectors import CandidateReader

logger = logging.getLogger("safepath.referrals.importing")

Known = tuple[int, float] | None  # (person id, score) of the best known candidate, or none good enough
Work = tuple[Sequence[Identity], Sequence[set[str]]]  # a chunk's identities and their blocking keys


def best_known(
    identities: Sequence[Identity],
    keys: Sequence[set[str]],
    known_before: int,
    *,
    reader: CandidateReader | None = None,
) -> list[Known]:
    """For each identity, its best candidate among the people with an id up to `known_before`.
    `reader`: one for the whole import, so each person's record is read once (`CandidateReader`);
    it must read up to the same id."""
    if reader is None:
        reader = CandidateReader(known_before=known_before)
    elif reader.known_before != known_before:
        raise ValueError("the reader reads people up to another id than asked for")
    pool = reader.pool(set().union(*keys) if keys else set())
    found: list[Known] = []
    for identity, row_keys in zip(identities, keys, strict=True):
        best = best_match(identity, pool.candidates(row_keys))
        found.append((best[0], best[1].score) if best else None)  # type: ignore[misc]
    return found


class Ahead:
    """Each chunk's `best_known`, in order: from a child process working ahead when possible, else here."""

    # How long to wait for one chunk's results before matching the rest here. The child takes well
    # under a second a chunk; this only stops an import hanging should the child never answer.
    WAIT_SECONDS = 60.0

    def __init__(
        self,
        chunks: Sequence[Work],
        known_before: int,
        *,
        match: Callable[[Sequence[Identity], Sequence[set[str]], int], list[Known]] = best_known,
    ) -> None:
        self.chunks = chunks
        self.known_before = known_before
        self.match = match
        self.next = 0
        self.process: Any = None
        self.pipe: Any = None

    @staticmethod
    def usable(chunks: int) -> bool:
        if chunks < 2 or not settings.IMPORT_MATCH_AHEAD or connection.in_atomic_block:
            return False
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            return False
        return "fork" in multiprocessing.get_all_start_methods()

    def start(self) -> Ahead:
        """Start the child (when usable); the parent's connections are closed first, never shared."""
        if not self.usable(len(self.chunks)):
            return self
        connections.close_all()  # the child opens its own; a forked open connection would be shared
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        self.process = context.Process(target=self._work, args=(send,), daemon=True, name="safepath-import-match")
        self.process.start()
        send.close()
        self.pipe = receive
        return self

    def _work(self, send: Any) -> None:  # in the child
        try:
            _without_parallel_workers()
            for identities, keys in self.chunks:
                send.send(("ok", self.match(identities, keys, self.known_before)))
        except Exception as error:  # the parent matches the rest itself
            try:
                send.send(("failed", type(error).__name__))  # the class only: a message may quote a row
            except OSError:
                pass  # the parent has stopped listening
        finally:
            connections.close_all()
            send.close()

    def take(self) -> list[Known]:
        """The next chunk's results."""
        identities, keys = self.chunks[self.next]
        self.next += 1
        if self.pipe is not None:
            try:
                if self.pipe.poll(self.WAIT_SECONDS):
                    status, value = self.pipe.recv()
                else:  # stuck (a lock another thread held when a web worker forked it): never hang the import
                    status, value = "failed", "no answer from the matching process"
            except (EOFError, OSError):
                status, value = "failed", "the matching process ended"
            if status == "ok":
                return value  # type: ignore[no-any-return]
            logger.warning("import: matching ahead stopped (%s); matching the rest here", value)
            self.close()
        return self.match(identities, keys, self.known_before)

    def close(self) -> None:
        if self.process is None:
            return
        self.pipe.close()
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join()
        self.process = self.pipe = None


def _without_parallel_workers() -> None:
    """PostgreSQL: the child's candidate queries in its own server process only.

    The import already keeps two processes busy (this child and the importer, each with its server
    process). PostgreSQL's parallel workers for the candidate query would compete with them for the
    same cores, and each worker reads the same keys again to build its own copy of the hash: on a
    two-core machine they made the query slower, not faster.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET max_parallel_workers_per_gather = 0")
