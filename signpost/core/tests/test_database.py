import sqlite3

import pytest
from django.core.management import call_command
from django.db import connection

from signpost.core.database import BULK_CACHE_KIB, BULK_CHECKPOINT_PAGES, bulk_writes


# Outside a transaction, as the hourly job runs (PostgreSQL then vacuums as well).
@pytest.mark.django_db(transaction=True)
def test_planner_statistics_are_written(world):
    call_command("refresh_planner_statistics")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'core_user'")
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stats WHERE tablename = 'core_user' AND attname = 'email'"
            )
        [(rows,)] = cursor.fetchall()
    assert rows > 0


def _sqlite_settings():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        [(cache,)] = cursor.fetchall()
        cursor.execute("PRAGMA wal_autocheckpoint")
        [(checkpoint,)] = cursor.fetchall()
    return cache, checkpoint


@pytest.mark.django_db
def test_bulk_writes_settings_hold_inside_and_are_restored_after_even_on_error():
    if connection.vendor != "sqlite":
        with bulk_writes():
            pass  # nothing to set elsewhere
        return
    before = _sqlite_settings()
    with bulk_writes():
        assert _sqlite_settings() == (-BULK_CACHE_KIB, BULK_CHECKPOINT_PAGES)
    assert _sqlite_settings() == before
    with pytest.raises(ZeroDivisionError), bulk_writes():
        1 / 0  # noqa: B018
    assert _sqlite_settings() == before


def test_a_new_sqlite_database_gets_large_pages_and_a_write_ahead_log(tmp_path, settings):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if "init_command" not in options:
        pytest.skip("SQLite's settings")
    fresh = sqlite3.connect(tmp_path / "new.db")
    try:
        fresh.executescript(options["init_command"])
        page_size = fresh.execute("PRAGMA page_size").fetchone()[0]
        journal_mode = fresh.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        fresh.close()
    assert (page_size, journal_mode) == (16384, "wal")
