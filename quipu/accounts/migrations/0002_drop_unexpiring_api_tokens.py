"""Retire DRF's authtoken table: its keys were stored in plain text and never expired.

The old tokens are not carried over (docs/decisions.md, 2026-12-06): they were made without
any second factor and would stop at once where two-factor login is required. Owners create a
new, expiring token on their account security page. Dropping the table (and its migration
records, so the app could be installed afresh) leaves no usable key in the database."""

from django.db import migrations

DROP = [
    "DROP TABLE IF EXISTS authtoken_token",
    "DELETE FROM django_migrations WHERE app = 'authtoken'",
]


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunSQL(DROP, reverse_sql=migrations.RunSQL.noop)]
