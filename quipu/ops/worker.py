"""The background worker: django-tasks-db's, made to outlive what goes wrong around a task.

A task's own exception already fails only that task. What killed the worker was the database
outside a task: "database is locked" while it claimed the next task or recorded an outcome,
or a PostgreSQL connection that went away. Those are now logged (the error's class only) and
retried; the outcome of a task is recorded however long the database stays locked.
"""

import logging
import time

from django.db import DatabaseError, close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks_db.compat import (
    DEFAULT_TASK_BACKEND_ALIAS,
    DEFAULT_TASK_QUEUE_NAME,
    TaskContext,
    task_finished,
    task_started,
)
from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from quipu.ops.recovery import jobs_orphaned_fail, worker_lease

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
OUTCOME_ATTEMPTS = 300  # each attempt also waits SQLite's busy timeout


class ResilientWorker(Worker):
    def run(self) -> None:
        with worker_lease(self.worker_id):
            self._database_patiently(jobs_orphaned_fail)
            while self.running:
                try:
                    super().run()
                    return  # --batch or --max-tasks reached, or asked to stop
                except DatabaseError as error:
                    logger.warning("worker: %s between tasks; trying again", type(error).__name__)
                    connections.close_all()
                    time.sleep(max(self.interval, RETRY_SECONDS))

    def run_task(self, db_task_result) -> None:
        """Run the task and record its outcome; only the task fails when the task does."""
        task = None
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            task_started.send(sender=type(task.get_backend()), task_result=task_result)
            if task.takes_context:
                value = task.call(
                    TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs
                )
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
        except BaseException as error:  # noqa: BLE001 - the task's failure, recorded below
            if isinstance(error, KeyboardInterrupt | SystemExit):
                raise
            close_old_connections()
            self._database_patiently(db_task_result.set_failed, error)
        else:
            self._database_patiently(db_task_result.set_successful, value)
        finally:
            self.running_task = False
            self._run_tasks += 1
        try:
            if task is not None:
                backend = type(task.get_backend())
                task_finished.send(sender=backend, task_result=db_task_result.task_result)
        except Exception:  # noqa: BLE001 - a listener's error must not stop the worker
            logger.exception("worker: a task_finished listener failed")

    def _database_patiently(self, call, *args):
        """`call` until the database lets it through: locked or away is not a reason to die."""
        for attempt in range(OUTCOME_ATTEMPTS):
            try:
                return call(*args)
            except DatabaseError as error:
                if attempt == OUTCOME_ATTEMPTS - 1:
                    raise
                logger.warning("worker: %s; trying again", type(error).__name__)
                connections.close_all()
                time.sleep(RETRY_SECONDS)
        return None


def worker_run(*, interval: float, verbosity: int) -> None:
    """One worker on the default queue, in this process, until it is asked to stop."""
    DatabaseWorkerCommand().configure_logging(verbosity)
    worker = ResilientWorker(
        queue_names=[DEFAULT_TASK_QUEUE_NAME],
        interval=interval,
        batch=False,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id=get_random_string(32),
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()
