"""On SQLite, an index that holds what grouping reads of every stored advert (its id, group
and tokens), so that an import of a few new adverts reads it instead of the adverts' rows,
which are wide (their encrypted document): at a million adverts the rows are gigabytes, the
index about a hundred megabytes. New adverts add to its end (it is in id order).

PostgreSQL is left out: an index entry there may not exceed 2,704 bytes, and tokens are not
bounded that tightly; its rows keep large values out of line anyway."""

from django.db import migrations

INDEX = "advert_grouping"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "adverts_advert" '
            '("region_id", "id", "group_id", "group_tokens")'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("adverts", "0002_drop_indexes_covered_or_unused")]

    operations = [migrations.RunPython(create, drop)]
