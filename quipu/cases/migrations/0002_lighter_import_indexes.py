"""Fewer indexes and keys to write per imported case (docs/decisions.md, 2026-11-30).

- A route event belongs to its victim, and so to the victim's case: its own key to the case
  is dropped. Events without a victim (no code path writes them) could not be reached from
  any case, so they are deleted first.
- Cases lose the index on their owner (the (owner, source_key) unique index covers it) and
  on their creator (nothing reads by it); the unique reference index is led by the reference.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def delete_events_without_victim(apps, schema_editor):
    apps.get_model("cases", "RouteEvent").objects.filter(victim__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("tenancy", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(delete_events_without_victim, migrations.RunPython.noop),
        migrations.RemoveField(model_name="routeevent", name="case"),
        migrations.AlterField(
            model_name="routeevent",
            name="victim",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="route_events",
                to="cases.victim",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="owner",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="tenancy.institution",
                verbose_name="owning institution",
            ),
        ),
        migrations.AlterField(
            model_name="case",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RemoveConstraint(model_name="case", name="unique_case_reference"),
        migrations.AddConstraint(
            model_name="case",
            constraint=models.UniqueConstraint(
                fields=("reference", "owner"), name="unique_case_reference"
            ),
        ),
    ]
