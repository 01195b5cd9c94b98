"""On SQLite, the grouping index (migration 0003) without the advert's group.

With the group in it, every advert an import moves to another group rewrote its entry, tokens
and all: at a million adverts, 192,000 moves spilled the page cache into the log and took 13 s
alone, 4.6 s without it. Grouping reads the adverts' groups from the index on group instead
(services.ADVERT_GROUPS_SQL), which holds nothing else."""

from django.db import migrations

OLD = "advert_grouping"
NEW = "advert_tokens"


def _swap(schema_editor, *, make: str, columns: str, drop: str) -> None:
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{make}" ON "adverts_advert" ({columns})'
        )
        schema_editor.execute(f'DROP INDEX IF EXISTS "{drop}"')


def create(apps, schema_editor):
    _swap(schema_editor, make=NEW, columns='"region_id", "id", "group_tokens"', drop=OLD)


def drop(apps, schema_editor):
    _swap(
        schema_editor, make=OLD, columns='"region_id", "id", "group_id", "group_tokens"', drop=NEW
    )


class Migration(migrations.Migration):
    dependencies = [("adverts", "0003_sqlite_grouping_index")]

    operations = [migrations.RunPython(create, drop)]
