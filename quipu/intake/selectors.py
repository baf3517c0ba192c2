from django.db.models import QuerySet
from django.utils.translation import gettext
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from quipu.intake.models import ImportJob, JobStatus
from quipu.tenancy.permissions import scoped
from quipu.tenancy.roles import Capability


def import_jobs_visible_to(*, user) -> QuerySet[ImportJob]:
    return scoped(user, ImportJob.objects.select_related("owner"), Capability.WRITE_CASES)


def import_errors_translated(job: ImportJob) -> list[dict]:
    """The stored errors in the reader's language (the msgid is the English source text)."""
    return [error_message(entry) for entry in job.errors]


def error_message(entry: dict) -> dict:
    msgid = entry["msgid"]  # a variable, so extractors do not take "msgid" for a message
    message = gettext(msgid)
    if entry.get("params"):
        message = message % entry["params"]
    return {**entry, "message": message}


def jobs_ahead(job) -> int:
    """Background jobs the worker will finish before it starts this queued import or export:
    those running, and those waiting that were queued before it (the queue is first in,
    first out). Zero once the job has started."""
    if job.status != JobStatus.QUEUED:
        return 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    waiting = DBTaskResult.objects.ready().filter(enqueued_at__lt=job.created_at).count()
    return running + waiting
