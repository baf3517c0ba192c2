"""Thin DRF views over the helpline selectors and services; no business rules here."""

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from quipu.api.permissions import requires
from quipu.cooperation.helpline import triage, workflows
from quipu.cooperation.helpline.forms import InboxFilterForm
from quipu.cooperation.helpline.models import Situation, State, Urgency
from quipu.cooperation.helpline.personal import CALLER_FIELDS
from quipu.cooperation.helpline.selectors import (
    report_visible,
    reports_of_my_institution,
    triage_inbox,
)
from quipu.cooperation.helpline.serializers import (
    ReportDetailSerializer,
    ReportLogSerializer,
    ReportSummarySerializer,
    TriageSerializer,
)
from quipu.cooperation.helpline.services import report_log, report_read_audit
from quipu.errors import InvalidInput
from quipu.tenancy.permissions import principal_for
from quipu.tenancy.roles import Capability


class ReadsOrLogs(BasePermission):
    """Reading lists needs READ_CASES; logging (POST) needs LOG_REPORTS."""

    def has_permission(self, request, view):
        capability = Capability.LOG_REPORTS if request.method == "POST" else Capability.READ_CASES
        return requires(capability)().has_permission(request, view)


class ReportList(generics.ListCreateAPIView):
    """GET: reports the caller's institution logged or was assigned (no personal fields).
    POST: log a report; caller details only with the caller's consent."""

    permission_classes = [ReadsOrLogs]

    def get_serializer_class(self):
        return ReportLogSerializer if self.request.method == "POST" else ReportSummarySerializer

    def get_queryset(self):
        return reports_of_my_institution(user=self.request.user).order_by("-created_at", "-id")

    def get_serializer_context(self):
        region = principal_for(self.request.user).country_id
        return {**super().get_serializer_context(), "region": region}

    @extend_schema(
        operation_id="helpline_report_log",
        request=ReportLogSerializer,
        responses={201: ReportDetailSerializer},
    )
    def post(self, request, *args, **kwargs):
        incoming = ReportLogSerializer(data=request.data, context=self.get_serializer_context())
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        caller = {name: data.pop(name, "") for name in CALLER_FIELDS}
        report = report_log(actor=request.user, caller=caller, request=request, **data)
        return _detail_response(request, report, http_status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter("state", enum=State.values),
        OpenApiParameter("situation", enum=Situation.values),
        OpenApiParameter("urgency", enum=Urgency.values),
    ]
)
class Inbox(generics.ListAPIView):
    """The country's triage inbox, immediate danger first (no personal fields)."""

    serializer_class = ReportSummarySerializer
    permission_classes = [requires(Capability.TRIAGE_REPORTS)]

    def get_queryset(self):
        filters = InboxFilterForm(self.request.query_params)
        if not filters.is_valid():
            raise ValidationError(filters.errors)
        return triage_inbox(user=self.request.user, filters=filters.cleaned_data)


def _visible(request, pk: int):
    try:
        return report_visible(user=request.user, pk=pk, request=request)
    except Http404:
        raise NotFound() from None


def _detail_response(request, report, http_status: int = 200) -> Response:
    """The report as its reader may see it; showing its personal fields is an audited read."""
    personal = report_read_audit(actor=request.user, report=report, via="api", request=request)
    context = {"personal": personal, "actions": workflows.actions_open(request.user, report)}
    return Response(ReportDetailSerializer(report, context=context).data, status=http_status)


class ReportDetail(APIView):
    """One report; its personal fields are read (and audited) unless it is a routed stub."""

    permission_classes = [requires(Capability.READ_CASES)]

    @extend_schema(responses=ReportDetailSerializer)
    def get(self, request, pk: int):
        return _detail_response(request, _visible(request, pk))


class ReportTriage(APIView):
    """Triage: lead, case, route or close (see workflows.py); 409 from a state that does not
    allow the action, 403 outside the country's focal points."""

    permission_classes = [requires(Capability.TRIAGE_REPORTS)]

    @extend_schema(
        operation_id="helpline_report_triage",
        request=TriageSerializer,
        responses=ReportDetailSerializer,
    )
    def post(self, request, pk: int, action: str):
        if action not in workflows.ACTIONS:
            raise NotFound()
        report = _visible(request, pk)
        incoming = TriageSerializer(data=request.data, context={"action": action})
        incoming.is_valid(raise_exception=True)
        try:
            triage.report_triage(
                actor=request.user,
                report=report,
                action=action,
                data=incoming.validated_data,
                request=request,
            )
        except InvalidInput as error:
            field = triage.INPUT_FIELD.get(error.code)
            if field is None:
                raise
            raise ValidationError({field: [str(error.message)]}) from None
        # The answer for a route is the sender's stub: the moved report is the other country's.
        report.refresh_from_db()
        return _detail_response(request, report)
