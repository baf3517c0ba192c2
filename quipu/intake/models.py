import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from quipu.tenancy.models import Institution
from quipu.tenancy.permissions import owned_by


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    VALIDATING = "validating", _("Checking rows")
    WRITING = "writing", _("Saving")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected: errors found, nothing saved")
    FAILED = "failed", _("Failed")
    # An import's own states (an export never reaches them).
    CONFIRM = "confirm", _("Waiting for your confirmation: nothing saved yet")
    CANCELLED = "cancelled", _("Cancelled: nothing saved")
    UNDONE = "undone", _("Undone: its new cases were removed")


@owned_by(country="owner__country", institution="owner")
class ImportJob(models.Model):
    """One file import. The file lives outside the web root and is deleted once read."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField(_("file"), max_length=200)
    stored_path = models.CharField(max_length=500, blank=True)
    requested_format = models.CharField(_("format"), max_length=20, default="auto")
    detected_format = models.CharField(_("detected format"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("new cases"), default=0)
    updated_count = models.PositiveIntegerField(_("updated cases"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged cases"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # [{"row", "column", "msgid", "params"}]: translated when shown, never holding cell values.
    errors = models.JSONField(default=list, blank=True)
    failure_code = models.CharField(max_length=40, blank=True)
    # Countries the file's rows concern, counted before anything is written (shares.py):
    # codes and counts only. A file mostly about other countries waits for a confirmation.
    country_check = models.JSONField(default=dict, blank=True)
    foreign_confirmed = models.BooleanField(
        _("confirmed as the institution's cases"), default=False
    )
    # Ids of the cases the import created, as [first, last] ranges: what an undo removes.
    created_case_ranges = models.JSONField(default=list, blank=True)
    undone_at = models.DateTimeField(_("undone"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def audit_subject(self) -> tuple[str, str]:
        return self.owner.country_id or "", self.owner.code

    @property
    def finished(self) -> bool:
        """Whether the worker is done with it (a job waiting for a confirmation is too)."""
        return self.status in {
            JobStatus.DONE,
            JobStatus.REJECTED,
            JobStatus.FAILED,
            JobStatus.CONFIRM,
            JobStatus.CANCELLED,
            JobStatus.UNDONE,
        }


@owned_by(
    country="requested_by__membership__institution__country",
    institution="requested_by__membership__institution",
)
class ExportJob(models.Model):
    """A case list written to a file in the background. Only its requester may download it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    export_format = models.CharField(_("format"), max_length=10)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    includes_personal = models.BooleanField(_("includes personal data"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    stored_path = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}

    @property
    def file_name(self) -> str:
        extension = {"hxl": "csv", "ctdc": "csv"}.get(self.export_format, self.export_format)
        suffix = "-hxl" if self.export_format == "hxl" else ""
        return f"quipu-cases-{self.created_at:%Y%m%d-%H%M}{suffix}.{extension}"
