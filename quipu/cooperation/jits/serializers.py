"""Serializers of the JIT API: validation of input at the edge, with field paths in errors."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from quipu.cooperation.jits.models import (
    Attachment,
    Jit,
    LegalBasis,
    Member,
    MemberState,
    Note,
    State,
    Task,
    TaskStatus,
)
from quipu.tenancy.models import Country, Institution

_ENUM_FIELDS: dict[str, type[serializers.ChoiceField]] = {}


def enum_field(choices, name: str, **kwargs) -> serializers.ChoiceField:
    """A choice field whose schema is a component named here, so that other apps' fields of the
    same name (state, status) do not collide in the schema."""
    if name not in _ENUM_FIELDS:
        values = [value for value, _label in choices]
        decorate = extend_schema_field({"type": "string", "enum": values}, component_name=name)
        _ENUM_FIELDS[name] = decorate(type(f"{name}Field", (serializers.ChoiceField,), {}))
    return _ENUM_FIELDS[name](choices, **kwargs)


class JitSummarySerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    opening_institution = serializers.CharField(source="opening_institution.code")
    legal_basis = enum_field(LegalBasis.choices, "JitLegalBasis")
    state = enum_field(State.choices, "JitState")

    class Meta:
        model = Jit
        fields = [
            "id",
            "reference",
            "name",
            "opening_institution",
            "lead_country",
            "legal_basis",
            "legal_basis_details",
            "starts_on",
            "ends_on",
            "state",
            "opened_at",
        ]


class MemberSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.code")
    country = serializers.CharField(source="institution.country_id")
    state = enum_field(MemberState.choices, "JitMemberState")

    class Meta:
        model = Member
        fields = ["institution", "country", "state", "invited_at", "answered_at"]


class InvitationSerializer(serializers.ModelSerializer):
    jit = JitSummarySerializer()

    class Meta:
        model = Member
        fields = ["jit", "invited_at"]


class CaseCardSerializer(serializers.Serializer):
    """A linked case as other members see it: a reference card, nothing personal."""

    reference = serializers.CharField()
    country = serializers.CharField()
    institution = serializers.CharField()
    kind = serializers.CharField()
    status = serializers.CharField()


class NoteSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.code", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True, default="")

    class Meta:
        model = Note
        fields = ["id", "institution", "author", "text", "created_at"]
        read_only_fields = ["id", "created_at"]


class TaskSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.code", read_only=True)
    owner = serializers.CharField(source="owner.username", read_only=True)
    status = enum_field(TaskStatus.choices, "JitTaskStatus", read_only=True)

    class Meta:
        model = Task
        fields = ["id", "institution", "title", "owner", "due_on", "status", "created_at"]


class TaskCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    owner = serializers.CharField(help_text=_("The owner's user name: a member's user."))
    due_on = serializers.DateField()


class AttachmentSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="institution.code", read_only=True)

    class Meta:
        model = Attachment
        fields = ["id", "institution", "name", "content_type", "size", "sha256", "uploaded_at"]


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()


class EventSerializer(serializers.Serializer):
    action = serializers.CharField()
    institution = serializers.CharField(source="institution.code")
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.CharField(source="actor.username", default="")
    at = serializers.DateTimeField()


class JitDetailSerializer(JitSummarySerializer):
    members = serializers.SerializerMethodField()
    cases = serializers.SerializerMethodField()
    notes = NoteSerializer(many=True, read_only=True)
    tasks = TaskSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    history = EventSerializer(source="events", many=True, read_only=True)

    class Meta(JitSummarySerializer.Meta):
        fields = [
            *JitSummarySerializer.Meta.fields,
            "members",
            "cases",
            "notes",
            "tasks",
            "attachments",
            "history",
        ]

    @extend_schema_field(MemberSerializer(many=True))
    def get_members(self, jit):
        return MemberSerializer(self.context["members"], many=True).data

    @extend_schema_field(CaseCardSerializer(many=True))
    def get_cases(self, jit):
        return CaseCardSerializer(self.context["cards"], many=True).data


class JitOpenSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    lead_country = serializers.SlugRelatedField(
        slug_field="code", queryset=Country.objects.filter(is_member=True)
    )
    legal_basis = enum_field(LegalBasis.choices, "JitLegalBasis")
    legal_basis_details = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    invite = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        default=list,
        queryset=Institution.objects.filter(country__is_member=True),
    )

    def validate(self, attrs):
        errors = {}
        if attrs["ends_on"] < attrs["starts_on"]:
            errors["ends_on"] = [_("The end date must not be before the start date.")]
        own = self.context["own_country"]
        countries = {own} | {institution.country_id for institution in attrs["invite"]}
        if attrs["lead_country"].code not in countries:
            errors["lead_country"] = [
                _("The lead country must be the country of one of the members.")
            ]
        if attrs["legal_basis"] == LegalBasis.OTHER and not attrs["legal_basis_details"].strip():
            errors["legal_basis_details"] = [_("Name the legal basis.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class InviteSerializer(serializers.Serializer):
    institution = serializers.SlugRelatedField(
        slug_field="code", queryset=Institution.objects.filter(country__is_member=True)
    )


class MembershipSerializer(serializers.Serializer):
    action = enum_field([(a, a) for a in ("accept", "decline", "leave")], "JitMemberAction")


class CaseLinkSerializer(serializers.Serializer):
    case = serializers.CharField(help_text=_("The case's reference."))
