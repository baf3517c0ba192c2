"""Importing CTDC's public file: rows per second on SQLite and PostgreSQL, and peak memory.

Anchors, measured in the same run: the database's own bulk loader reading the same CSV into a
plain table (SQLite's `.import`, PostgreSQL's `COPY`). The importing process's CPU seconds are
kept beside its rate: on a busy machine they vary less than the wall clock does (on PostgreSQL
they leave out the server's share). Memory: the same file repeated ten times under new source
keys must not need ten times the memory.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, write_result

CTDC = ROOT.parent / "shared" / "reference" / "ctdc" / "ctdc_global_kanon_2021-07-15.csv"
POSTGRES = os.environ.get("QUIPU_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/quipu_test")
# The database the benchmark drops and creates on that server: name another one to run beside
# someone else's benchmark.
BENCH_DATABASE = os.environ.get("QUIPU_BENCH_DATABASE", "quipu_bench")
QUIPU = Path(sys.executable).with_name("quipu")

CHILD = """
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quipu.config.settings")
import django
django.setup()
from pathlib import Path
from quipu.intake.imports import import_file
from quipu.tenancy.models import Institution
started, cpu = time.perf_counter(), time.process_time()
result = import_file(path=Path(sys.argv[1]), owner=Institution.objects.get(code="IOM"))
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
assert result.ok, result.errors[:3]
print(json.dumps({"rows": result.rows, "seconds": elapsed, "cpu_seconds": cpu,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _env(workdir: Path, database_url: str) -> dict:
    return {**os.environ, "QUIPU_VAR_DIR": str(workdir), "QUIPU_DATABASE_URL": database_url}


def _prepare(env: dict) -> None:
    subprocess.run([str(QUIPU), "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([str(QUIPU), "demo"], env=env, check=True, stdout=subprocess.DEVNULL)


def _import(env: dict, path: Path) -> dict:
    output = subprocess.run(
        [sys.executable, "-c", CHILD, str(path)],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def _sqlite_anchor(workdir: Path) -> float:
    database = workdir / "anchor.sqlite3"
    started = time.perf_counter()
    subprocess.run(["sqlite3", str(database), ".mode csv", f".import {CTDC} ctdc"], check=True)
    return time.perf_counter() - started


def _postgres_anchor(url: str) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        header = CTDC.open(encoding="utf-8").readline().strip().split(",")
        columns = ", ".join(f'"{c}" text' for c in header)
        connection.execute("DROP TABLE IF EXISTS ctdc_anchor")
        connection.execute(f"CREATE TABLE ctdc_anchor ({columns})")
        started = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.copy("COPY ctdc_anchor FROM STDIN WITH (FORMAT csv, HEADER true)") as copy,
            CTDC.open("rb") as handle,
        ):
            while chunk := handle.read(1 << 20):
                copy.write(chunk)
        elapsed = time.perf_counter() - started
        connection.execute("DROP TABLE ctdc_anchor")
    return elapsed


def _repeated(workdir: Path, times: int) -> Path:
    """The file `times` over: rows get new numbers, so new source keys."""
    target = workdir / f"ctdc_x{times}.csv"
    lines = CTDC.read_text(encoding="utf-8").splitlines(keepends=True)
    with target.open("w", encoding="utf-8") as handle:
        handle.write(lines[0])
        for _ in range(times):
            handle.writelines(lines[1:])
    return target


def _postgres_database() -> str | None:
    try:
        import psycopg

        server = POSTGRES.rsplit("/", 1)[0]
        with psycopg.connect(server + "/postgres", autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')
            connection.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
        return f"{server}/{BENCH_DATABASE}"
    except Exception:  # noqa: BLE001 - no PostgreSQL here: that half is skipped and said so
        return None


def run() -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="quipu-bench-import-"))
    try:
        figures = {"rows": None, "sqlite": {}, "postgresql": {}, "memory": {}}
        sqlite_env = _env(workdir, f"sqlite:///{workdir / 'quipu.sqlite3'}")
        _prepare(sqlite_env)
        once = _import(sqlite_env, CTDC)
        anchor = _sqlite_anchor(workdir)
        figures["rows"] = once["rows"]
        figures["sqlite"] = {
            "rows_per_second": round(once["rows"] / once["seconds"]),
            "target_rows_per_second": 20000,
            "anchor_dot_import_rows_per_second": round(once["rows"] / anchor),
            "ratio_to_anchor": round(anchor / once["seconds"], 3),
            "import_cpu_seconds": round(once["cpu_seconds"], 2),
        }
        ten = _import(sqlite_env, _repeated(workdir, 10))
        figures["memory"] = {
            "peak_mb_file_once": round(once["peak_kb"] / 1024),
            "peak_mb_file_ten_times": round(ten["peak_kb"] / 1024),
            "ratio_ten_to_once": round(ten["peak_kb"] / once["peak_kb"], 2),
            "rows_per_second_ten_times": round(ten["rows"] / ten["seconds"]),
        }
        url = _postgres_database()
        if url:
            pg_env = _env(workdir, url)
            _prepare(pg_env)
            pg = _import(pg_env, CTDC)
            pg_anchor = _postgres_anchor(url)
            figures["postgresql"] = {
                "rows_per_second": round(pg["rows"] / pg["seconds"]),
                "target_rows_per_second": 50000,
                "anchor_copy_rows_per_second": round(pg["rows"] / pg_anchor),
                "ratio_to_anchor": round(pg_anchor / pg["seconds"], 3),
                "import_cpu_seconds": round(pg["cpu_seconds"], 2),
            }
        else:
            figures["postgresql"] = {"skipped": "PostgreSQL not reachable"}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    sqlite, memory = figures["sqlite"], figures["memory"]
    pg_rate = figures["postgresql"].get("rows_per_second", "n/a")
    return write_result(
        "import",
        {
            "anchor": "the database's own CSV loader on the same file (sqlite3 .import, COPY)",
            **figures,
            "summary": f"CTDC import {sqlite['rows_per_second']} rows/s on SQLite "
            f"({sqlite['ratio_to_anchor']} x .import), {pg_rate} rows/s on PostgreSQL; "
            f"peak memory x{memory['ratio_ten_to_once']} for a file ten times larger",
        },
    )
