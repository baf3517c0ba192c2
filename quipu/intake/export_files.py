"""An export's file on disk, from the moment it is written until it expires.

- Owner-only: the folder is 0700, the file and its manifest 0600, whatever the process umask.
- A manifest beside the file lists the cases it holds and those written with personal fields,
  so each download is re-checked against the requester's rights at that moment (rule 7): a
  removed role, a move to another institution or lost personal access refuses it.
- A file expires `QUIPU_EXPORT_TTL` after it was written: downloads stop at once, and the daily
  job (`quipu daily`) deletes it.
"""

import json
from collections.abc import Iterable, Iterator
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.selectors import cases_personal_to, cases_visible_to
from quipu.errors import DomainError, NotAllowed
from quipu.intake.exports import owner_only_file
from quipu.intake.models import ExportJob
from quipu.intake.records import CaseRecord
from quipu.tenancy.permissions import can, denial_record
from quipu.tenancy.roles import Capability


class ExportExpired(DomainError):
    status = 410
    default_message = _("This export has expired and its file was deleted. Export the list again.")


def export_dir() -> Path:
    path = Path(settings.VAR_DIR) / "exports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.chmod(0o700)  # a folder made before owner-only modes were the rule
    return path


def records_noted(records: Iterable[CaseRecord], case_ids: list[int]) -> Iterator[CaseRecord]:
    """`records` unchanged, appending each one's case id to `case_ids` as it is written."""
    for record in records:
        case_ids.append(record.row)
        yield record


def _manifest_path(job: ExportJob) -> Path:
    return export_dir() / f"{job.pk}.cases.json"


def export_manifest_write(
    job: ExportJob, *, case_ids: Iterable[int], personal_ids: Iterable[int]
) -> None:
    """Record which cases the file holds, and which of them with personal fields (ids only)."""
    manifest = {"cases": sorted(case_ids), "personal": sorted(personal_ids)}
    owner_only_file(_manifest_path(job)).write_text(json.dumps(manifest), encoding="utf-8")


def export_expires_at(job: ExportJob) -> datetime | None:
    return job.finished_at + settings.QUIPU_EXPORT_TTL if job.finished_at else None


def export_file_for_download(*, actor, job: ExportJob, request=None) -> Path:
    """The file of `actor`'s own `job`, if `actor` may still read every row of it now.

    Raises ExportExpired once the file is past its time or gone, and NotAllowed (audited as a
    denial) when the requester's rights no longer cover what the file holds."""
    expires_at = export_expires_at(job)
    path, manifest_path = Path(job.stored_path or "."), _manifest_path(job)
    if expires_at is None or expires_at <= timezone.now():
        raise ExportExpired()
    if not path.is_file() or not manifest_path.is_file():
        raise ExportExpired()  # deleted, or written before files carried a manifest
    if not can(actor, Capability.READ_DEIDENTIFIED):
        _refuse(actor, job, Capability.READ_DEIDENTIFIED, request)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    visible = set(cases_visible_to(user=actor).values_list("pk", flat=True))
    personal = (
        set(cases_personal_to(user=actor).values_list("pk", flat=True))
        if manifest["personal"]
        else set()
    )
    if not set(manifest["cases"]) <= visible:
        _refuse(actor, job, Capability.READ_DEIDENTIFIED, request)
    if not set(manifest["personal"]) <= personal:
        _refuse(actor, job, Capability.READ_PERSONAL, request)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        obj=job,
        request=request,
        detail={"download": True, "rows": job.rows_total, "personal": bool(manifest["personal"])},
    )
    return path


def _refuse(actor, job: ExportJob, lost: Capability, request) -> None:
    denial_record(actor, capability=lost, obj=job, request=request)
    raise NotAllowed(
        _("Your access has changed since this export was written. Export the list again.")
    )


def exports_expire(*, now: datetime | None = None) -> int:
    """Delete export files past their time (and stray files in the folder as old, such as a
    half-written one); returns how many exports lost their file. Run daily."""
    cutoff = (now or timezone.now()) - settings.QUIPU_EXPORT_TTL
    expired = ExportJob.objects.filter(finished_at__lt=cutoff).exclude(stored_path="")
    count = 0
    for job in expired:
        Path(job.stored_path).unlink(missing_ok=True)
        _manifest_path(job).unlink(missing_ok=True)
        ExportJob.objects.filter(pk=job.pk).update(stored_path="")
        count += 1
    for stray in export_dir().iterdir():
        if stray.is_file() and stray.stat().st_mtime < cutoff.timestamp():
            stray.unlink(missing_ok=True)
    return count
