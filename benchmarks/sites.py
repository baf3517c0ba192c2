"""Deployments the speed benchmarks (pages.py, api_load.py) measure: one per database and size.

A site is a var/ folder and a database built with `quipu migrate` and `quipu demo --cases N`,
kept under var/bench/ so that a large region (300k cases takes long to build on two cores) is
built once and reused; a file `built` marks it complete. `QUIPU_BENCH_SITES` points at sites
built elsewhere: `postgresql-20000=postgresql://host/db|/path/to/var,sqlite-300000=...`.
The web server is gunicorn (a core dependency) with 4 workers, as in production; the worker
is not started, so the figures are for a quiet server.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from benchmarks.common import ROOT

POSTGRES_SERVER = os.environ.get("QUIPU_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
WORKDIR = Path(os.environ.get("QUIPU_BENCH_DIR", ROOT / "var" / "bench"))
WEB_WORKERS = 4


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def sizes_wanted(default: str = "20000,300000") -> list[int]:
    return [int(n) for n in os.environ.get("QUIPU_BENCH_CASES", default).split(",") if n]


def databases_wanted() -> list[str]:
    return os.environ.get("QUIPU_BENCH_DATABASES", "sqlite,postgresql").split(",")


def _prebuilt() -> dict[str, tuple[str, Path]]:
    found = {}
    for item in filter(None, os.environ.get("QUIPU_BENCH_SITES", "").split(",")):
        name, _, target = item.partition("=")
        url, _, var = target.partition("|")
        found[name.strip()] = (url, Path(var))
    return found


class Site:
    """One deployment: its var/ folder, database URL and, once started, its web server."""

    def __init__(self, database: str, cases: int):
        self.name = f"{database}-{cases}"
        self.database, self.cases = database, cases
        prebuilt = _prebuilt().get(self.name)
        if prebuilt:
            self.url, self.var = prebuilt
        else:
            self.var = WORKDIR / self.name
            if database == "sqlite":
                self.url = f"sqlite:///{self.var / 'db.sqlite3'}"
            else:
                self.url = f"{POSTGRES_SERVER}/quipu_bench_{cases}"
        self.env = {**os.environ, "QUIPU_VAR_DIR": str(self.var), "QUIPU_DATABASE_URL": self.url}
        for name in ("DJANGO_SETTINGS_MODULE", "QUIPU_SECRET_KEY", "QUIPU_CACHE_DIR"):
            self.env.pop(name, None)
        self.env.update(QUIPU_HTTPS="false", PYTHONUNBUFFERED="1")
        self.server: subprocess.Popen | None = None
        self.address = ""
        self.build_seconds: float | None = None
        self.prebuilt = prebuilt is not None

    def quipu(self, *args: str, show: bool = False) -> str:
        done = subprocess.run(
            [_bin("quipu"), *args],
            env=self.env,
            stdout=None if show else subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            timeout=6 * 3600,
        )
        if done.returncode != 0:
            raise RuntimeError(f"quipu {args[0]} failed: {done.stderr[-2000:]}")
        return done.stdout or ""

    def build(self) -> None:
        """Migrate and build the demo region of `cases` cases, unless built before."""
        if self.prebuilt or (self.var / "built").exists():
            return
        self.var.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.database == "postgresql":
            database = self.url.rsplit("/", 1)[1]
            server = f"{POSTGRES_SERVER}/postgres"
            for statement in (f"DROP DATABASE IF EXISTS {database}", f"CREATE DATABASE {database}"):
                subprocess.run(["psql", server, "-qc", statement], check=True)
        started = time.monotonic()
        print(f"{self.name}: building the demo region ({self.cases} cases)", flush=True)
        self.quipu("migrate", "--noinput", "-v", "0")
        self.quipu("demo", "--cases", str(self.cases), show=True)
        self.build_seconds = round(time.monotonic() - started, 1)
        (self.var / "built").write_text(f"{self.build_seconds}\n")

    def start(self) -> None:
        port = _free_port()
        log = (self.var / "web.log").open("a")
        web = [_bin("gunicorn"), "quipu.config.wsgi:application", "-b", f"127.0.0.1:{port}"]
        web += ["-w", str(WEB_WORKERS), "--timeout", "300"]
        self.server = subprocess.Popen(
            web, env=self.env, stdout=log, stderr=log, start_new_session=True
        )
        self.address = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.address}/accounts/login/", timeout=10):  # noqa: S310
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"{self.name}: the web server did not answer")
        self._warm()

    def _warm(self) -> None:
        """One worker answering does not mean all four have booted: a few rounds of as many
        concurrent requests as there are workers, so that none is still starting (or opening
        its database connection) when the measurement begins."""

        def fetch(_n: int) -> None:
            with urllib.request.urlopen(f"{self.address}/accounts/login/", timeout=120):  # noqa: S310
                pass

        with ThreadPoolExecutor(2 * WEB_WORKERS) as pool:
            for _round in range(3):
                list(pool.map(fetch, range(4 * WEB_WORKERS)))

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            os.killpg(self.server.pid, signal.SIGTERM)
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.server.pid, signal.SIGKILL)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def load_average() -> list[float]:
    return [round(value, 2) for value in os.getloadavg()]
