"""Importing CTDC's public file: rows per second on SQLite and PostgreSQL, and peak memory.

Anchors, measured in the same run: the database's own bulk loader reading the same CSV into a
plain table (SQLite's `.import`, PostgreSQL's `COPY`). The importing process's CPU seconds are
kept beside its rate: on a busy machine they vary less than the wall clock does; on PostgreSQL
the server backend's CPU seconds are read from /proc when the server runs on this machine.
Floor: the database's own work for Quipu's schema, timed by storing the rows the import wrote
again (every index and foreign-key check, no Python), then rolled back; the import cannot be
faster than that. SQLite copies them back into the same tables; PostgreSQL copies them into a
copy of the database as it was before the import, once more with the server's per-row
foreign-key checks off, to show what storing the rows costs with no integrity checks at all.
Each rate is the median of several imports, each into a fresh copy of the prepared
database. Memory: the same file repeated ten times under new source keys must not need ten
times the memory. The machine's load average is kept with the figures.
"""

import json
import os
import shutil
import statistics
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
# Imports per database, each into a fresh copy of the prepared one; the median is reported.
# One run on a shared two-core machine varied by a third from the next.
REPEATS = int(os.environ.get("QUIPU_BENCH_REPEATS", "5"))

CHILD = """
import json, os, resource, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quipu.config.settings")
import django
django.setup()
from pathlib import Path
from quipu.intake.imports import import_file
from quipu.tenancy.models import Institution
from django.db import connection

def server_cpu():
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:  # the server runs elsewhere
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

owner = Institution.objects.get(code="IOM")
server = server_cpu()
started, cpu = time.perf_counter(), time.process_time()
result = import_file(path=Path(sys.argv[1]), owner=owner)
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
assert result.ok, result.errors[:3]
server = None if server is None else server_cpu() - server
print(json.dumps({"rows": result.rows, "seconds": elapsed, "cpu_seconds": cpu,
                  "server_cpu_seconds": server,
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

# The rows one import wrote, by table, parents first, and how to find them.
FLOOR_TABLES = {
    "cases_case": "owner_id = {owner}",
    "cases_person": "owner_id = {owner}",
    "cases_victim": "case_id IN (SELECT id FROM cases_case WHERE owner_id = {owner})",
    "cases_routeevent": "victim_id IN (SELECT v.id FROM cases_victim v"
    " JOIN cases_case c ON c.id = v.case_id WHERE c.owner_id = {owner})",
}


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
    database.unlink(missing_ok=True)
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


def _sqlite_floor(database: Path) -> float:
    """Seconds SQLite takes to store the imported rows again in the same tables: the rows are
    copied aside, deleted, and inserted back with every index and foreign key, then rolled back."""
    import sqlite3

    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA foreign_keys = ON")
    owner = connection.execute("SELECT id FROM tenancy_institution WHERE code = 'IOM'").fetchone()
    tables = {t: where.format(owner=owner[0]) for t, where in FLOOR_TABLES.items()}
    connection.execute("BEGIN IMMEDIATE")
    for table, where in tables.items():
        # Table names and the owner's id come from this module, not from input.
        copied = f"CREATE TEMP TABLE copy_{table} AS SELECT * FROM {table} WHERE {where}"  # noqa: S608
        connection.execute(copied)
    for table, where in reversed(tables.items()):
        connection.execute(f"DELETE FROM {table} WHERE {where}")  # noqa: S608
    started = time.perf_counter()
    for table in tables:
        connection.execute(f"INSERT INTO {table} SELECT * FROM copy_{table}")  # noqa: S608
    elapsed = time.perf_counter() - started
    connection.execute("ROLLBACK")
    connection.close()
    return elapsed


def _postgres_floor(
    url: str, empty_url: str, *, foreign_keys: bool = True
) -> tuple[float, float | None]:
    """Seconds (and server CPU seconds) PostgreSQL takes to COPY the rows the import wrote
    (in `url`) into a copy of the database as it was before the import (`empty_url`), from
    text it wrote itself, every index and constraint checked; then rolled back. With
    `foreign_keys` off, the server skips its per-row foreign-key checks
    (session_replication_role, superuser only): what storing the rows costs with no
    referential integrity at all, for comparison only."""
    import io

    import psycopg

    texts = {}
    with psycopg.connect(url) as connection:
        owner = connection.execute(
            "SELECT id FROM tenancy_institution WHERE code = 'IOM'"
        ).fetchone()[0]
        for table, where in FLOOR_TABLES.items():
            text = io.BytesIO()
            found = where.format(owner=owner)
            query = f"COPY (SELECT * FROM {table} WHERE {found} ORDER BY id) TO STDOUT"  # noqa: S608
            with connection.cursor().copy(query) as copy:
                for chunk in copy:
                    text.write(chunk)
            texts[table] = text.getvalue()
    with psycopg.connect(empty_url) as connection:
        pid = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
        with connection.transaction(force_rollback=True):
            connection.execute("SET CONSTRAINTS ALL IMMEDIATE")
            if not foreign_keys:
                connection.execute("SET LOCAL session_replication_role = replica")
            server = _process_cpu(pid)
            started = time.perf_counter()
            for table, text in texts.items():
                with connection.cursor().copy(f"COPY {table} FROM STDIN") as copy:
                    copy.write(text)
            elapsed = time.perf_counter() - started
            server = None if server is None else _process_cpu(pid) - server
    return elapsed, server


def _process_cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _repeated(workdir: Path, times: int) -> Path:
    """The file `times` over: rows get new numbers, so new source keys."""
    target = workdir / f"ctdc_x{times}.csv"
    lines = CTDC.read_text(encoding="utf-8").splitlines(keepends=True)
    with target.open("w", encoding="utf-8") as handle:
        handle.write(lines[0])
        for _ in range(times):
            handle.writelines(lines[1:])
    return target


def _postgres_server() -> str | None:
    try:
        import psycopg

        server = POSTGRES.rsplit("/", 1)[0]
        with psycopg.connect(server + "/postgres", autocommit=True):
            return server
    except Exception:  # noqa: BLE001 - no PostgreSQL here: that half is skipped and said so
        return None


def _postgres_create(server: str, name: str, template: str | None = None) -> str:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        from_template = f' TEMPLATE "{template}"' if template else ""
        connection.execute(f'CREATE DATABASE "{name}"{from_template}')
    return f"{server}/{name}"


def _postgres_drop(server: str, *names: str) -> None:
    import psycopg

    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _median_run(runs: list[dict]) -> dict:
    """The run with the median rate, and every run's rate beside it."""
    ordered = sorted(runs, key=lambda run: run["rows"] / run["seconds"])
    middle = dict(ordered[len(ordered) // 2])
    middle["all_rates"] = [round(run["rows"] / run["seconds"]) for run in runs]
    return middle


def _postgres_figures(workdir: Path, server: str) -> dict:
    base, run_name = f"{BENCH_DATABASE}_base", BENCH_DATABASE
    try:
        _prepare(_env(workdir, _postgres_create(server, base)))
        runs = []
        for _ in range(REPEATS):
            url = _postgres_create(server, run_name, template=base)
            runs.append(_import(_env(workdir, url), CTDC))
        pg = _median_run(runs)
        anchor = statistics.median(_postgres_anchor(url) for _ in range(REPEATS))
        empty = _postgres_create(server, f"{BENCH_DATABASE}_floor", template=base)
        floor, floor_server = _postgres_floor(url, empty)
        bare, bare_server = _postgres_floor(url, empty, foreign_keys=False)
    finally:
        _postgres_drop(server, base, f"{BENCH_DATABASE}_floor")
    target = 50000
    return {
        "rows_per_second": round(pg["rows"] / pg["seconds"]),
        "rows_per_second_each_run": pg["all_rates"],
        "target_rows_per_second": target,
        "anchor_copy_rows_per_second": round(pg["rows"] / anchor),
        "ratio_to_anchor": round(anchor / pg["seconds"], 3),
        "import_seconds": round(pg["seconds"], 2),
        "import_cpu_seconds": round(pg["cpu_seconds"], 2),
        "server_cpu_seconds": _rounded(pg["server_cpu_seconds"]),
        "floor_storing_rows_per_second": round(pg["rows"] / floor),
        "floor_server_cpu_seconds": _rounded(floor_server),
        "floor_without_foreign_key_checks_rows_per_second": round(pg["rows"] / bare),
        "floor_without_foreign_key_checks_server_cpu_seconds": _rounded(bare_server),
        # What the target leaves for the whole import, client and server together.
        "target_allows_seconds": round(pg["rows"] / target, 2),
    }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def run() -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="quipu-bench-import-"))
    load_before = os.getloadavg()
    try:
        figures = {"rows": None, "sqlite": {}, "postgresql": {}, "memory": {}}
        base = workdir / "base.sqlite3"
        _prepare(_env(workdir, f"sqlite:///{base}"))
        database = workdir / "quipu.sqlite3"
        sqlite_env = _env(workdir, f"sqlite:///{database}")
        runs = []
        for _ in range(REPEATS):
            shutil.copyfile(base, database)
            runs.append(_import(sqlite_env, CTDC))
        once = _median_run(runs)
        anchor = statistics.median(_sqlite_anchor(workdir) for _ in range(REPEATS))
        floor = _sqlite_floor(database)
        figures["rows"] = once["rows"]
        figures["sqlite"] = {
            "rows_per_second": round(once["rows"] / once["seconds"]),
            "rows_per_second_each_run": once["all_rates"],
            "target_rows_per_second": 20000,
            "anchor_dot_import_rows_per_second": round(once["rows"] / anchor),
            "ratio_to_anchor": round(anchor / once["seconds"], 3),
            "import_seconds": round(once["seconds"], 2),
            "import_cpu_seconds": round(once["cpu_seconds"], 2),
            "floor_storing_rows_per_second": round(once["rows"] / floor),
        }
        ten = _import(sqlite_env, _repeated(workdir, 10))
        figures["memory"] = {
            "peak_mb_file_once": round(once["peak_kb"] / 1024),
            "peak_mb_file_ten_times": round(ten["peak_kb"] / 1024),
            "ratio_ten_to_once": round(ten["peak_kb"] / once["peak_kb"], 2),
            "rows_per_second_ten_times": round(ten["rows"] / ten["seconds"]),
        }
        server = _postgres_server()
        if server:
            figures["postgresql"] = _postgres_figures(workdir, server)
        else:
            figures["postgresql"] = {"skipped": "PostgreSQL not reachable"}
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    figures["load_average_1min"] = {
        "before": round(load_before[0], 2),
        "after": round(os.getloadavg()[0], 2),
        "cpus": len(os.sched_getaffinity(0)),
    }
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
