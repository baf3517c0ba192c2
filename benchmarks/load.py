"""Load on loopback (issue 13, Proof): 20 users browse and call the API for 60 s while one user
imports CTDC's whole file, on SQLite and on PostgreSQL.

Each database gets a deployment of its own, run as in production: a var/ folder, the demo
region (`quipu demo`), gunicorn on 127.0.0.1 and `quipu worker`. Users sign in through the
login page and then loop over pages, API reads and one kind of write (logging a helpline
report through the API); every loop is bounded in requests and in time. Afterwards the writes
the server answered 201 to are counted in the database: a write answered but not stored is a
lost write. An error is an answer of 500 or more, or no answer (timeout, refused connection).
Not a timed test: the figures describe this machine at the time of the run.
"""

import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

from benchmarks.common import ROOT, write_result

CTDC = ROOT.parent / "shared" / "reference" / "ctdc" / "ctdc_global_kanon_2021-07-15.csv"
POSTGRES_SERVER = os.environ.get("QUIPU_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
PASSWORD = "quipu-demo-2026"  # noqa: S105 - the demo users' published password
USERS = 20
SECONDS = 60.0
MAX_REQUESTS_PER_USER = 5_000
REQUEST_TIMEOUT = 60.0
COUNTRIES = ["AR", "BO", "BR", "CL", "CO"]
ROLES = ["caseworker", "focal", "prosecutor", "analyst"]  # 4 roles x 5 countries = 20 users
IMPORTER = "focal.pe"
PAGES = {
    "caseworker": ["/", "/cases/", "/api/v1/me/", "/api/v1/cases/", "/api/v1/persons/"],
    "focal": ["/", "/cases/", "/api/v1/cases/", "/api/v1/persons/", "/api/v1/audit/"],
    "prosecutor": ["/", "/cases/", "/api/v1/cases/", "/api/v1/identifiers/"],
    "analyst": ["/", "/cases/", "/api/v1/cases/", "/api/v1/me/"],
}
WRITE_EVERY = 5  # a caseworker's fifth request is a write


def _quipu() -> str:
    return str(Path(sys.executable).with_name("quipu"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    client_errors: int = 0
    writes_answered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, outcome: str) -> None:
        with self.lock:
            self.latencies.append(seconds)
            if outcome.startswith("5") or not outcome[0].isdigit():
                self.errors[outcome] = self.errors.get(outcome, 0) + 1
            elif outcome.startswith("4"):
                self.client_errors += 1


class Deployment:
    def __init__(self, var: Path, database_url: str):
        var.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.var, self.database_url = var, database_url
        self.env = {**os.environ, "QUIPU_VAR_DIR": str(var), "QUIPU_DATABASE_URL": database_url}
        for name in ("DJANGO_SETTINGS_MODULE", "QUIPU_SECRET_KEY", "QUIPU_CACHE_DIR"):
            self.env.pop(name, None)
        self.env.update(QUIPU_HTTPS="false", PYTHONUNBUFFERED="1")
        self.processes: list[subprocess.Popen] = []
        self.address = ""

    def quipu(self, *args: str) -> str:
        done = subprocess.run(
            [_quipu(), *args], env=self.env, capture_output=True, text=True, timeout=1800
        )
        if done.returncode != 0:
            raise RuntimeError(f"quipu {args[0]} failed: {done.stderr[-2000:]}")
        return done.stdout

    def start(self) -> None:
        port = _free_port()
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        log = (self.var / "web.log").open("a")
        # Two cores: three processes of four threads each keep both busy while some wait.
        web = [gunicorn, "quipu.config.wsgi:application", "-b", f"127.0.0.1:{port}"]
        web += ["-w", "3", "-k", "gthread", "--threads", "4", "--timeout", "120"]
        self.processes.append(
            subprocess.Popen(web, env=self.env, stdout=log, stderr=log, start_new_session=True)
        )
        log = (self.var / "worker.log").open("a")
        self.processes.append(
            subprocess.Popen(
                [_quipu(), "worker"], env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        )
        self.address = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.address}/accounts/login/", timeout=5):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("the web server did not answer")

    def worker_idle(self, seconds: float = 420) -> None:
        code = (
            "from django_tasks_db.models import DBTaskResult\n"
            "print(DBTaskResult.objects.filter(status__in=['READY', 'RUNNING']).count())"
        )
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.quipu("shell", "-c", code).strip().endswith("0"):
                return
            time.sleep(2)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def _signed_in(address: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{address}/accounts/login/", timeout=REQUEST_TIMEOUT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    answer = session.post(
        f"{address}/accounts/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
        headers={"Referer": f"{address}/accounts/login/"},
        timeout=REQUEST_TIMEOUT,
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise RuntimeError(f"{username} could not sign in ({answer.status_code})")
    return session


def _report(country: str, number: int) -> dict:
    return {
        "account": f"Load test report {number}: a caller describes a suspicious job offer.",
        "situation": "forced_labour",
        "urgency": "3_normal",
        "channel": "phone",
        "place_country": country,
    }


def _user_loop(address: str, username: str, until: float, tally: Tally, seed: int) -> None:
    role, country = username.split(".")[0], username.split(".")[1].upper()
    chooser = random.Random(seed)  # noqa: S311 - a mix of pages, not a secret
    try:
        session = _signed_in(address, username)
    except (requests.RequestException, RuntimeError) as error:
        tally.add(0.0, f"sign-in: {type(error).__name__}")
        return
    for number in range(MAX_REQUESTS_PER_USER):
        if time.monotonic() >= until:
            return
        started = time.perf_counter()
        try:
            if role == "caseworker" and number % WRITE_EVERY == WRITE_EVERY - 1:
                answer = session.post(
                    f"{address}/api/v1/helpline/reports/",
                    json=_report(country, number),
                    headers={
                        "X-CSRFToken": session.cookies.get("csrftoken", ""),
                        "Referer": f"{address}/",
                    },
                    timeout=REQUEST_TIMEOUT,
                )
                if answer.status_code == 201:
                    with tally.lock:
                        tally.writes_answered += 1
            else:
                url = f"{address}{chooser.choice(PAGES[role])}"
                answer = session.get(url, timeout=REQUEST_TIMEOUT)
            outcome = str(answer.status_code)
        except requests.RequestException as error:
            outcome = type(error).__name__
        tally.add(time.perf_counter() - started, outcome)


def _import_while_loaded(address: str, until: float) -> dict:
    """The importing user's upload of CTDC's file through the API, followed to its end."""
    session = _signed_in(address, IMPORTER)
    headers = {"X-CSRFToken": session.cookies.get("csrftoken", ""), "Referer": f"{address}/"}
    code = session.get(f"{address}/api/v1/me/", timeout=REQUEST_TIMEOUT).json()["institution"]
    started = time.monotonic()
    with CTDC.open("rb") as upload:
        answer = session.post(
            f"{address}/api/v1/imports/",
            files={"file": ("ctdc.csv", upload, "text/csv")},
            # CTDC's pooled file into a national institution: confirmed, as the guard asks.
            data={"institution": code, "format": "ctdc", "confirm_foreign": "true"},
            headers=headers,
            timeout=600,
        )
    if answer.status_code not in (201, 202):  # 202: accepted, queued for the worker
        return {"status": f"refused {answer.status_code}", "detail": answer.text[:300]}
    job = answer.json()
    deadline = started + 1800
    while time.monotonic() < deadline:
        job = session.get(f"{address}/api/v1/imports/{job['id']}/", timeout=REQUEST_TIMEOUT).json()
        if job["status"] in {"done", "rejected", "failed"}:
            break
        time.sleep(1)
    return {
        "status": job["status"],
        "rows": job.get("rows_total"),
        "created": job.get("created_count"),
        "seconds": round(time.monotonic() - started, 1),
        "finished_within_the_load_window": time.monotonic() <= until,
    }


def _writes_stored(deployment: Deployment, marker: str) -> int:
    code = (
        "from quipu.cooperation.helpline.models import HelplineReport\n"
        f"print(HelplineReport.objects.filter(account__startswith={marker!r}).count())"
    )
    return int(deployment.quipu("shell", "-c", code).strip().splitlines()[-1])


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _one_database(name: str, database_url: str, workdir: Path) -> dict:
    deployment = Deployment(workdir / name, database_url)
    deployment.quipu("migrate", "-v", "0")
    deployment.quipu("demo")
    try:
        deployment.start()
        deployment.worker_idle()  # the demo's own matching run and e-mails
        tally = Tally()
        users = [f"{role}.{country.lower()}" for country in COUNTRIES for role in ROLES]
        started = time.monotonic()
        until = started + SECONDS
        importing: dict = {}
        importer = threading.Thread(
            target=lambda: importing.update(_import_while_loaded(deployment.address, until))
        )
        importer.start()
        threads = [
            threading.Thread(
                target=_user_loop, args=(deployment.address, user, until, tally, index)
            )
            for index, user in enumerate(users[:USERS])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        importer.join()
        try:
            stored = _writes_stored(deployment, "Load test report ")
        except RuntimeError as error:
            print(error, flush=True)  # noqa: T201
            stored = -1
    finally:
        deployment.stop()
    requests_made = len(tally.latencies)
    result = {
        "users": USERS,
        "seconds": round(elapsed, 1),
        "requests": requests_made,
        "requests_per_second": round(requests_made / elapsed, 1),
        "latency_ms": {
            "p50": round(_percentile(tally.latencies, 0.50) * 1000),
            "p95": round(_percentile(tally.latencies, 0.95) * 1000),
            "p99": round(_percentile(tally.latencies, 0.99) * 1000),
            "max": round(max(tally.latencies, default=0) * 1000),
        },
        "errors": sum(tally.errors.values()),
        "errors_by_kind": tally.errors,
        "client_errors_4xx": tally.client_errors,
        "writes_answered_201": tally.writes_answered,
        "writes_stored": stored,
        "lost_writes": tally.writes_answered - stored,
        "import": importing,
    }
    print(name, json.dumps(result), flush=True)  # noqa: T201 - progress of a long benchmark
    return result


def _postgres_database() -> tuple[str, str]:
    import psycopg

    name = f"quipu_load_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return name, f"{POSTGRES_SERVER}/{name}"


def _postgres_drop(name: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(databases: tuple[str, ...] = ("sqlite", "postgresql")) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix="quipu-load-"))
    results = {}
    try:
        for database in databases:
            if database == "sqlite":
                url = f"sqlite:///{workdir / 'sqlite' / 'quipu.sqlite3'}"
                results[database] = _one_database("sqlite", url, workdir)
            else:
                name, url = _postgres_database()
                try:
                    results[database] = _one_database("postgresql", url, workdir)
                finally:
                    _postgres_drop(name)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    summary = "; ".join(
        f"{db}: {r['requests_per_second']} req/s, p95 {r['latency_ms']['p95']} ms, "
        f"p99 {r['latency_ms']['p99']} ms, {r['errors']} errors, {r['lost_writes']} lost writes, "
        f"import {r['import'].get('status')} in {r['import'].get('seconds')} s"
        for db, r in results.items()
    )
    return write_result(
        "load",
        {
            "anchor": "issue 13, Proof: 20 users for 60 s on loopback while one user imports "
            "CTDC's whole file; goal 0 errors and 0 lost writes",
            "method": "gunicorn (3 processes x 4 threads) and quipu worker on 127.0.0.1; "
            "users sign in through the login page, then loop over pages and API reads, "
            "caseworkers logging a helpline report every fifth request; an error is a 5xx "
            "or no answer; writes answered 201 are counted in the database afterwards",
            **results,
            "summary": summary,
        },
    )


if __name__ == "__main__":
    run(tuple(sys.argv[1:]) or ("sqlite", "postgresql"))
