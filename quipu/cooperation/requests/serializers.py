"""API serializers of information requests. Nothing here reads personal data except
RequestGrantRecordSerializer, which only shapes what grants.grant_records_read returns."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from quipu.cases.models import Case
from quipu.cooperation.requests.models import (
    Category,
    Grant,
    InformationRequest,
    LegalBasis,
    State,
    Urgency,
)
from quipu.cooperation.requests.services import GRANT_DAYS_MAX
from quipu.cooperation.requests.workflows import TRANSITIONS
from quipu.linkage.models import MatchNotice
from quipu.tenancy.models import Country

_ENUM_FIELDS: dict[str, type[serializers.ChoiceField]] = {}


def enum_field(choices, name: str, **kwargs) -> serializers.ChoiceField:
    """A choice field whose schema component is named here, so that enums of other apps with
    the same field names (state, urgency) do not collide in the OpenAPI schema."""
    values = [value for value, _label in choices]
    if name not in _ENUM_FIELDS:
        decorate = extend_schema_field({"type": "string", "enum": values}, component_name=name)
        _ENUM_FIELDS[name] = decorate(type(f"{name}Field", (serializers.ChoiceField,), {}))
    return _ENUM_FIELDS[name](choices, **kwargs)


def _categories(**kwargs) -> serializers.ListField:
    return serializers.ListField(child=enum_field(Category.choices, "RequestCategory"), **kwargs)


class RequestSummarySerializer(serializers.ModelSerializer):
    """A list row: codes, dates and the request's own texts; nothing of any case."""

    reference = serializers.CharField(read_only=True)
    requesting_institution = serializers.CharField(source="requesting_institution.code")
    legal_basis = enum_field(LegalBasis.choices, "RequestLegalBasis")
    categories = _categories()
    urgency = enum_field(Urgency.choices, "RequestUrgency")
    state = enum_field(State.choices, "RequestState")

    class Meta:
        model = InformationRequest
        fields = [
            "id",
            "reference",
            "requesting_institution",
            "requesting_country",
            "receiving_country",
            "notice",
            "legal_basis",
            "categories",
            "urgency",
            "due_on",
            "state",
            "sent_at",
            "received_at",
        ]


class RequestEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.CharField(source="actor.username", default="")
    at = serializers.DateTimeField()
    comment = serializers.CharField()


class RequestGrantSummarySerializer(serializers.ModelSerializer):
    categories = _categories()
    records = serializers.SerializerMethodField()
    active = serializers.BooleanField(source="is_active")

    class Meta:
        model = Grant
        fields = ["categories", "records", "expires_on", "granted_at", "revoked_at", "active"]

    def get_records(self, grant) -> int:
        return grant.cases.count()


class RequestDetailSerializer(RequestSummarySerializer):
    history = RequestEventSerializer(source="events", many=True, read_only=True)
    grant = serializers.SerializerMethodField()

    class Meta(RequestSummarySerializer.Meta):
        fields = [
            *RequestSummarySerializer.Meta.fields,
            "legal_basis_details",
            "purpose",
            "history",
            "grant",
        ]

    @extend_schema_field(RequestGrantSummarySerializer(allow_null=True))
    def get_grant(self, information_request):
        grant = Grant.objects.filter(information_request=information_request).first()
        return RequestGrantSummarySerializer(grant).data if grant else None


class RequestOpenSerializer(serializers.Serializer):
    notice = serializers.PrimaryKeyRelatedField(
        queryset=MatchNotice.objects.none(), required=False, allow_null=True, default=None
    )
    receiving_country = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Country.objects.filter(is_member=True),
        required=False,
        allow_null=True,
        default=None,
    )
    case = serializers.PrimaryKeyRelatedField(
        queryset=Case.objects.none(), required=False, allow_null=True, default=None
    )
    legal_basis = enum_field(LegalBasis.choices, "RequestLegalBasis")
    legal_basis_details = serializers.CharField(
        required=False, allow_blank=True, max_length=500, default=""
    )
    purpose = serializers.CharField(max_length=2000)
    categories = _categories(allow_empty=False)
    urgency = enum_field(Urgency.choices, "RequestUrgency")
    due_on = serializers.DateField()

    def __init__(self, *args, notices=None, cases=None, country=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.country = country
        if notices is not None:
            self.fields["notice"].queryset = notices
        if cases is not None:
            self.fields["case"].queryset = cases

    def validate_due_on(self, value):
        if value <= timezone.localdate():
            raise serializers.ValidationError(_("The due date must be after today."))
        return value

    def validate(self, attrs):
        country = attrs.get("receiving_country")
        if attrs.get("notice") is None and country is None:
            raise serializers.ValidationError(
                {"receiving_country": [_("Choose the country, or start from a match notice.")]}
            )
        if attrs.get("notice") is None and country.code == self.country:
            raise serializers.ValidationError(
                {
                    "receiving_country": [
                        _("A request goes to another member country than your own.")
                    ]
                }
            )
        return attrs


class RequestTransitionSerializer(serializers.Serializer):
    action = enum_field(
        [(name, name) for name in sorted(TRANSITIONS) if name != "revoke"], "RequestAction"
    )
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    categories = _categories(required=False, default=list)
    records = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text=_("Ids of your country's cases to disclose, when you approve."),
    )
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_expires_on(self, value):
        today = timezone.localdate()
        if value and not today < value <= today + datetime.timedelta(days=GRANT_DAYS_MAX):
            raise serializers.ValidationError(
                _("The grant must expire after today and within %(days)s days.")
                % {"days": GRANT_DAYS_MAX}
            )
        return value


class RequestRevokeSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=2000)


class RequestGrantRecordSerializer(serializers.Serializer):
    """One granted record: only the keys of the granted categories are present."""

    case = serializers.IntegerField()
    victims = serializers.ListField(child=serializers.DictField())
    proceedings = serializers.DictField(required=False)


class RequestGrantRecordsSerializer(serializers.Serializer):
    request = serializers.CharField()
    categories = _categories()
    expires_on = serializers.DateField()
    records = RequestGrantRecordSerializer(many=True)
