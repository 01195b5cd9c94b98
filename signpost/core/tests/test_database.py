import pytest
from django.core.management import call_command
from django.db import connection


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
