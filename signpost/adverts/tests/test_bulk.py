import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from signpost.adverts import bulk
from signpost.adverts.models import Advert


@pytest.mark.django_db
def test_the_datetime_preparer_gives_what_the_field_gives():
    fast = bulk.datetime_preparer(Advert, "posted_at")
    (generic,) = bulk.preparers(Advert, ["posted_at"])
    values = [
        None,
        datetime(2026, 11, 1, 23, 30, tzinfo=UTC),
        datetime(2026, 11, 1, 23, 30, 5, 123456, tzinfo=UTC),
        datetime(2026, 3, 29, 1, 30, tzinfo=timezone(timedelta(hours=2))),
        datetime(2026, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
    ]
    assert [fast(value) for value in values] == [generic(value) for value in values]


@pytest.mark.django_db
def test_the_json_preparer_gives_the_json_the_field_gives():
    fast = bulk.json_preparer(Advert, "indicator_hits")
    (generic,) = bulk.preparers(Advert, ["indicator_hits"])
    values = [
        None,
        {},
        {"new_arrival": [(0, 12), (40, 52)], "youth": [[3, 9]]},
        {"names": ["Ștefania", "Ana"], "big": 2**70},
    ]
    for value in values:
        fast_value, generic_value = fast(value), generic(value)
        if value is None:
            assert fast_value is generic_value is None
        else:
            assert loaded(fast_value) == loaded(generic_value)


def loaded(prepared):
    """What the database will read: JSON text on SQLite, psycopg's Jsonb on PostgreSQL."""
    return (
        json.loads(prepared) if isinstance(prepared, str) else json.loads(json.dumps(prepared.obj))
    )
