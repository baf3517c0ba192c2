"""What a worker does before its first task: jobs left running by a worker that died fail.

A worker killed in the middle of a job (kill -9, a crash, the machine going down) leaves its
task result and the job's own row saying "running" for ever, and an import written in steps
leaves its first steps. Each worker holds a lease (a locked file under var/run) while it runs;
a running task whose workers hold no lease was orphaned. This assumes the workers share the
machine's var/ folder, as `make run` and the operator's guide set them up.
"""

import logging
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from quipu.intake.models import ExportJob, ImportJob, JobStatus
from quipu.intake.staged import orphaned_import_undo, pending_imports_orphaned
from quipu.leases import lease_folder, lease_held, lease_hold
from quipu.linkage.models import LinkRun

logger = logging.getLogger(__name__)

# Stored in English and translated whenever it is shown (intake.selectors.error_message).
WORKER_STOPPED = gettext_noop(
    "The background worker stopped while this job ran (it was restarted). Nothing of the "
    "job was saved; start it again."
)
WORKER_STOPPED_CODE = "worker_stopped"


class WorkerStopped(Exception):
    """Recorded as the exception of a task whose worker died under it."""


@dataclass
class Recovered:
    tasks: list[str] = field(default_factory=list)
    imports: int = 0
    exports: int = 0
    link_runs: int = 0
    pending_imports_undone: int = 0

    def __bool__(self) -> bool:
        return bool(self.tasks or self.pending_imports_undone)


def worker_lease(worker_id: str):
    """Held while this worker runs; the operating system lets it go when the process dies."""
    return lease_hold(f"worker-{worker_id}")


def _worker_alive(worker_id: str) -> bool:
    return lease_held(f"worker-{worker_id}")


def jobs_orphaned_fail() -> Recovered:
    """Fail every task (and the import, export or matching run behind it) whose worker died,
    and undo the steps of imports whose process died."""
    recovered = Recovered()
    # First what the dead imports wrote, so that a job says "failed" only once it is undone.
    for pending in pending_imports_orphaned():
        recovered.pending_imports_undone += orphaned_import_undo(pending)
    for task_result in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        if any(_worker_alive(worker) for worker in task_result.worker_ids[-1:]):
            continue
        with transaction.atomic():
            _job_fail(task_result, recovered)
            task_result.status = TaskResultStatus.FAILED
            task_result.finished_at = timezone.now()
            task_result.exception_class_path = f"{__name__}.{WorkerStopped.__qualname__}"
            task_result.traceback = WORKER_STOPPED
            task_result.return_value = None
            task_result.save()
        recovered.tasks.append(str(task_result.pk))
    for lease in lease_folder().glob("worker-*.lock"):
        if not _worker_alive(lease.stem.removeprefix("worker-")):
            lease.unlink(missing_ok=True)  # a worker that died; its tasks were just failed
    if recovered:
        logger.warning(
            "worker: %s orphaned tasks failed (%s imports, %s exports, %s matching runs); "
            "%s cases of unfinished imports removed",
            len(recovered.tasks),
            recovered.imports,
            recovered.exports,
            recovered.link_runs,
            recovered.pending_imports_undone,
        )
    return recovered


def _job_fail(task_result: DBTaskResult, recovered: Recovered) -> None:
    """Mark the app's own row of the job this task ran as failed, with the reason."""
    args = task_result.args_kwargs.get("args") or []
    name = task_result.task_path.rsplit(".", 1)[-1]
    now = timezone.now()
    if name == "import_job_task" and args:
        job = ImportJob.objects.filter(pk=args[0]).first()
        if job is not None and not job.finished:
            with translation.override("en"):
                job.errors = [{"row": 0, "column": "", "msgid": WORKER_STOPPED}]
            job.status, job.failure_code = JobStatus.FAILED, WORKER_STOPPED_CODE
            job.error_count = 1
            job.created_count = job.updated_count = job.unchanged_count = 0
            job.finished_at = now
            job.save()
            if job.stored_path:
                Path(job.stored_path).unlink(missing_ok=True)  # the upload holds personal data
            recovered.imports += 1
    elif name == "export_job_task" and args:
        job = ExportJob.objects.filter(pk=args[0]).first()
        if job is not None and not job.finished:
            for partial in (Path(settings.VAR_DIR) / "exports").glob(f"{job.pk}.*"):
                partial.unlink(missing_ok=True)
            ExportJob.objects.filter(pk=job.pk).update(
                status=JobStatus.FAILED, stored_path="", finished_at=now
            )
            recovered.exports += 1
    elif name == "link_run_task" and args:
        recovered.link_runs += _link_runs_fail(LinkRun.objects.filter(pk=args[0]))
    elif name in {"encodings_owner_sync_task", "encodings_refresh_task"}:
        # These start an incremental run of their own; it began after the task did.
        started = task_result.started_at or now
        runs = LinkRun.objects.filter(kind=LinkRun.Kind.INCREMENTAL, created_at__gte=started)
        recovered.link_runs += _link_runs_fail(runs)


def _link_runs_fail(runs) -> int:
    return runs.filter(status__in=[LinkRun.Status.QUEUED, LinkRun.Status.RUNNING]).update(
        status=LinkRun.Status.FAILED, error=WorkerStopped.__name__, finished_at=timezone.now()
    )
