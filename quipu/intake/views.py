import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from quipu.errors import InvalidTransition
from quipu.intake.forms import ConfirmForeignForm, ImportForm, UndoForm
from quipu.intake.models import ImportJob, JobStatus
from quipu.intake.progress import progress_get
from quipu.intake.selectors import import_errors_translated, import_jobs_visible_to, jobs_ahead
from quipu.intake.services import (
    import_job_cancel,
    import_job_confirm,
    import_job_create,
    institutions_importable_by,
)
from quipu.intake.shares import pooled_dataset_holders, shares_presented
from quipu.intake.undo import import_actable_by, import_undo, import_undo_refusal, undo_deadline
from quipu.tenancy.permissions import get_visible_or_404, require
from quipu.tenancy.roles import Capability


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    require(request.user, Capability.WRITE_CASES, request=request)
    institutions = institutions_importable_by(user=request.user)
    form = ImportForm(request.POST or None, request.FILES or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_job_create(
            actor=request.user,
            owner=form.cleaned_data["institution"],
            upload=upload,
            file_name=upload.name,
            requested_format=form.cleaned_data["format"],
        )
        return redirect("intake:import_detail", pk=job.pk)
    jobs = import_jobs_visible_to(user=request.user)[:20]
    context = {"form": form, "jobs": jobs, "pooled_holder": pooled_dataset_holders().first()}
    return render(request, "intake/import_start.html", context)


def _job(request, pk) -> ImportJob:
    return get_visible_or_404(
        request.user,
        ImportJob.objects.select_related("owner"),
        Capability.WRITE_CASES,
        request=request,
        pk=pk,
    )


@login_required
def import_detail(request, pk, confirm_form=None, undo_form=None):
    job = _job(request, pk)
    actable = import_actable_by(user=request.user, job=job)
    context = {
        "job": job,
        "progress": progress_get(job.pk),
        "errors": import_errors_translated(job)[:500],
        "ahead": jobs_ahead(job),
        "actable": actable,
    }
    if job.status == JobStatus.CONFIRM:
        context["shares"] = shares_presented(job.country_check, job.owner)
        context["confirm_form"] = confirm_form or ConfirmForeignForm(institution=job.owner)
    if job.status in (JobStatus.DONE, JobStatus.UNDONE):
        context["undo_refusal"] = import_undo_refusal(job)
        context["undo_deadline"] = undo_deadline(job)
        context["undo_form"] = undo_form or UndoForm(count=job.created_count)
    template = "intake/import_progress.html" if request.htmx else "intake/import_detail.html"
    invalid = confirm_form is not None or undo_form is not None
    return render(request, template, context, status=400 if invalid else 200)


@login_required
def import_confirm(request, pk):
    """The user confirms that a file mostly about other countries holds their cases."""
    job = _job(request, pk)  # first: a record out of reach is a 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if "cancel" in request.POST:
        import_job_cancel(actor=request.user, job=job, request=request)
        messages.success(request, _("The import was cancelled. Nothing was saved."))
        return redirect("intake:import_detail", pk=job.pk)
    form = ConfirmForeignForm(request.POST, institution=job.owner)
    if not form.is_valid():
        return import_detail(request, pk, confirm_form=form)
    import_job_confirm(actor=request.user, job=job, request=request)
    messages.success(request, _("Confirmed. The import runs again and is saved this time."))
    return redirect("intake:import_detail", pk=job.pk)


@login_required
def import_undo_view(request, pk):
    """Remove the cases an import added, as a whole (undo.py)."""
    job = _job(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = UndoForm(request.POST, count=job.created_count)
    if not form.is_valid():
        return import_detail(request, pk, undo_form=form)
    try:
        removed = import_undo(actor=request.user, job=job, request=request)
    except InvalidTransition as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(
            request,
            _("The import was undone: %(count)s cases were removed.") % {"count": removed},
        )
    return redirect("intake:import_detail", pk=job.pk)


@login_required
def import_report(request, pk):
    """The error report as CSV: row, column and the reason, in the reader's language."""
    job = _job(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-errors.csv"'
    writer = csv.writer(response)
    writer.writerow([_("Row"), _("Column"), _("Problem")])
    for entry in import_errors_translated(job):
        writer.writerow([entry["row"], entry["column"], entry["message"]])
    return response


@login_required
def template_csv(request):
    """The Quipu CSV template: the header and one example row (synthetic)."""
    from quipu.intake.formats.quipu_template import COLUMNS

    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="quipu-template.csv"'
    response.write("\ufeff")  # Excel opens UTF-8 correctly only with a BOM
    writer = csv.writer(response)
    writer.writerow([c.name for c in COLUMNS])
    writer.writerow([c.example for c in COLUMNS])
    return response


@login_required
def template_help(request):
    """Instructions for the template, generated from its column declarations and vocabularies."""
    from quipu.cases.vocabulary import choices
    from quipu.intake.formats.quipu_template import COLUMNS

    columns = [
        {"column": c, "codes": choices(c.vocabulary) if c.vocabulary else []} for c in COLUMNS
    ]
    return render(request, "intake/template_help.html", {"columns": columns})


@login_required
@require_http_methods(["POST"])
def export_start(request):
    """Export the case list as filtered on the page (the filters come with the form)."""
    from quipu.cases.forms import CaseFilterForm, filter_countries
    from quipu.intake.export_services import export_job_create
    from quipu.intake.exports import EXPORT_FORMATS

    export_format = request.POST.get("export_format", "csv")
    if export_format not in EXPORT_FORMATS:
        export_format = "csv"
    form = CaseFilterForm(request.POST, countries=filter_countries())
    filters = form.cleaned_data if form.is_valid() else {}
    job = export_job_create(
        actor=request.user, export_format=export_format, filters=filters, request=request
    )
    return redirect("intake:export_detail", pk=job.pk)


def _export(request, pk):
    from django.http import Http404

    from quipu.intake.export_services import export_jobs_of

    job = export_jobs_of(user=request.user).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def _export_context(job) -> dict:
    from django.utils import timezone

    from quipu.intake.export_files import export_expires_at

    expires_at = export_expires_at(job)
    return {
        "job": job,
        "progress": progress_get(job.pk),
        "ahead": jobs_ahead(job),
        "expires_at": expires_at,
        "expired": expires_at is not None and (expires_at <= timezone.now() or not job.stored_path),
    }


@login_required
def export_detail(request, pk):
    job = _export(request, pk)
    template = "intake/export_progress.html" if request.htmx else "intake/export_detail.html"
    return render(request, template, _export_context(job))


@login_required
def export_download(request, pk):
    """The file, re-checked against the requester's rights now; an expired one is gone (410)."""
    from django.http import FileResponse

    from quipu.intake.export_files import ExportExpired, export_file_for_download

    job = _export(request, pk)
    try:
        path = export_file_for_download(actor=request.user, job=job, request=request)
    except ExportExpired:
        context = {**_export_context(job), "expired": True}
        return render(request, "intake/export_detail.html", context, status=410)
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name)
