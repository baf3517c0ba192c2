"""Drop knox's own token table once knox's migrations have made it.

Its model is swapped for accounts.ApiToken (KNOX_TOKEN_MODEL), so the table is never used,
yet its key to the users table stops PostgreSQL from truncating users (Django's flush leaves
out swapped models' tables). A knox upgrade that brings a migration must be checked against
this (docs/decisions.md, 2026-12-06)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_refused_signin_tally"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS knox_authtoken", reverse_sql=migrations.RunSQL.noop)
    ]
