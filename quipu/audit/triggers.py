"""Database triggers that refuse UPDATE and DELETE on the audit table, on SQLite and PostgreSQL.

The application never edits the log; these stop anything else that talks SQL from doing it
quietly. Someone with rights to drop the triggers can still tamper: the hash chain shows it.
"""

TABLE = "audit_auditentry"

SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS audit_entry_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS audit_entry_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END""",
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
]

POSTGRES_INSTALL = [
    """CREATE OR REPLACE FUNCTION quipu_audit_append_only() RETURNS trigger AS $$
        BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql""",
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE}",
    f"""CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION quipu_audit_append_only()""",
]
POSTGRES_REMOVE = [
    f"DROP TRIGGER IF EXISTS audit_entry_append_only ON {TABLE}",
    "DROP FUNCTION IF EXISTS quipu_audit_append_only()",
]


def trigger_sql(vendor: str, *, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if vendor == "postgresql":
        return POSTGRES_INSTALL if install else POSTGRES_REMOVE
    return []


def triggers_install(schema_editor) -> None:
    for statement in trigger_sql(schema_editor.connection.vendor, install=True):
        schema_editor.execute(statement)


def triggers_remove(schema_editor) -> None:
    for statement in trigger_sql(schema_editor.connection.vendor, install=False):
        schema_editor.execute(statement)
