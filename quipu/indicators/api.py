"""Thin DRF views for survey rounds and submissions; the rules live in the services.

A write to a locked (accepted) submission answers 409 with code `submission_locked`; answers
that break the form's rules on submit answer 422 with the message of each question by path.
"""

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from quipu.api.parsers import MultiPartParser
from quipu.api.permissions import requires
from quipu.indicators import round_selectors as selectors
from quipu.indicators import workflows
from quipu.indicators.api_serializers import (
    AssignSerializer,
    DraftSerializer,
    RoundDetailSerializer,
    RoundOpenSerializer,
    RoundSerializer,
    StepSerializer,
    SubmissionSerializer,
    SubmissionSummarySerializer,
)
from quipu.indicators.forms import MAX_UPLOAD
from quipu.indicators.kobo_import import KoboImportInvalid, submissions_import
from quipu.indicators.rounds import round_assign_kind, submission_assign, survey_round_open
from quipu.indicators.submissions import (
    SubmissionInvalid,
    submission_review,
    submission_save,
    submission_submit,
)
from quipu.tenancy.roles import Capability

INVALID = inline_serializer(
    "SubmissionInvalid",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "answers": serializers.DictField(
            child=serializers.ListField(child=serializers.CharField())
        ),
    },
)


def _invalid(error: SubmissionInvalid) -> Response:
    body = {
        "detail": str(error.message),
        "code": error.code,
        "answers": {path: [message] for path, message in error.problems.items()},
    }
    return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)


class RoundList(generics.ListAPIView):
    """GET: the rounds the caller follows. POST: the secretariat opens a round."""

    serializer_class = RoundSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return selectors.rounds_visible_to(user=self.request.user).prefetch_related("countries")

    @extend_schema(
        operation_id="indicators_round_open",
        request=RoundOpenSerializer,
        responses={201: RoundSerializer},
    )
    def post(self, request):
        incoming = RoundOpenSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        survey_round = survey_round_open(
            actor=request.user, request=request, **incoming.validated_data
        )
        return Response(RoundSerializer(survey_round).data, status=status.HTTP_201_CREATED)


def _round(request, pk: int):
    try:
        return selectors.round_tracking_visible(user=request.user, pk=pk, request=request)
    except Http404:
        raise NotFound() from None


class RoundDetail(APIView):
    """One round with its tracking: each visible country's submissions and their states."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=RoundDetailSerializer)
    def get(self, request, pk: int):
        survey_round = _round(request, pk)
        survey_round.tracking = selectors.round_tracking(
            user=request.user, survey_round=survey_round
        )
        return Response(RoundDetailSerializer(survey_round).data)


class RoundAssign(APIView):
    """A focal point assigns the round: one institution with its responsible person, or every
    institution of a type."""

    permission_classes = [requires(Capability.MANAGE_USERS)]

    @extend_schema(
        operation_id="indicators_round_assign",
        request=AssignSerializer,
        responses={201: SubmissionSummarySerializer(many=True)},
    )
    def post(self, request, pk: int):
        survey_round = _round(request, pk)
        incoming = AssignSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        common = {"actor": request.user, "survey_round": survey_round, "request": request}
        if data.get("institution_kind"):
            assigned, _skipped = round_assign_kind(kind=data["institution_kind"], **common)
        else:
            assigned = [
                submission_assign(
                    institution=data["institution"], responsible=data["responsible"], **common
                )
            ]
        body = SubmissionSummarySerializer(assigned, many=True).data
        return Response(body, status=status.HTTP_201_CREATED)


class SubmissionList(generics.ListAPIView):
    """Submissions the caller may see: own institution's, the country's, or all."""

    permission_classes = [IsAuthenticated]
    serializer_class = SubmissionSummarySerializer

    def get_queryset(self):
        return selectors.submissions_visible_to(user=self.request.user).order_by("pk")


def _submission(request, pk: int):
    try:
        return selectors.submission_visible(user=request.user, pk=pk, request=request)
    except Http404:
        raise NotFound() from None


def _detail(request, submission) -> Response:
    submission.refresh_from_db()
    context = {"actions": workflows.actions_open(request.user, submission)}
    return Response(SubmissionSerializer(submission, context=context).data)


class SubmissionDetail(APIView):
    """GET one submission (answers by question path, comments, history). PUT saves a draft."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=SubmissionSerializer)
    def get(self, request, pk: int):
        submission = _submission(request, pk)
        selectors.submission_read_audit(actor=request.user, submission=submission, request=request)
        return _detail(request, submission)

    @extend_schema(
        operation_id="indicators_submission_save",
        request=DraftSerializer,
        responses=SubmissionSerializer,
    )
    def put(self, request, pk: int):
        submission = _submission(request, pk)
        incoming = DraftSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        submission_save(
            actor=request.user,
            submission=submission,
            answers=incoming.validated_data["answers"],
            request=request,
        )
        return _detail(request, submission)


class SubmissionStep(APIView):
    """submit (optionally with the final answers), approve, return (comments by question path),
    accept (locks the values) or unlock (with the reason in `comment`)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        operation_id="indicators_submission_step",
        request=StepSerializer,
        responses={200: SubmissionSerializer, 422: INVALID},
    )
    def post(self, request, pk: int, action: str):
        if action not in (workflows.SUBMIT, *workflows.REVIEW_ACTIONS):
            raise NotFound()
        submission = _submission(request, pk)
        incoming = StepSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        if action == workflows.SUBMIT:
            try:
                submission_submit(
                    actor=request.user,
                    submission=submission,
                    answers=data.get("answers"),
                    language=getattr(request, "LANGUAGE_CODE", ""),
                    request=request,
                )
            except SubmissionInvalid as error:
                return _invalid(error)
        else:
            submission_review(
                actor=request.user,
                submission=submission,
                action=action,
                comment=data.get("comment", ""),
                comments=data.get("comments") or {},
                request=request,
            )
        return _detail(request, submission)


class KoboImportSerializer(serializers.Serializer):
    file = serializers.FileField()
    institution = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_file(self, upload):
        if upload.size > MAX_UPLOAD:
            raise serializers.ValidationError(_("The file is larger than 10 MB."))
        return upload


IMPORT_INVALID = inline_serializer(
    "KoboImportInvalid",
    {
        "detail": serializers.CharField(),
        "code": serializers.CharField(),
        "problems": serializers.ListField(
            child=inline_serializer(
                "KoboImportProblem",
                {
                    "row": serializers.IntegerField(allow_null=True),
                    "field": serializers.CharField(),
                    "message": serializers.CharField(),
                },
            )
        ),
    },
)
IMPORTED = inline_serializer(
    "KoboImported",
    {
        "source": serializers.CharField(),
        "imported": serializers.ListField(child=serializers.IntegerField()),
        "unchanged": serializers.ListField(child=serializers.IntegerField()),
    },
)


class RoundImport(APIView):
    """POST a KoboToolbox CSV or JSON export (multipart `file`, optional `institution` code for
    a file of one submission): each row becomes a submitted answer. All or nothing: 422 names
    each bad row and field."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="indicators_round_import",
        request={"multipart/form-data": KoboImportSerializer},
        responses={200: IMPORTED, 422: IMPORT_INVALID},
    )
    def post(self, request, pk: int):
        survey_round = _round(request, pk)
        incoming = KoboImportSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            result = submissions_import(
                actor=request.user,
                survey_round=survey_round,
                content=data["file"].read(),
                institution_code=data["institution"],
                request=request,
            )
        except KoboImportInvalid as error:
            body = {
                "detail": str(error.message),
                "code": error.code,
                "problems": [
                    {"row": p.row, "field": p.field, "message": p.message} for p in error.problems
                ],
            }
            return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        body = {
            "source": result.source,
            "imported": [s.pk for s in result.imported],
            "unchanged": [s.pk for s in result.unchanged],
        }
        return Response(body)
