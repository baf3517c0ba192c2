"""A Quipu deployment of its own for the crash and writer tests: a var/ folder, a database,
and its processes (the worker, the web server, imports), driven through the quipu command."""

import csv
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import closing, contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from tests.conftest import in_ci

REPO = Path(__file__).resolve().parents[2]
CTDC = REPO.parent / "shared" / "reference" / "ctdc" / "ctdc_global_kanon_2021-07-15.csv"
POSTGRES_SERVER = os.environ.get(
    "QUIPU_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/quipu_test"
).rsplit("/", 1)[0]
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
    "QUIPU_CACHE_DIR",
]
WAIT_SECONDS = 600


def _quipu() -> str:
    return str(Path(sys.executable).with_name("quipu"))


class Site:
    def __init__(self, var: Path, database_url: str):
        var.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.var, self.database_url = var, database_url
        self.env = {**os.environ, "QUIPU_VAR_DIR": str(var), "QUIPU_DATABASE_URL": database_url}
        for name in ISOLATED_SETTINGS:
            self.env.pop(name, None)
        self.env.update(PYTHONPATH=str(REPO), QUIPU_HTTPS="false", PYTHONUNBUFFERED="1")
        self.processes: list[subprocess.Popen] = []

    def quipu(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [_quipu(), *args], env=self.env, capture_output=True, text=True, timeout=WAIT_SECONDS
        )
        if check:
            assert result.returncode == 0, result.stderr[-3000:]
        return result

    def python(self, code: str):
        """Run `code` in the site (quipu shell); it sets `answer`, returned from JSON."""
        wrapped = f"import json\nanswer = None\n{code}\nprint('ANSWER' + json.dumps(answer))"
        output = self.quipu("shell", "-c", wrapped).stdout
        return json.loads(output.rsplit("ANSWER", 1)[1])

    def start(self, *args: str, name: str, program: str | None = None) -> subprocess.Popen:
        """Start `quipu args` (or `program args`) in a process group of its own."""
        log = (self.var / f"{name}.log").open("a")
        command = [program or _quipu(), *args]
        process = subprocess.Popen(
            command, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        self.processes.append(process)
        return process

    def web_start(self) -> str:
        """gunicorn on a free loopback port, as in production; returns its address."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        self.start(
            "quipu.config.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            name="web",
            program=gunicorn,
        )
        address = f"http://127.0.0.1:{port}"
        wait_for(lambda: _answers(f"{address}/accounts/login/"), what="the web server")
        return address

    def sql(self, query: str) -> list[tuple]:
        """A read straight from the database, as an operator's client would do it."""
        if self.database_url.startswith("sqlite"):
            path = self.database_url.removeprefix("sqlite:///")
            with closing(sqlite3.connect(path, timeout=30)) as connection:
                return connection.execute(query).fetchall()
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            return connection.execute(query).fetchall()

    def build(self) -> None:
        self.quipu("migrate", "-v", "0")
        code = (
            "from io import StringIO\n"
            "from quipu.tenancy.demo import demo_build\n"
            "from tests.conftest import sample_cases_build\n"
            "demo_build(stdout=StringIO())\n"
            "sample_cases_build()"
        )
        self.python(code)

    def logs_print(self) -> None:
        """The end of each process's log, shown by pytest when a test fails."""
        for log in sorted(self.var.glob("*.log")):
            print(f"== {log.name} ==", *log.read_text().splitlines()[-40:], sep="\n")  # noqa: T201

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def ctdc_prefix(path: Path, rows: int) -> Path:
    """CTDC's file cut to its first `rows` rows."""
    if not CTDC.exists():
        pytest.skip("CTDC's reference file lives in ../shared")
    with CTDC.open(newline="", encoding="utf-8") as source, path.open("w", newline="") as target:
        reader = csv.reader(source)
        writer = csv.writer(target)
        for _ in range(rows + 1):
            writer.writerow(next(reader))
    return path


def wait_for(condition, *, what: str, seconds: float = WAIT_SECONDS, every: float = 0.5):
    """Poll `condition` until it returns something true; bounded in time."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"gave up waiting for {what}")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as page:  # noqa: S310 - loopback
            return page.status == 200
    except OSError:
        return False


def worker_child(supervisor: subprocess.Popen) -> int | None:
    """The worker process the supervisor runs now, if any."""
    path = Path(f"/proc/{supervisor.pid}/task/{supervisor.pid}/children")
    children = path.read_text().split() if path.exists() else []
    return int(children[0]) if children else None


@contextmanager
def sqlite_site(tmp_path: Path):
    site = Site(tmp_path / "var", f"sqlite:///{tmp_path / 'var' / 'quipu.sqlite3'}")
    try:
        yield site
    except BaseException:
        site.logs_print()
        raise
    finally:
        site.stop_all()


@contextmanager
def postgres_site(tmp_path: Path):
    try:
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", connect_timeout=3):
            pass
    except psycopg.Error:
        reason = f"PostgreSQL is not reachable at {POSTGRES_SERVER}"
        if in_ci():
            pytest.fail(reason)
        pytest.skip(reason)
    name = f"quipu_ops_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    site = Site(tmp_path / "var", f"{POSTGRES_SERVER}/{name}")
    try:
        yield site
    except BaseException:
        site.logs_print()
        raise
    finally:
        site.stop_all()
        with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
