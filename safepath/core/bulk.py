"""SQLite settings for a job that writes thousands of rows in transaction after transaction (an import).

A chunk of an import adds some thousands of matching keys, each to a random leaf of the key index
(millions of entries at 200,000 people), so each commit changes a few thousand pages. With SQLite's
defaults two things made that dear:

- the page cache holds 2 MB (500 pages): a chunk's changed pages did not fit, and were written out
  and read back during the transaction. 64 MB holds them;
- once the write-ahead log passes 1,000 pages, SQLite copies it into the database file after every
  commit, and syncs the file: the same index pages were copied again chunk after chunk (about a
  fifth of an import's time). For the job, the log may grow to 128 MB first (`CHECKPOINT_PAGES`),
  so each page is copied once for many chunks, and one checkpoint at the end copies the rest.
  Readers are not held up: they read the log meanwhile.

The connection's own settings come back afterwards. Nothing changes on PostgreSQL, inside a
transaction (tests) or on an in-memory database.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection as default_connection
from django.db.backends.base.base import BaseDatabaseWrapper

CACHE_KIB = 65_536  # the page cache for the job, in KiB (SQLite's default is 2,000)
# Pages of log before a checkpoint during the job (SQLite's default is 1,000): 128 MB of 4 KB pages,
# about 4,000 rows of an import at 200,000 people. It bounds the log however long the import is.
CHECKPOINT_PAGES = 32_768


@contextmanager
def bulk_writes(connection: BaseDatabaseWrapper = default_connection) -> Iterator[None]:
    """For the length of the block: a larger page cache, checkpoints every 128 MB of log and at the end."""
    if connection.vendor != "sqlite" or connection.in_atomic_block or connection.is_in_memory_db():
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (cache_size,) = cursor.fetchone()
        cursor.execute("PRAGMA wal_autocheckpoint")
        (autocheckpoint,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cursor.execute(f"PRAGMA wal_autocheckpoint = {CHECKPOINT_PAGES}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint = {int(autocheckpoint)}")
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")
            if not connection.in_atomic_block:  # the job failed inside a transaction: it checkpoints later
                cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")  # never waits for readers or writers
