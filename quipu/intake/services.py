"""Starting imports on behalf of a user: permission, storage of the upload, the background job."""

import shutil
import uuid
from pathlib import Path

from django.conf import settings

from quipu.errors import NotAllowed
from quipu.intake.models import ImportJob
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
    *, actor, owner: Institution, upload, file_name: str, requested_format: str = "auto"
) -> ImportJob:
    """Store the upload outside the web root and queue its import for `owner`."""
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
    )
    from quipu.intake.tasks import import_job_task

    import_job_task.enqueue(str(job.pk))
    return job
