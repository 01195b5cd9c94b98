"""Keeping the database's query planner informed."""

from __future__ import annotations

from django.db import connection

# Rows SQLite samples per index: enough to tell a selective index (a blind index matches a few
# rows) from a broad one (every case of a region), and fast (milliseconds on a large database).
SQLITE_ANALYSIS_LIMIT = 1000


def planner_statistics_refresh() -> None:
    """Refresh the statistics the planner chooses indexes by.

    Without them SQLite guesses, and at scale it guesses wrong: it walks every case of a region
    instead of the two identifiers that match a phone number. PostgreSQL's autovacuum does this
    on its own, but not soon after a bulk load.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            # VACUUM also marks pages all-visible, so that counting a queue reads its index
            # alone; it cannot run inside a transaction, ANALYZE can.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
