"""Bulk writes for the advert import without the ORM's per-object work.

Django's bulk_create and bulk_update resolve an expression per field and per object (and
bulk_update writes one CASE WHEN per column): at a million adverts that is most of the import.
These helpers write plain parameterised SQL. Every value still goes through its field's
get_db_prep_save, so encrypted fields are encrypted and JSON and dates are adapted exactly as
the ORM would, and they run inside the caller's transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import orjson
from django.conf import settings
from django.db import connection, models
from django.db.models.constants import OnConflict

# Rows per multi-row INSERT ... RETURNING: enough to amortise a statement, few enough for
# SQLite's parameter limit (32766 since 3.32; 999 before, which limit() below honours).
INSERT_ROWS = 400


def _parameter_limit() -> int:
    if connection.vendor != "sqlite":
        return 65535
    connection.ensure_connection()
    raw = connection.connection
    try:
        return int(raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    except AttributeError:  # Python before 3.11
        return 999


def preparers(model: type[models.Model], names: Sequence[str]) -> list[Callable[[Any], Any]]:
    """For each named field, a function from a Python value to the value sent to the database."""
    prepared: list[Callable[[Any], Any]] = []
    for name in names:
        field = model._meta.get_field(name)

        def prepare(value: Any, field: Any = field) -> Any:
            return field.get_db_prep_save(value, connection)

        prepared.append(prepare)
    return prepared


def datetime_preparer(model: type[models.Model], name: str) -> Callable[[Any], Any]:
    """`preparers` for one DateTimeField, cheaper for the aware datetimes an import writes on
    SQLite: Django's way there (four calls deep) cost 1.5% of an advert's analysis, for the same
    string: the UTC date and time without its offset."""
    generic = preparers(model, (name,))[0]
    if connection.vendor != "sqlite" or not settings.USE_TZ or connection.timezone is not UTC:
        return generic

    def prepare(value: Any) -> Any:
        if isinstance(value, datetime) and value.tzinfo is not None:
            return str(value.astimezone(UTC).replace(tzinfo=None))
        return generic(value)

    return prepare


def json_preparer(model: type[models.Model], name: str) -> Callable[[Any], Any]:
    """`preparers` for one JSONField without a custom encoder, through orjson on SQLite (where
    Django's way cost 1% of an advert's analysis): the same JSON, without spaces."""
    generic = preparers(model, (name,))[0]
    field = model._meta.get_field(name)
    if connection.vendor != "sqlite" or getattr(field, "encoder", None) is not None:
        return generic

    def prepare(value: Any) -> Any:
        if value is None:
            return generic(value)
        try:
            return orjson.dumps(value).decode()
        except orjson.JSONEncodeError:  # what only json can write (integers beyond 64 bits)
            return generic(value)

    return prepare


def _columns(model: type[models.Model], names: Sequence[str]) -> list[str]:
    quote = connection.ops.quote_name
    return [quote(str(model._meta.get_field(name).column)) for name in names]  # type: ignore[union-attr]


def insert_returning_ids(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert rows of already prepared values; their primary keys, in the order given."""
    if not rows:
        return []
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(_columns(model, names))
    pk = connection.ops.quote_name(model._meta.pk.column)  # type: ignore[union-attr]
    per_row = "(" + ", ".join(["%s"] * len(names)) + ")"
    size = max(1, min(INSERT_ROWS, _parameter_limit() // len(names)))
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            sql = (
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([per_row] * len(batch))} "  # noqa: S608
                f"RETURNING {pk}"
            )
            cursor.execute(sql, [value for row in batch for value in row])
            ids.extend(row[0] for row in cursor.fetchall())
    if len(ids) != len(rows):
        raise RuntimeError("The database returned fewer keys than rows inserted.")
    return ids


def insert_rows(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert rows of prepared values."""
    _insert(model, names, rows, on_conflict=None)


def insert_ignoring_conflicts(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Insert rows of prepared values; a row that breaks a unique constraint is skipped."""
    _insert(model, names, rows, on_conflict=OnConflict.IGNORE)


def _insert(
    model: type[models.Model],
    names: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    on_conflict: OnConflict | None,
) -> None:
    if not rows:
        return
    fields = [model._meta.get_field(name) for name in names]
    table = connection.ops.quote_name(model._meta.db_table)
    head = connection.ops.insert_statement(on_conflict=on_conflict)
    suffix = connection.ops.on_conflict_suffix_sql(fields, on_conflict, None, None)
    sql = (
        f"{head} {table} ({', '.join(_columns(model, names))}) "
        f"VALUES ({', '.join(['%s'] * len(names))}) {suffix}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def update_by_pk(
    model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """UPDATE each row by primary key: rows are (prepared values..., pk)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    assignments = ", ".join(f"{column} = %s" for column in _columns(model, names))
    pk = connection.ops.quote_name(model._meta.pk.column)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s", rows)  # noqa: S608
