"""The embedded database is opened the way the settings say: WAL, a busy timeout, a memory map."""

import copy

import pytest
from django.conf import settings
from django.db import connections


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite pragmas only apply to the embedded database",
)
def test_it_opens_a_sqlite_file_with_wal_a_busy_timeout_and_a_memory_map(tmp_path):
    # The test database lives in memory, where WAL and mmap do not apply; open a file the
    # way the deployed site does, through Django's own wrapper and the configured options.
    settings_dict = copy.deepcopy(connections["default"].settings_dict)
    settings_dict["NAME"] = str(tmp_path / "site.sqlite3")
    wrapper = type(connections["default"])(settings_dict)
    raw = wrapper.get_new_connection(wrapper.get_connection_params())
    try:
        pragmas = {
            name: raw.execute(f"PRAGMA {name}").fetchone()[0] for name in ("journal_mode", "busy_timeout", "mmap_size")
        }
    finally:
        raw.close()
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 5000, "mmap_size": 1024 * 1024 * 1024}
