"""Imports over the API: upload a file, then poll the job. Same services as the upload page."""

from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.reverse import reverse

from quipu.api.parsers import MultiPartParser
from quipu.api.permissions import requires
from quipu.intake.formats.registry import FORMAT_NAMES
from quipu.intake.forms import MAX_UPLOAD_MB
from quipu.intake.models import ImportJob, JobStatus
from quipu.intake.selectors import import_errors_translated
from quipu.intake.services import import_job_create, institutions_importable_by
from quipu.intake.shares import shares_presented
from quipu.tenancy.permissions import get_visible_or_404
from quipu.tenancy.roles import Capability


class ImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField()
    institution = serializers.SlugRelatedField(slug_field="code", queryset=ImportJob.objects.none())
    format = serializers.ChoiceField(choices=FORMAT_NAMES, default="auto")
    confirm_foreign = serializers.BooleanField(
        default=False,
        help_text=_(
            "Confirms that the rows are the institution's cases even if most of them concern "
            "other countries, or the file is a pooled CTDC dataset. Without it such a file "
            "stops with status 'confirm' and nothing is saved."
        ),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions_importable_by(user=user)

    def validate_file(self, upload):
        if not upload.name.lower().endswith((".csv", ".xlsx", ".xlsm", ".txt")):
            raise serializers.ValidationError(_("Only CSV and XLSX files can be imported."))
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise serializers.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_MB}
            )
        return upload


class ImportJobSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="owner.code")
    errors = serializers.SerializerMethodField()
    confirmation = serializers.SerializerMethodField(
        help_text=_("Why the import waits for a confirmation (status 'confirm'), else empty.")
    )

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "institution",
            "file_name",
            "requested_format",
            "detected_format",
            "status",
            "rows_total",
            "created_count",
            "updated_count",
            "unchanged_count",
            "error_count",
            "errors",
            "confirmation",
            "foreign_confirmed",
            "created_at",
            "finished_at",
        ]

    def get_confirmation(self, job) -> str:
        if job.status != JobStatus.CONFIRM:
            return ""
        shown = shares_presented(job.country_check, job.owner)
        return (
            gettext("Nothing was saved.")
            + " "
            + shown["summary"]
            + " "
            + gettext(
                "Confirm on the import's page, or send the file again with confirm_foreign "
                "set to true."
            )
        )

    def get_errors(self, job) -> list[dict]:
        return [
            {"row": e["row"], "column": e["column"], "message": e["message"]}
            for e in import_errors_translated(job)
        ]


class ImportCreate(generics.GenericAPIView):
    """Upload a CSV or XLSX file of cases; the import runs in the background."""

    parser_classes = [MultiPartParser]
    permission_classes = [requires(Capability.WRITE_CASES)]
    serializer_class = ImportRequestSerializer

    def get_serializer(self, *args, **kwargs):
        return ImportRequestSerializer(*args, user=self.request.user, **kwargs)

    def post(self, request):
        incoming = self.get_serializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        upload = incoming.validated_data["file"]
        job = import_job_create(
            actor=request.user,
            owner=incoming.validated_data["institution"],
            upload=upload,
            file_name=upload.name,
            requested_format=incoming.validated_data["format"],
            foreign_confirmed=incoming.validated_data["confirm_foreign"],
        )
        body = ImportJobSerializer(job).data
        body["url"] = reverse("api:import", args=[job.pk], request=request)
        return Response(body, status=status.HTTP_202_ACCEPTED)


class ImportDetail(generics.RetrieveAPIView):
    serializer_class = ImportJobSerializer
    permission_classes = [requires(Capability.WRITE_CASES)]

    def get_object(self):
        try:
            return get_visible_or_404(
                self.request.user,
                ImportJob.objects.select_related("owner"),
                Capability.WRITE_CASES,
                request=self.request,
                pk=self.kwargs["pk"],
            )
        except Http404:
            raise NotFound() from None
