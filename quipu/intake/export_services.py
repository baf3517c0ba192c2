"""Exports on behalf of a user: what they may see, personal fields only if they may read them."""

from django.db.models import QuerySet
from django.utils import timezone

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.selectors import cases_filtered
from quipu.intake.case_records import case_records
from quipu.intake.export_files import export_dir, export_manifest_write, records_noted
from quipu.intake.exports import export_write
from quipu.intake.generalise import records_generalised
from quipu.intake.models import ExportJob, JobStatus
from quipu.intake.progress import progress_set
from quipu.tenancy.permissions import personal_readable, require
from quipu.tenancy.roles import Capability


def export_job_create(*, actor, export_format: str, filters: dict, request=None) -> ExportJob:
    require(actor, Capability.READ_DEIDENTIFIED, request=request)
    job = ExportJob.objects.create(
        requested_by=actor,
        export_format=export_format,
        filters={k: v for k, v in filters.items() if v not in (None, "")},
        includes_personal=personal_readable(
            actor, cases_filtered(user=actor, filters=filters)
        ).exists(),
    )
    from quipu.intake.tasks import export_job_task

    export_job_task.enqueue(str(job.pk))
    return job


def export_jobs_of(*, user) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(requested_by=user)


def export_job_run(job: ExportJob) -> ExportJob:
    """Write the file with the requester's rights as they are now, and audit the export."""
    actor = job.requested_by
    cases = cases_filtered(user=actor, filters=job.filters)
    # Rule 7: personal fields per case, from the role that grants them on that case; a role
    # that reads the whole country de-identified adds no personal field to any row.
    personal_ids = (
        set(personal_readable(actor, cases).values_list("pk", flat=True))
        if job.includes_personal
        else set()
    )
    personal = bool(personal_ids)
    total = cases.count()
    target = export_dir() / f"{job.pk}.{job.export_format}"
    ExportJob.objects.filter(pk=job.pk).update(status=JobStatus.WRITING)
    progress_set(job.pk, phase=JobStatus.WRITING, done=0, total=total)

    def progress(done: int) -> None:
        progress_set(job.pk, phase=JobStatus.WRITING, done=done, total=total)

    # Cases written without personal fields also lose exact dates and places (finding 15).
    records = records_generalised(
        case_records(cases, personal_ids=personal_ids), personal_ids=personal_ids
    )
    written: list[int] = []  # the cases the file holds, for the download's re-check
    rows = export_write(records_noted(records, written), job.export_format, target, progress)
    export_manifest_write(job, case_ids=written, personal_ids=personal_ids.intersection(written))
    job.rows_total, job.stored_path, job.status = rows, str(target), JobStatus.DONE
    job.includes_personal = personal
    job.finished_at = timezone.now()
    job.save()
    progress_set(job.pk, phase=JobStatus.DONE, done=rows, total=rows)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="cases.case",
        object_id=str(job.pk),
        subject_country=actor.membership.institution.country_id or "" if actor else "",
        detail={
            "format": job.export_format,
            "rows": rows,
            "personal": personal,
            "filters": sorted(job.filters),
        },
    )
    return job
