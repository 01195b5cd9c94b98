"""Drop three foreign-key indexes that an import paid for and no query used: the region of an
advert (the unique (region, source, external_id) index starts with it), and the advert and the
region of an identifier (the unique (advert, kind, value_index) index starts with the advert;
identifiers are looked up by value). The indexes are dropped by name rather than by altering
the fields, which SQLite would do by copying both tables."""

import django.db.models.deletion
from django.db import migrations, models

INDEXES = [
    ("adverts_advert_region_id_b8adce71", "adverts_advert", "region_id"),
    ("adverts_advertidentifier_advert_id_ce147fa2", "adverts_advertidentifier", "advert_id"),
    ("adverts_advertidentifier_region_id_24316756", "adverts_advertidentifier", "region_id"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("adverts", "0001_initial"),
        ("core", "0002_audit_append_only"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="advert",
                    name="region",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="adverts",
                        to="core.region",
                    ),
                ),
                migrations.AlterField(
                    model_name="advertidentifier",
                    name="advert",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="identifiers",
                        to="adverts.advert",
                    ),
                ),
                migrations.AlterField(
                    model_name="advertidentifier",
                    name="region",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="core.region",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    sql=f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for name, table, column in INDEXES
            ],
        ),
    ]
