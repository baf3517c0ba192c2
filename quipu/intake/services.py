"""Starting imports on behalf of a user: permission, storage of the upload, the background job."""

import datetime
import shutil
import uuid
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import InvalidTransition, NotAllowed
from quipu.intake.models import ImportJob, JobStatus
from quipu.intake.undo import import_actable_by
from quipu.tenancy.models import Institution
from quipu.tenancy.permissions import denial_record, scoped
from quipu.tenancy.roles import Capability

UPLOAD_DIR_NAME = "imports"


def upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / UPLOAD_DIR_NAME
    path.mkdir(parents=True, exist_ok=True)
    return path


def institutions_importable_by(*, user):
    return scoped(user, Institution.objects.all(), Capability.WRITE_CASES)


def import_job_create(
    *,
    actor,
    owner: Institution,
    upload,
    file_name: str,
    requested_format: str = "auto",
    foreign_confirmed: bool = False,
) -> ImportJob:
    """Store the upload outside the web root and queue its import for `owner`.

    `foreign_confirmed`: the user confirmed beforehand that the rows are `owner`'s cases even
    if they mostly concern other countries (the API's `confirm_foreign`)."""
    if not institutions_importable_by(user=actor).filter(pk=owner.pk).exists():
        denial_record(actor, capability=Capability.WRITE_CASES, obj=owner)
        raise NotAllowed()
    suffix = Path(file_name).suffix.lower()[:6]
    stored = upload_dir() / f"{uuid.uuid4()}{suffix}"
    with stored.open("wb") as target:
        if hasattr(upload, "chunks"):
            for chunk in upload.chunks():
                target.write(chunk)
        else:
            shutil.copyfileobj(upload, target)
    job = ImportJob.objects.create(
        owner=owner,
        requested_by=actor,
        file_name=Path(file_name).name[:200],
        stored_path=str(stored),
        requested_format=requested_format,
        foreign_confirmed=foreign_confirmed,
    )
    _enqueue(job)
    return job


def _enqueue(job: ImportJob) -> None:
    from quipu.intake.tasks import import_job_task

    import_job_task.enqueue(str(job.pk))


UNCONFIRMED_KEPT = datetime.timedelta(days=7)  # an upload waits this long for a confirmation


def _waiting_job(actor, job: ImportJob, request) -> ImportJob:
    """The job, locked, if `actor` may decide on it and it still waits for a decision."""
    if not import_actable_by(user=actor, job=job):
        denial_record(actor, capability=Capability.WRITE_CASES, obj=job, request=request)
        raise NotAllowed(
            _("Only the person who imported the file, or their focal point, may decide on it.")
        )
    job = ImportJob.objects.select_for_update().select_related("owner").get(pk=job.pk)
    if job.status != JobStatus.CONFIRM:
        raise InvalidTransition(_("This import no longer waits for a confirmation."))
    return job


def import_job_confirm(*, actor, job: ImportJob, request=None) -> ImportJob:
    """The user confirms that the rows are the institution's cases: the import runs again,
    checked as before, and is written this time."""
    with transaction.atomic():
        job = _waiting_job(actor, job, request)
        job.foreign_confirmed, job.status = True, JobStatus.QUEUED
        job.save(update_fields=["foreign_confirmed", "status"])
        check = job.country_check
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=job,
            purpose="import",
            detail={
                "import": str(job.pk),
                "confirmed": "rows_of_other_countries",
                "rows": check.get("rows", 0),
                "own": check.get("own", 0),
                "foreign": check.get("foreign", 0),
                "format": check.get("format", ""),
            },
            request=request,
        )
        _enqueue(job)  # the task row commits with the job's new state, or neither does
    return job


def import_job_cancel(*, actor, job: ImportJob, request=None) -> ImportJob:
    """The user does not confirm: the upload is deleted, nothing was saved."""
    with transaction.atomic():
        job = _waiting_job(actor, job, request)
        _cancel(job)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=job,
            purpose="import",
            detail={"import": str(job.pk), "cancelled": True},
            request=request,
        )
    return job


def _cancel(job: ImportJob) -> None:
    if job.stored_path:
        Path(job.stored_path).unlink(missing_ok=True)  # the upload holds personal data
    job.status, job.stored_path, job.finished_at = JobStatus.CANCELLED, "", timezone.now()
    job.save(update_fields=["status", "stored_path", "finished_at"])


def imports_unconfirmed_expire() -> int:
    """Daily: uploads left waiting for a confirmation for a week are deleted (cancelled)."""
    cutoff = timezone.now() - UNCONFIRMED_KEPT
    expired = 0
    for job in ImportJob.objects.filter(status=JobStatus.CONFIRM, created_at__lt=cutoff):
        _cancel(job)
        expired += 1
    return expired
