"""Thin DRF views over the request selectors and services. The only view that returns the
owner's data is GrantRecords, through grants.grant_records_read (re-checked every call)."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from quipu.api.permissions import requires
from quipu.cooperation.requests.grants import grant_records_read
from quipu.cooperation.requests.models import InformationRequest, State
from quipu.cooperation.requests.selectors import (
    answerable_cases,
    linked_notices_for,
    own_cases_for,
    request_visible,
    requests_filtered,
)
from quipu.cooperation.requests.serializers import (
    RequestDetailSerializer,
    RequestGrantRecordsSerializer,
    RequestOpenSerializer,
    RequestRevokeSerializer,
    RequestSummarySerializer,
    RequestTransitionSerializer,
)
from quipu.cooperation.requests.services import (
    information_request_open,
    information_request_receive,
    information_request_transition,
)
from quipu.tenancy.permissions import can, principal_for
from quipu.tenancy.roles import Capability

IsParty = requires(Capability.OPEN_REQUESTS)  # focal points and prosecutors


def _visible(request, pk: int) -> InformationRequest:
    try:
        return request_visible(user=request.user, pk=pk, request=request)
    except Http404:
        raise NotFound() from None


def _detail(request, pk: int) -> dict:
    found = _visible(request, pk)
    return RequestDetailSerializer(found, context={"request": request}).data


class RequestList(ListAPIView):
    """GET: the requests received (box=in, the default for focal points) or sent (box=out).
    POST: open a request to another member country."""

    permission_classes = [IsParty]
    serializer_class = RequestSummarySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("box", enum=["in", "out"], required=False),
            OpenApiParameter("state", enum=State.values, required=False),
        ]
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        default = "in" if can(self.request.user, Capability.ANSWER_REQUESTS) else "out"
        box, state = params.get("box", default), params.get("state", "")
        errors = {}
        if box not in ("in", "out"):
            errors["box"] = [_("Use in or out.")]
        if state and state not in State.values:
            errors["state"] = [_("Unknown state.")]
        if errors:
            raise serializers.ValidationError(errors)
        return requests_filtered(user=self.request.user, box=box, state=state)

    @extend_schema(request=RequestOpenSerializer, responses={201: RequestDetailSerializer})
    def post(self, request, *args, **kwargs):
        incoming = RequestOpenSerializer(
            data=request.data,
            notices=linked_notices_for(user=request.user),
            cases=own_cases_for(user=request.user),
            country=principal_for(request.user).country_id,
        )
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        country = data.pop("receiving_country")
        opened = information_request_open(
            actor=request.user,
            receiving_country=country.code if country else "",
            request=request,
            **data,
        )
        return Response(_detail(request, opened.pk), status=status.HTTP_201_CREATED)


class RequestDetail(APIView):
    """One request: its fields, history and grant summary; never a value of a record."""

    permission_classes = [IsParty]

    @extend_schema(responses=RequestDetailSerializer)
    def get(self, request, pk: int):
        found = _visible(request, pk)
        information_request_receive(actor=request.user, information_request=found, request=request)
        return Response(_detail(request, pk))


class RequestTransition(APIView):
    """Approve (all or in part, with the records and an expiry), ask for clarification,
    clarify, refuse or withdraw."""

    permission_classes = [IsParty]
    http_method_names = ["post", "options"]

    @extend_schema(request=RequestTransitionSerializer, responses=RequestDetailSerializer)
    def post(self, request, pk: int):
        found = _visible(request, pk)
        incoming = RequestTransitionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        ids = set(data.pop("records"))
        cases = list(
            answerable_cases(user=request.user, information_request=found).filter(pk__in=ids)
        )
        if len(cases) != len(ids):
            raise serializers.ValidationError(
                {"records": [_("Give ids of your country's cases only.")]}
            )
        information_request_transition(
            actor=request.user, information_request=found, request=request, cases=cases, **data
        )
        return Response(_detail(request, pk))


class RequestRevoke(APIView):
    """The owner revokes the grant: access stops at the requester's next call."""

    permission_classes = [IsParty]
    http_method_names = ["post", "options"]

    @extend_schema(request=RequestRevokeSerializer, responses=RequestDetailSerializer)
    def post(self, request, pk: int):
        found = _visible(request, pk)
        incoming = RequestRevokeSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        information_request_transition(
            actor=request.user,
            information_request=found,
            action="revoke",
            comment=incoming.validated_data["comment"],
            request=request,
        )
        return Response(_detail(request, pk))


class GrantRecords(APIView):
    """The granted fields of the granted records, while the grant lasts (403 after)."""

    permission_classes = [IsParty]

    @extend_schema(responses=RequestGrantRecordsSerializer)
    def get(self, request, pk: int):
        found = _visible(request, pk)
        grant, records = grant_records_read(
            actor=request.user, information_request=found, via="api", request=request
        )
        body = {
            "request": found.reference,
            "categories": grant.categories,
            "expires_on": grant.expires_on,
            "records": records,
        }
        return Response(RequestGrantRecordsSerializer(body).data)
