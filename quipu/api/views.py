"""Thin DRF views: each queryset comes from a selector that starts at the permission layer."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from quipu.api import serializers
from quipu.api.permissions import requires
from quipu.audit.models import Action
from quipu.audit.selectors import audit_entries_visible_to
from quipu.audit.services import audit_record
from quipu.tenancy.permissions import principal_for
from quipu.tenancy.roles import Capability
from quipu.tenancy.selectors import (
    institutions_visible_to,
    member_states,
    users_manageable_by,
)


class MeView(APIView):
    @extend_schema(responses=serializers.MeSerializer)
    def get(self, request):
        principal = principal_for(request.user)
        body = {
            "username": request.user.get_username(),
            "institution": principal.institution_code or None,
            "country": principal.country_id,
            "roles": sorted(principal.roles),
            "capabilities": sorted(c.value for c in Capability if principal.can(c)),
        }
        return Response(serializers.MeSerializer(body).data)


class MemberStateList(generics.ListAPIView):
    serializer_class = serializers.CountrySerializer
    pagination_class = None

    def get_queryset(self):
        return member_states()


class InstitutionList(generics.ListAPIView):
    serializer_class = serializers.InstitutionSerializer
    permission_classes = [requires(Capability.READ_DIRECTORY)]

    def get_queryset(self):
        return institutions_visible_to(user=self.request.user).order_by("code")


class UserList(generics.ListAPIView):
    serializer_class = serializers.UserSerializer
    permission_classes = [requires(Capability.MANAGE_USERS)]

    def get_queryset(self):
        return (
            users_manageable_by(user=self.request.user)
            .prefetch_related("membership__role_rows")
            .order_by("username")
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        audit_record(
            actor=request.user,
            action=Action.READ,
            object_type="tenancy.user",
            detail={"ids": [row["id"] for row in response.data["results"]]},
            subject_country=principal_for(request.user).country_id or "",
            request=request,
        )
        return response


class AuditEntryList(generics.ListAPIView):
    serializer_class = serializers.AuditEntrySerializer
    permission_classes = [requires(Capability.READ_AUDIT)]

    def get_queryset(self):
        return audit_entries_visible_to(user=self.request.user)


class UnknownAddress(APIView):
    """Any address under /api/ that names no operation: the API's JSON 404, not the HTML page,
    so that a client (and the schema) sees one kind of answer."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []
    schema = None

    def initial(self, request, *args, **kwargs):
        raise NotFound()
