"""Issue 13, finding 7: the background worker died, and nothing started it again.

A failing task, or the database locked longer than the busy timeout while the worker claims a
task or records an outcome, must not end the worker process; and `quipu worker` starts its
worker process again when it dies all the same (kill -9).
"""

import os
import signal
import sqlite3
import time
from contextlib import closing

from tests.ops.sites import sqlite_site, wait_for, worker_child

ENQUEUE = "from tests.ops.worker_tasks import {task}\nanswer = str({task}.enqueue({args}).id)"
RESULTS = "SELECT status FROM django_tasks_database_dbtaskresult WHERE id IN ('{id}', '{hex}')"
LOCKED_SECONDS = 15  # longer than the 10 s busy timeout of every connection


def _status(site, task_id: str) -> str:
    rows = site.sql(RESULTS.format(id=task_id, hex=task_id.replace("-", "")))
    return rows[0][0] if rows else ""


def test_worker_outlives_a_failing_task_and_a_database_locked_longer_than_its_timeout(tmp_path):
    with sqlite_site(tmp_path) as site:
        site.build()
        worker = site.start("worker", "--no-supervise", "--interval", "0.2", name="worker")
        failing = site.python(ENQUEUE.format(task="task_that_fails", args=""))
        wait_for(lambda: _status(site, failing) == "FAILED", what="the failing task")

        # Another program holds SQLite's write lock for longer than the busy timeout.
        path = site.database_url.removeprefix("sqlite:///")
        with closing(sqlite3.connect(path, timeout=30, isolation_level=None)) as holder:
            holder.execute("BEGIN EXCLUSIVE")
            time.sleep(LOCKED_SECONDS)
            assert worker.poll() is None
            holder.execute("COMMIT")

        adding = site.python(ENQUEUE.format(task="task_that_adds", args="2, 3"))
        wait_for(lambda: _status(site, adding) == "SUCCESSFUL", what="the next task")
        assert worker.poll() is None


def test_quipu_worker_starts_its_worker_again_after_kill_9(tmp_path):
    with sqlite_site(tmp_path) as site:
        site.build()
        supervisor = site.start("worker", "--interval", "0.2", name="worker")
        first = wait_for(lambda: worker_child(supervisor), what="the worker process")
        os.kill(first, signal.SIGKILL)
        second = wait_for(
            lambda: (child := worker_child(supervisor)) != first and child,
            what="a new worker process",
        )
        assert second != first and supervisor.poll() is None
        adding = site.python(ENQUEUE.format(task="task_that_adds", args="2, 3"))
        wait_for(lambda: _status(site, adding) == "SUCCESSFUL", what="a task after the restart")
