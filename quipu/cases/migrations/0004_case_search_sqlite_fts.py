"""On SQLite, a full-text index (FTS5, trigram tokenizer) over the case search texts, so that
`word` inside any case's text is found without reading the whole table. Triggers keep it in
step with cases_casesearchtext whatever writes that table. PostgreSQL uses its trigram (GIN)
indexes instead (0003); there this migration does nothing.
"""

# ruff: noqa: S608 - the statements hold constant names only
from django.db import migrations

FTS = "cases_search_fts"
TABLE = "cases_casesearchtext"

CREATE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(public, personal, "
    f"content='{TABLE}', content_rowid='case_id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_insert AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, public, personal) VALUES (new.case_id, new.public, new.personal); "
    "END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_delete AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, public, personal) "
    "VALUES ('delete', old.case_id, old.public, old.personal); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_update AFTER UPDATE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, public, personal) "
    "VALUES ('delete', old.case_id, old.public, old.personal); "
    f"INSERT INTO {FTS}(rowid, public, personal) VALUES (new.case_id, new.public, new.personal); "
    "END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]
DROP = [
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TABLE IF EXISTS {FTS}",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_case_search_text")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
