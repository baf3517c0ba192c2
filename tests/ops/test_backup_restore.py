"""Issue 13, Proof: the backup and restore drill of docs/operators.md, on both databases.

Each drill runs a deployment of its own through the `quipu` command, builds data, signs an
audit checkpoint and writes past it, backs up with the real tools (`sqlite3 .backup`, or
`pg_dump -Fc`) and the key archive (`tar`), restores into a fresh database and var/ folder,
and ends with the same row counts and `quipu audit verify` intact. Restored without the audit
key, the same database does not verify: the key is part of the backup.
"""

import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.conftest import in_ci

REPO = Path(__file__).resolve().parents[2]
# What docs/operators.md tells operators to archive from var/ beside each database dump.
KEY_ARCHIVE = ["secret_key", "audit.key", "receipt-signing.key", "linkage.key", "audit-checkpoints"]
ISOLATED_SETTINGS = [
    "DJANGO_SETTINGS_MODULE",
    "QUIPU_SECRET_KEY",
    "QUIPU_AUDIT_KEY",
    "QUIPU_AUDIT_KEY_FILE",
    "QUIPU_AUDIT_CHECKPOINT_DIR",
    "QUIPU_RECEIPT_SIGNING_KEY",
    "QUIPU_RECEIPT_SIGNING_KEY_FILE",
    "QUIPU_LINKAGE_KEY",
    "QUIPU_LINKAGE_KEY_FILE",
]
POSTGRES_SERVER = os.environ.get(
    "QUIPU_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/quipu_test"
).rsplit("/", 1)[0]


def _needed(binary: str) -> str:
    found = shutil.which(binary)
    if found:
        return found
    reason = f"the backup drill needs the {binary} program, which is not installed"
    if in_ci():
        pytest.fail(reason)
    pytest.skip(reason)


def _quipu() -> str:
    found = Path(sys.executable).with_name("quipu")
    if found.exists():
        return str(found)
    return _needed("quipu")


def _run(*command: str) -> None:
    """A backup tool, failing the test with what it said."""
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command[0]}: {result.stderr[-3000:]}"


class Deployment:
    """One Quipu installation: a var/ folder and a database, driven by the quipu command."""

    def __init__(self, var: Path, database_url: str):
        var.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.var = var
        self.env = {**os.environ, "QUIPU_VAR_DIR": str(var), "QUIPU_DATABASE_URL": database_url}
        for name in ISOLATED_SETTINGS:  # every key lives in var/, as in a default install
            self.env.pop(name, None)
        self.env["PYTHONPATH"] = str(REPO)  # for tests.ops.drill_data

    def quipu(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [_quipu(), *args], env=self.env, capture_output=True, text=True, timeout=900
        )
        if check:
            assert result.returncode == 0, result.stderr[-3000:]
        return result

    def build(self) -> None:
        """Migrate, build data, sign a checkpoint, and write past it."""
        self.quipu("migrate", "-v", "0")
        code = "from tests.ops.drill_data import drill_data_build; drill_data_build()"
        self.quipu("shell", "-c", code)
        self.quipu("audit", "checkpoint")
        code = "from tests.ops.drill_data import drill_reads_record; drill_reads_record()"
        self.quipu("shell", "-c", code)

    def keys_back_up(self, archive: Path) -> None:
        present = [name for name in KEY_ARCHIVE if (self.var / name).exists()]
        assert {"audit.key", "audit-checkpoints"} <= set(present)
        _run(_needed("tar"), "-C", str(self.var), "-czf", str(archive), *present)

    def keys_restore(self, archive: Path) -> None:
        _run(_needed("tar"), "-C", str(self.var), "-xzf", str(archive))

    def verify(self) -> subprocess.CompletedProcess:
        return self.quipu("audit", "verify", check=False)


def _sqlite_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        # Table names come from sqlite_master itself; SQLite cannot bind an identifier.
        return {
            table: connection.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in tables
        }


def _postgres_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            )
        ]
        return {
            table: connection.execute(
                sql.SQL("SELECT COUNT(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def _assert_same_data_and_intact(before: dict, after: dict, restored: Deployment) -> None:
    differing = {
        table: (before.get(table), after.get(table))
        for table in before.keys() | after.keys()
        if before.get(table) != after.get(table)
    }
    assert not differing, differing
    assert before["audit_auditentry"] > 0 and before["cases_case"] > 0
    report = restored.verify()
    assert report.returncode == 0, report.stderr
    assert f" {before['audit_auditentry']} " in report.stdout  # every row walked
    checkpoints = list((restored.var / "audit-checkpoints").iterdir())
    assert len(checkpoints) == 1
    assert (restored.var / "audit.key").stat().st_mode & 0o077 == 0


def _without_the_audit_key(restored: Deployment) -> None:
    """The same database, restored without the key archive: the chain cannot be checked."""
    (restored.var / "audit.key").unlink()
    shutil.rmtree(restored.var / "audit-checkpoints")
    report = restored.verify()
    assert report.returncode != 0
    assert "#1" in report.stderr


def test_backup_drill_on_sqlite_restores_the_same_data_and_an_intact_audit_chain(tmp_path):
    sqlite = _needed("sqlite3")
    live = Deployment(tmp_path / "live", f"sqlite:///{tmp_path / 'live' / 'quipu.sqlite3'}")
    live.build()
    backups = tmp_path / "backups"
    backups.mkdir()
    # docs/operators.md, Backups: safe while the server runs (WAL mode).
    live_db, backup_db = live.var / "quipu.sqlite3", backups / "quipu.sqlite3"
    _run(sqlite, str(live_db), f".backup {backup_db}")
    live.keys_back_up(backups / "quipu-keys.tgz")

    restored_db = tmp_path / "restored" / "quipu.sqlite3"
    restored = Deployment(restored_db.parent, f"sqlite:///{restored_db}")
    shutil.copy(backup_db, restored_db)
    restored.keys_restore(backups / "quipu-keys.tgz")

    _assert_same_data_and_intact(_sqlite_counts(live_db), _sqlite_counts(restored_db), restored)
    _without_the_audit_key(restored)


@pytest.fixture
def postgres_databases():
    """Two fresh databases on the test server, dropped afterwards."""
    try:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3):
            pass
    except psycopg.Error:
        reason = f"PostgreSQL is not reachable at {POSTGRES_SERVER}"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    suffix = uuid.uuid4().hex[:8]
    names = [f"quipu_drill_live_{suffix}", f"quipu_drill_restored_{suffix}"]
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield [f"{POSTGRES_SERVER}/{name}" for name in names]
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


@pytest.mark.postgres
def test_backup_drill_on_postgresql_restores_the_same_data_and_an_intact_audit_chain(
    tmp_path, postgres_databases
):
    pg_dump, pg_restore = _needed("pg_dump"), _needed("pg_restore")
    live_url, restored_url = postgres_databases
    live = Deployment(tmp_path / "live", live_url)
    live.build()
    backups = tmp_path / "backups"
    backups.mkdir()
    dump = backups / "quipu.dump"
    # docs/operators.md, Backups: a custom-format dump, then the key archive.
    _run(pg_dump, "-Fc", "-f", str(dump), live_url)
    live.keys_back_up(backups / "quipu-keys.tgz")

    restored = Deployment(tmp_path / "restored", restored_url)
    _run(pg_restore, "--exit-on-error", "--no-owner", "-d", restored_url, str(dump))
    restored.keys_restore(backups / "quipu-keys.tgz")

    _assert_same_data_and_intact(
        _postgres_counts(live_url), _postgres_counts(restored_url), restored
    )
    _without_the_audit_key(restored)
