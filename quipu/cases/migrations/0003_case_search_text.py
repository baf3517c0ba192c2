"""The case search index (issue 14): one row of folded words per case, filled for the cases
already stored, with trigram indexes on PostgreSQL when pg_trgm can be created.

The backfill uses search_index.py, which reads only the few columns it indexes (reference,
names, identifier values, cities, states, countries); `quipu case_search_index` does the same
later, for instance once an operator has installed pg_trgm.
"""

import django.db.models.deletion
from django.db import migrations, models


def backfill(apps, schema_editor):
    from quipu.cases.search_index import search_texts_rebuild

    search_texts_rebuild()


def trigram_indexes(apps, schema_editor):
    from quipu.cases.search_index import search_trigram_indexes_create

    search_trigram_indexes_create(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_lighter_import_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseSearchText",
            fields=[
                (
                    "case",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_text",
                        serialize=False,
                        to="cases.case",
                    ),
                ),
                ("public", models.TextField(blank=True)),
                ("personal", models.TextField(blank=True)),
            ],
            options={
                "verbose_name": "case search text",
                "verbose_name_plural": "case search texts",
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        # Dropped with the table on the way back.
        migrations.RunPython(trigram_indexes, migrations.RunPython.noop, elidable=True),
    ]
