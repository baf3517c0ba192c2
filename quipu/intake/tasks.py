from django_tasks import task

from quipu.intake.imports import import_job_run
from quipu.intake.models import ImportJob


@task()
def import_job_task(job_id: str) -> str:
    job = ImportJob.objects.select_related("owner", "requested_by").get(pk=job_id)
    return import_job_run(job).status


@task()
def export_job_task(job_id: str) -> str:
    from quipu.intake.export_services import export_job_run
    from quipu.intake.models import ExportJob

    job = ExportJob.objects.select_related("requested_by").get(pk=job_id)
    return export_job_run(job).status
