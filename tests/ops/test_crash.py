"""Issue 13, Proof: kill -9 the worker and the web server in the middle of an import, an
export and a matching run, on both databases.

The site runs as `make run` runs it: `quipu worker` (the supervisor and its worker process)
and a web server (gunicorn). After each kill the supervisor starts the worker again; the new
worker fails the job it finds orphaned, with a translated reason, and removes what the job had
written. Nothing is half-written, the restarted worker runs the next job to its end, and
`quipu audit verify` is intact.
"""

import os
import signal
from pathlib import Path

import pytest

from tests.ops.sites import ctdc_prefix, postgres_site, sqlite_site, wait_for, worker_child

ROWS = 30_000
ACTOR = "from quipu.tenancy.models import User\nactor = User.objects.get(username={name!r})\n"
IMPORT = ACTOR.format(name="caseworker.co") + (
    "from quipu.intake.services import import_job_create\n"
    "with open({path!r}, 'rb') as upload:\n"
    "    job = import_job_create(actor=actor, owner=actor.membership.institution,"
    " upload=upload, file_name='ctdc.csv', foreign_confirmed=True)\n"
    "answer = [str(job.pk), actor.membership.institution_id]"
)
EXPORT = ACTOR.format(name="focal.co") + (
    "from quipu.intake.export_services import export_job_create\n"
    "answer = str(export_job_create(actor=actor, export_format='csv', filters={}).pk)"
)
LINK_RUN = (
    "from django.db import transaction\n"
    "from quipu.linkage.runs import link_run_queue\n"
    "with transaction.atomic():\n"
    "    run = link_run_queue()\n"
    "answer = run.pk"
)
REASON = (
    "from django.utils import translation\n"
    "from quipu.intake.models import ImportJob\n"
    "from quipu.intake.selectors import error_message\n"
    "job = ImportJob.objects.get(pk={job!r})\n"
    "with translation.override('es'):\n"
    "    answer = [job.failure_code, error_message(job.errors[0])['message']]"
)


class Deployment:
    """The site's worker (supervised) and web server, and the kill -9 of both."""

    def __init__(self, site):
        self.site = site
        self.supervisor = site.start("worker", name="worker")
        self.web = site.web_start()

    def kill_worker_and_web(self) -> None:
        child = wait_for(lambda: worker_child(self.supervisor), what="the worker process")
        os.kill(child, signal.SIGKILL)
        web = [p for p in self.site.processes if p.args[1].startswith("quipu.config.wsgi")][-1]
        os.killpg(web.pid, signal.SIGKILL)
        web.wait(timeout=30)
        self.web = self.site.web_start()
        # The supervisor starts a new worker, which fails what the dead one left running.
        wait_for(
            lambda: (new := worker_child(self.supervisor)) is not None and new != child,
            what="the supervisor to start the worker again",
        )

    def task_status(self, job: str) -> str:
        table = "django_tasks_database_dbtaskresult"
        where = f"CAST(args_kwargs AS TEXT) LIKE '%{job}%'"  # a uuid or an id of ours
        rows = self.site.sql(f"SELECT status, exception_class_path FROM {table} WHERE {where}")  # noqa: S608
        return ":".join(rows[0]) if rows else ""

    def idle(self) -> bool:
        table = "django_tasks_database_dbtaskresult"
        busy = f"SELECT count(*) FROM {table} WHERE status IN ('READY', 'RUNNING')"  # noqa: S608
        return self.site.sql(busy)[0][0] == 0


def _job_status(site, table: str, job: str) -> str:
    where = f"replace(CAST(id AS TEXT), '-', '') = '{job.replace('-', '')}'"  # SQLite: no dashes
    rows = site.sql(f"SELECT status FROM {table} WHERE {where}")  # noqa: S608
    return rows[0][0] if rows else ""


def _cases_of(site, owner: int) -> int:
    return site.sql(f"SELECT count(*) FROM cases_case WHERE owner_id = {owner}")[0][0]  # noqa: S608


def _import_is_writing(site) -> bool:
    """Some rows of the import are written and its end is not: the middle of it."""
    if site.database_url.startswith("sqlite"):
        query = "SELECT count(*) FROM cases_case WHERE source_hash LIKE 'pending:%'"
    else:  # its one open transaction has inserted cases
        query = (
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
            " WHERE c.relname = 'cases_case' AND l.mode = 'RowExclusiveLock'"
            " AND l.pid <> pg_backend_pid()"
        )
    return site.sql(query)[0][0] > 0


def _crash_drill(site, tmp_path: Path) -> None:
    site.build()
    ctdc = ctdc_prefix(tmp_path / "ctdc.csv", ROWS)
    deployment = Deployment(site)
    notices = "SELECT count(*) FROM linkage_matchnotice"
    exports = site.var / "exports"

    # An import, killed half way.
    job, owner = site.python(IMPORT.format(path=str(ctdc)))
    before = _cases_of(site, owner)
    wait_for(lambda: _import_is_writing(site), what="the import to write", every=0.2)
    deployment.kill_worker_and_web()
    wait_for(lambda: _job_status(site, "intake_importjob", job) == "failed", what="the import")
    assert _cases_of(site, owner) == before
    assert site.sql("SELECT count(*) FROM cases_case WHERE source_hash LIKE 'pending:%'") == [(0,)]
    assert deployment.task_status(job) == "FAILED:quipu.ops.recovery.WorkerStopped"
    code, reason = site.python(REASON.format(job=job))
    assert code == "worker_stopped" and reason.startswith("El proceso en segundo plano")
    assert not list((site.var / "imports").iterdir())  # the upload went with the job

    # The restarted worker imports the same file to its end.
    job, owner = site.python(IMPORT.format(path=str(ctdc)))
    wait_for(lambda: _job_status(site, "intake_importjob", job) == "done", what="the import")
    assert _cases_of(site, owner) == before + ROWS
    wait_for(deployment.idle, what="the worker to encode the imported people")

    # An export, killed while it writes its file.
    job = site.python(EXPORT)
    wait_for(lambda: list(exports.glob(f"{job}.*")), what="the export to write", every=0.1)
    deployment.kill_worker_and_web()
    wait_for(lambda: _job_status(site, "intake_exportjob", job) == "failed", what="the export")
    assert list(exports.glob(f"{job}.*")) == []
    assert deployment.task_status(job) == "FAILED:quipu.ops.recovery.WorkerStopped"

    # A matching run, killed while it runs.
    notices_before = site.sql(notices)
    run = site.python(LINK_RUN)
    running = f"SELECT count(*) FROM linkage_linkrun WHERE id = {run} AND status = 'running'"  # noqa: S608
    wait_for(lambda: site.sql(running) == [(1,)], what="the matching run", every=0.2)
    deployment.kill_worker_and_web()
    failed = f"SELECT status, error FROM linkage_linkrun WHERE id = {run}"  # noqa: S608
    wait_for(lambda: site.sql(failed) == [("failed", "WorkerStopped")], what="the run to fail")
    assert site.sql(notices) == notices_before

    report = site.quipu("audit", "verify", check=False)
    assert report.returncode == 0, report.stderr


def test_crash_on_sqlite_leaves_nothing_half_written_and_every_killed_job_failed(tmp_path):
    with sqlite_site(tmp_path) as site:
        _crash_drill(site, tmp_path)


@pytest.mark.postgres
def test_crash_on_postgresql_leaves_nothing_half_written_and_every_killed_job_failed(tmp_path):
    with postgres_site(tmp_path) as site:
        _crash_drill(site, tmp_path)
