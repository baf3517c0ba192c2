"""Thin DRF views over the receipt selectors: the list, one document, and verification."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from quipu.api.parsers import JSONParser
from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cooperation.receipts.models import Receipt
from quipu.cooperation.receipts.selectors import receipt_reader, receipt_visible, receipts_filtered
from quipu.cooperation.receipts.verification import receipt_verify
from quipu.tenancy.permissions import denial_record
from quipu.tenancy.roles import Capability


class ReceiptFilterSerializer(serializers.Serializer):
    # An event code such as request.sent: checked here, so odd text never reaches the query.
    event = serializers.RegexField(
        r"^[a-z0-9_.]{0,64}$",  # empty: no filter
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("An event code, such as request.sent."),
        error_messages={"invalid": gettext_lazy("Enter an event code, such as request.sent.")},
    )


class IsReceiptReader(BasePermission):
    """Users of the cooperation workflows (requests and referrals, either side)."""

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if receipt_reader(user):
            return True
        denial_record(user, capability=Capability.OPEN_REQUESTS, request=request)
        return False


class ReceiptSummarySerializer(serializers.ModelSerializer):
    subject_type = serializers.CharField(source="object_type")
    subject_id = serializers.CharField(source="object_id")
    parties = serializers.ListField(child=serializers.CharField(), source="party_codes")

    class Meta:
        model = Receipt
        fields = ["id", "event", "subject_type", "subject_id", "parties", "issued_at", "key_id"]


class VerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    code = serializers.ChoiceField(
        choices=["valid", "malformed", "content_hash", "unknown_key", "signature"]
    )
    reason = serializers.CharField()
    key_id = serializers.CharField()


class ReceiptList(generics.ListAPIView):
    """The receipts of steps your country is party to (no personal data)."""

    permission_classes = [IsReceiptReader]
    serializer_class = ReceiptSummarySerializer

    @extend_schema(parameters=[ReceiptFilterSerializer])
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def get_queryset(self):
        incoming = ReceiptFilterSerializer(data=self.request.query_params)
        incoming.is_valid(raise_exception=True)
        event = incoming.validated_data.get("event", "")
        return receipts_filtered(user=self.request.user, event=event)


class ReceiptDetail(APIView):
    """One receipt: the signed JSON document, exactly as issued."""

    permission_classes = [IsReceiptReader]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, pk):
        try:
            receipt = receipt_visible(user=request.user, pk=pk, request=request)
        except Http404:
            raise NotFound() from None
        audit_record(
            actor=request.user,
            action=Action.EXPORT,
            obj=receipt,
            detail={"event": receipt.event, "format": "json", "via": "api"},
            request=request,
        )
        return Response(receipt.document)


class ReceiptVerify(APIView):
    """Check a receipt document: its content hash, its key id and its signature."""

    parser_classes = [JSONParser]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: VerificationSerializer})
    def post(self, request):
        # A body that is not a JSON object is not a receipt at all: a 400, as for any bad input.
        if not isinstance(request.data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": [_("Send the receipt as a JSON object.")]}
            )
        result = receipt_verify(request.data)
        return Response(VerificationSerializer(result).data)
