"""The embedded database is opened the way the settings say: WAL, a busy timeout, a memory map."""

import copy
import os

import pytest
from django.conf import settings
from django.db import connections

from safepath.core.bulk import CACHE_KIB, CHECKPOINT_PAGES, bulk_writes

sqlite_only = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite pragmas only apply to the embedded database",
)


def _file_connection(path):  # type: ignore[no-untyped-def]
    """A connection to a file, opened as the deployed site opens its database (Django's wrapper, the settings)."""
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict["NAME"] = str(path)
    return type(connections["default"])(settings_dict)


@sqlite_only
def test_it_opens_a_sqlite_file_with_wal_a_busy_timeout_and_a_memory_map(tmp_path):
    # The test database lives in memory, where WAL and mmap do not apply; open a file the
    # way the deployed site does, through Django's own wrapper and the configured options.
    wrapper = _file_connection(tmp_path / "site.sqlite3")
    raw = wrapper.get_new_connection(wrapper.get_connection_params())
    try:
        pragmas = {
            name: raw.execute(f"PRAGMA {name}").fetchone()[0] for name in ("journal_mode", "busy_timeout", "mmap_size")
        }
    finally:
        raw.close()
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 5000, "mmap_size": 1024 * 1024 * 1024}


@sqlite_only
def test_a_bulk_job_gets_a_larger_cache_and_one_checkpoint_at_the_end(tmp_path, django_db_blocker):
    path = tmp_path / "site.sqlite3"
    wrapper = _file_connection(path)

    def pragma(name: str) -> int:
        with wrapper.cursor() as cursor:
            cursor.execute(f"PRAGMA {name}")
            return int(cursor.fetchone()[0])

    def commit_rows() -> None:  # about 750 pages a transaction: three pass the 1,000-page mark
        wrapper.set_autocommit(False)
        with wrapper.cursor() as cursor:
            cursor.executemany("INSERT INTO t VALUES (randomblob(%s))", [(2000,)] * 1500)
        wrapper.commit()
        wrapper.set_autocommit(True)

    with django_db_blocker.unblock():  # a file of its own, not the test database
        _bulk_job(path, wrapper, pragma, commit_rows)


def _bulk_job(path, wrapper, pragma, commit_rows):  # type: ignore[no-untyped-def]
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x)")
        before = (pragma("cache_size"), pragma("wal_autocheckpoint"))
        with bulk_writes(wrapper):
            assert (pragma("cache_size"), pragma("wal_autocheckpoint")) == (-CACHE_KIB, CHECKPOINT_PAGES)
            for _ in range(3):
                commit_rows()
            assert os.path.getsize(path) < 1_000_000  # committed to the log only: nothing copied yet
        assert os.path.getsize(path) > 6_000_000  # copied into the database file once, at the end
        assert (pragma("cache_size"), pragma("wal_autocheckpoint")) == before == (-2000, 1000)
        commit_rows()
        commit_rows()  # the connection checkpoints by itself again
        assert os.path.getsize(path) > 8_000_000
    finally:
        wrapper.close()


def test_a_bulk_job_changes_nothing_inside_a_transaction(db):  # type: ignore[no-untyped-def]
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size" if connection.vendor == "sqlite" else "SHOW work_mem")
        before = cursor.fetchone()
        with bulk_writes():
            cursor.execute("PRAGMA cache_size" if connection.vendor == "sqlite" else "SHOW work_mem")
            assert cursor.fetchone() == before
