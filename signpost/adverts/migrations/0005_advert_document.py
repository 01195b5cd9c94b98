"""An advert's encrypted document moves to a table of its own (AdvertDocument), so that the
advert's row stays narrow: an import's ending moves tens of thousands of adverts to their final
group, and each move rewrote a page of wide rows. The documents are copied as they are (the
ciphertext does not change).

On SQLite, making the column nullable (and back) rebuilds the table, which drops the grouping
index that migration 0004 made by hand: it is made again, both ways."""

import django.db.models.deletion
import signpost.core.fields
from django.db import migrations, models


def grouping_index(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            'CREATE INDEX IF NOT EXISTS "advert_tokens" ON "adverts_advert"'
            ' ("region_id", "id", "group_tokens")'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("adverts", "0004_sqlite_grouping_index_without_group"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, grouping_index),
        migrations.CreateModel(
            name="AdvertDocument",
            fields=[
                (
                    "advert",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="document",
                        serialize=False,
                        to="adverts.advert",
                    ),
                ),
                ("content", signpost.core.fields.EncryptedJSONField()),
            ],
            options={
                "verbose_name": "advert document",
                "verbose_name_plural": "advert documents",
            },
        ),
        # Nullable while the documents move, so that the way back can add the column empty
        # and fill it.
        migrations.AlterField(
            model_name="advert",
            name="content",
            field=signpost.core.fields.EncryptedJSONField(null=True),
        ),
        migrations.RunSQL(
            "INSERT INTO adverts_advertdocument (advert_id, content)"
            " SELECT id, content FROM adverts_advert",
            reverse_sql="UPDATE adverts_advert SET content = (SELECT content FROM"
            " adverts_advertdocument WHERE advert_id = adverts_advert.id)",
        ),
        migrations.RemoveField(
            model_name="advert",
            name="content",
        ),
        migrations.RunPython(grouping_index, migrations.RunPython.noop),
    ]
