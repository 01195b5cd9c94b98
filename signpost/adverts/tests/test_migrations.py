"""Migrations that move advert data keep every byte of it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("adverts", "0004_sqlite_grouping_index_without_group")]
AFTER = [("adverts", "0005_advert_document")]


def _indexes():
    with connection.cursor() as cursor:
        return set(connection.introspection.get_constraints(cursor, "adverts_advert"))


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_documents_move_to_their_own_table_and_back():
    apps = _migrate(BEFORE)
    indexes = _indexes()
    region = apps.get_model("core", "Region").objects.create(slug="mig", name="Migration")
    document = {"record": {"title": "New in town", "body": "Call 07700 900111"}, "extracted": {}}
    advert = apps.get_model("adverts", "Advert").objects.create(
        region=region, source="siteA", external_id="1", fingerprint="f", content=document
    )

    apps = _migrate(AFTER)
    moved = apps.get_model("adverts", "AdvertDocument").objects.get(advert_id=advert.pk)
    assert moved.content == document
    # Rebuilding the table on SQLite keeps the indexes made by hand (advert_tokens).
    assert _indexes() == indexes

    apps = _migrate(BEFORE)
    assert apps.get_model("adverts", "Advert").objects.get(pk=advert.pk).content == document
    assert _indexes() == indexes
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
