"""Helpline reports for the API: personal fields (personal.py) only to those who may read them."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from quipu.cooperation.helpline.models import (
    Channel,
    HelplineReport,
    IdentifierKind,
    ReportIdentifier,
    ReportTransition,
    Situation,
    Urgency,
)
from quipu.cooperation.helpline.personal import personal_fields
from quipu.cooperation.helpline.triage import IDENTIFIERS_OF
from quipu.cooperation.helpline.validation import (
    ACCOUNT_MAX,
    MAX_IDENTIFIERS,
    caller_fields_check,
    caller_normalised,
    identifier_normalised,
)
from quipu.tenancy.models import Country, Institution


def _django_errors(error: DjangoValidationError) -> list[str]:
    return [str(message) for message in error.messages]


class PersonalFieldsMixin:
    """Drops the model's personal fields unless the context says the reader may see them."""

    def get_fields(self):
        fields = super().get_fields()
        if not self.context.get("personal"):
            for name in personal_fields(self.Meta.model):
                fields.pop(name, None)
        return fields


class ReportSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = HelplineReport
        fields = [
            "id",
            "reference",
            "country",
            "state",
            "situation",
            "urgency",
            "channel",
            "place_country",
            "assigned_to",
            "case",
            "routed_to",
            "received_from",
            "is_stub",
            "created_at",
        ]


class IdentifierSerializer(PersonalFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = ReportIdentifier
        fields = ["kind", "value"]


class TransitionSerializer(PersonalFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = ReportTransition
        fields = [
            "action",
            "from_state",
            "to_state",
            "actor_institution",
            "country",
            "target",
            "note",
            "at",
        ]


class ReportDetailSerializer(PersonalFieldsMixin, serializers.ModelSerializer):
    identifiers = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta:
        model = HelplineReport
        fields = [
            *ReportSummarySerializer.Meta.fields,
            "institution",
            "account",
            "place",
            "caller_consents",
            "caller_name",
            "caller_phone",
            "caller_email",
            "closure_reason",
            "identifiers",
            "history",
            "actions",
        ]

    def get_identifiers(self, report) -> list[dict]:
        if not self.context.get("personal"):
            return []
        return IdentifierSerializer(report.identifiers.all(), many=True, context=self.context).data

    def get_history(self, report) -> list[dict]:
        return TransitionSerializer(report.history.all(), many=True, context=self.context).data

    def get_actions(self, report) -> list[str]:
        return list(self.context.get("actions", []))


class IdentifierInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=IdentifierKind.choices)
    value = serializers.CharField(max_length=200)

    def validate(self, attrs):
        region = self.context.get("region")
        try:
            attrs["value"] = identifier_normalised(attrs["kind"], attrs["value"], region=region)
        except DjangoValidationError as error:
            raise serializers.ValidationError({"value": _django_errors(error)}) from None
        return attrs


class ReportLogSerializer(serializers.Serializer):
    account = serializers.CharField(max_length=ACCOUNT_MAX)
    situation = serializers.ChoiceField(choices=Situation.choices)
    urgency = serializers.ChoiceField(choices=Urgency.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    place_country = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.filter(is_member=True)
    )
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    identifiers = IdentifierInputSerializer(many=True, required=False, default=list)
    caller_consents = serializers.BooleanField(required=False, default=False)
    caller_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    caller_phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    caller_email = serializers.CharField(max_length=254, required=False, allow_blank=True)

    def validate_identifiers(self, value):
        if len(value) > MAX_IDENTIFIERS:
            raise serializers.ValidationError(
                _("At most %(max)s identifiers.") % {"max": MAX_IDENTIFIERS}
            )
        return value

    def validate(self, attrs):
        refused = caller_fields_check(attrs.get("caller_consents", False), attrs)
        if refused:
            raise serializers.ValidationError({k: [str(v)] for k, v in refused.items()})
        attrs, errors = caller_normalised(attrs, region=self.context.get("region"))
        if errors:
            raise serializers.ValidationError(
                {name: _django_errors(error) for name, error in errors.items()}
            )
        return attrs


class TriageSerializer(serializers.Serializer):
    """The fields each action needs: lead (institution, note), case (institution, kind,
    identifiers_of), route (to_country, note), close (reason)."""

    institution = serializers.SlugRelatedField(
        slug_field="code", queryset=Institution.objects.all(), required=False
    )
    kind = serializers.ChoiceField(choices=["TIP", "SOM"], required=False, default="TIP")
    identifiers_of = serializers.ChoiceField(
        choices=IDENTIFIERS_OF, required=False, default="victim"
    )
    to_country = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.filter(is_member=True), required=False
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    NEEDS = {
        "lead": ("institution",),
        "case": ("institution",),
        "route": ("to_country",),
        "close": ("reason",),
    }

    def validate(self, attrs):
        required = _("This field is required.")
        missing = {
            name: [required] for name in self.NEEDS[self.context["action"]] if not attrs.get(name)
        }
        if missing:
            raise serializers.ValidationError(missing)
        return attrs
