"""Thin DRF views over the referral selectors and services. The detail is consent-limited by
disclosure.referral_disclosure, exactly like the page."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from quipu.cases.models import Victim
from quipu.cooperation.referrals.disclosure import referral_disclosure
from quipu.cooperation.referrals.models import (
    Assistance,
    Outcome,
    Referral,
    ReferralStep,
    State,
    StepStatus,
    Urgency,
)
from quipu.cooperation.referrals.selectors import (
    referral_counts,
    referral_sides,
    referral_visible,
    referrals_filtered,
    victims_referable_by,
)
from quipu.cooperation.referrals.services import (
    INPUT_FIELD,
    referral_open,
    referral_read_audit,
    referral_transition,
    side_for_reading,
)
from quipu.cooperation.referrals.steps import referral_step_add, referral_step_update
from quipu.cooperation.referrals.workflows import TRANSITIONS
from quipu.errors import InvalidInput
from quipu.tenancy.permissions import can, denial_record, principal_for
from quipu.tenancy.roles import Capability, Scope


def enum_field(choices, name: str, **kwargs) -> serializers.ChoiceField:
    """A choice field whose schema is a component of its own, named here: other apps use the
    same field names (state, status, urgency) for other choices, and drf-spectacular's enum
    names taken from field names would collide."""
    values = [value for value, _label in choices]
    if kwargs.get("allow_blank"):
        values.append("")
    if name not in _ENUM_FIELDS:
        decorate = extend_schema_field({"type": "string", "enum": values}, component_name=name)
        _ENUM_FIELDS[name] = decorate(type(f"{name}Field", (serializers.ChoiceField,), {}))
    return _ENUM_FIELDS[name](choices, **kwargs)


_ENUM_FIELDS: dict[str, type[serializers.ChoiceField]] = {}


class IsReferralParty(BasePermission):
    """Holders of OPEN_REFERRALS or ANSWER_REFERRALS: the two sides of a referral."""

    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if can(user, Capability.OPEN_REFERRALS) or can(user, Capability.ANSWER_REFERRALS):
            return True
        denial_record(user, capability=Capability.OPEN_REFERRALS, request=request)
        return False


class ReadsRegionalAggregates(BasePermission):
    def has_permission(self, request, view):
        user = request.user
        if not user or not user.is_authenticated:
            return False
        if principal_for(user).scope(Capability.READ_AGGREGATES) is Scope.REGION:
            return True
        denial_record(user, capability=Capability.READ_AGGREGATES, request=request)
        return False


class ReferralSummarySerializer(serializers.ModelSerializer):
    """A list row: nothing personal, for either side."""

    reference = serializers.CharField(read_only=True)
    referring_institution = serializers.CharField(source="referring_institution.code")
    assistance = serializers.ListField(child=enum_field(Assistance.choices, "ReferralAssistance"))
    urgency = enum_field(Urgency.choices, "ReferralUrgency")
    state = enum_field(State.choices, "ReferralState")
    outcome = enum_field(Outcome.choices, "ReferralOutcomeOrBlank", allow_blank=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "reference",
            "referring_institution",
            "referring_country",
            "home_country",
            "assistance",
            "urgency",
            "state",
            "outcome",
            "sent_at",
        ]


class ReferralStepSerializer(serializers.ModelSerializer):
    kind = enum_field(Assistance.choices, "ReferralAssistance")
    status = enum_field(StepStatus.choices, "ReferralStepStatus", required=False)

    class Meta:
        model = ReferralStep
        fields = ["id", "kind", "status", "due_on", "escalated_on"]
        read_only_fields = ["id", "escalated_on"]


class VictimIdentitySerializer(serializers.Serializer):
    first_name = serializers.CharField()
    middle_name = serializers.CharField()
    second_name = serializers.CharField()
    birthdate = serializers.DateField(allow_null=True)
    gender = serializers.CharField()
    citizenship = serializers.CharField()


class ReferralEventSerializer(serializers.Serializer):
    action = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.CharField(source="actor.username", default="")
    at = serializers.DateTimeField()
    comment = serializers.CharField()


class ReferralDetailSerializer(ReferralSummarySerializer):
    contact = serializers.SerializerMethodField()
    identity_shared = serializers.SerializerMethodField()
    victim = serializers.SerializerMethodField()
    assistance_details = serializers.SerializerMethodField()
    steps = ReferralStepSerializer(many=True, read_only=True)
    history = ReferralEventSerializer(source="events", many=True, read_only=True)

    class Meta(ReferralSummarySerializer.Meta):
        fields = [
            *ReferralSummarySerializer.Meta.fields,
            "contact",
            "identity_shared",
            "victim",
            "assistance_details",
            "steps",
            "history",
        ]

    def get_contact(self, referral) -> dict[str, str]:
        return {
            "name": referral.contact_name,
            "email": referral.contact_email,
            "phone": referral.contact_phone,
            "institution": referral.referring_institution.name,
        }

    def get_identity_shared(self, referral) -> bool:
        return self.context["disclosure"].identity_shared

    @extend_schema_field(VictimIdentitySerializer(allow_null=True))
    def get_victim(self, referral):
        identity = self.context["disclosure"].identity
        return VictimIdentitySerializer(identity).data if identity else None

    def get_assistance_details(self, referral) -> str:
        return self.context["disclosure"].assistance_details


class ReferralOpenSerializer(serializers.Serializer):
    victim = serializers.PrimaryKeyRelatedField(queryset=Victim.objects.none())
    assistance = serializers.ListField(
        child=enum_field(Assistance.choices, "ReferralAssistance"), allow_empty=False
    )
    assistance_details = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, default=""
    )
    urgency = enum_field(Urgency.choices, "ReferralUrgency")
    contact_name = serializers.CharField(max_length=150)
    contact_email = serializers.EmailField(required=False, allow_blank=True, default="")
    contact_phone = serializers.CharField(
        required=False, allow_blank=True, max_length=32, default=""
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["victim"].queryset = victims_referable_by(user=request.user)

    def validate(self, attrs):
        if not attrs.get("contact_email") and not attrs.get("contact_phone"):
            raise serializers.ValidationError(
                {"contact_email": [_("Give an e-mail or a phone number for the contact.")]}
            )
        return attrs


class TransitionSerializer(serializers.Serializer):
    action = enum_field([(name, name) for name in sorted(TRANSITIONS)], "ReferralAction")
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")
    outcome = enum_field(
        Outcome.choices, "ReferralOutcomeOrBlank", required=False, allow_blank=True, default=""
    )


class StepUpdateSerializer(serializers.Serializer):
    status = enum_field(StepStatus.choices, "ReferralStepStatus")
    due_on = serializers.DateField(required=False, allow_null=True, default=None)


def _visible(request, pk: int) -> Referral:
    try:
        return referral_visible(user=request.user, pk=pk, request=request)
    except Http404:
        raise NotFound() from None


def _detail(request, referral: Referral) -> dict:
    sides = referral_sides(user=request.user, referral=referral)
    disclosure = referral_disclosure(referral, side=side_for_reading(sides))
    referral_read_audit(
        actor=request.user, referral=referral, disclosure=disclosure, via="api", request=request
    )
    context = {"request": request, "disclosure": disclosure}
    return ReferralDetailSerializer(referral, context=context).data


class ReferralList(generics.ListCreateAPIView):
    """GET: the referrals sent (box=out) or received (box=in; the default for those who only
    answer referrals); no personal data.
    POST: refer a victim of your institution to their country of citizenship."""

    permission_classes = [IsReferralParty]
    serializer_class = ReferralSummarySerializer

    def get_serializer_class(self):
        return (
            ReferralOpenSerializer if self.request.method == "POST" else ReferralSummarySerializer
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("box", enum=["out", "in"], required=False),
            OpenApiParameter("state", enum=State.values, required=False),
        ]
    )
    def get(self, request, *args, **kwargs):
        return self.list(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        # The default box is the one the caller works in: a focal point only receives.
        default = "out" if can(self.request.user, Capability.OPEN_REFERRALS) else "in"
        box, state = params.get("box", default), params.get("state", "")
        errors = {}
        if box not in ("out", "in"):
            errors["box"] = [_("Use out or in.")]
        if state and state not in State.values:
            errors["state"] = [_("Unknown state.")]
        if errors:
            raise serializers.ValidationError(errors)
        return referrals_filtered(user=self.request.user, box=box, state=state)

    @extend_schema(request=ReferralOpenSerializer, responses={201: ReferralDetailSerializer})
    def post(self, request, *args, **kwargs):
        incoming = ReferralOpenSerializer(data=request.data, context={"request": request})
        incoming.is_valid(raise_exception=True)
        referral = referral_open(actor=request.user, request=request, **incoming.validated_data)
        referral = referral_visible(user=request.user, pk=referral.pk)
        return Response(_detail(request, referral), status=status.HTTP_201_CREATED)


class ReferralDetail(APIView):
    """One referral; the victim's identity only as the victim's consent allows."""

    permission_classes = [IsReferralParty]

    @extend_schema(responses=ReferralDetailSerializer)
    def get(self, request, pk: int):
        return Response(_detail(request, _visible(request, pk)))


class ReferralTransition(APIView):
    """Accept, decline (with a reason), start or close (with an outcome) a referral."""

    permission_classes = [IsReferralParty]
    http_method_names = ["post", "options"]

    @extend_schema(request=TransitionSerializer, responses=ReferralDetailSerializer)
    def post(self, request, pk: int):
        referral = _visible(request, pk)
        incoming = TransitionSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            referral = referral_transition(
                actor=request.user, referral=referral, request=request, **incoming.validated_data
            )
        except InvalidInput as error:
            if error.code not in INPUT_FIELD:
                raise
            field = INPUT_FIELD[error.code]
            raise serializers.ValidationError({field: [str(error.message)]}) from None
        return Response(_detail(request, _visible(request, referral.pk)))


class ReferralStepCreate(APIView):
    """Plan an assistance step of a referral, with its due date."""

    permission_classes = [IsReferralParty]
    http_method_names = ["post", "options"]

    @extend_schema(request=ReferralStepSerializer, responses={201: ReferralStepSerializer})
    def post(self, request, pk: int):
        referral = _visible(request, pk)
        incoming = ReferralStepSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        step = referral_step_add(
            actor=request.user,
            referral=referral,
            kind=incoming.validated_data["kind"],
            due_on=incoming.validated_data["due_on"],
            request=request,
        )
        return Response(ReferralStepSerializer(step).data, status=status.HTTP_201_CREATED)


class ReferralStepUpdate(APIView):
    """Change an assistance step's status or due date."""

    permission_classes = [IsReferralParty]
    http_method_names = ["patch", "options"]

    @extend_schema(request=StepUpdateSerializer, responses=ReferralStepSerializer)
    def patch(self, request, pk: int):
        step = ReferralStep.objects.select_related("referral").filter(pk=pk).first()
        if step is None:
            raise NotFound()
        _visible(request, step.referral_id)
        incoming = StepUpdateSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        step = referral_step_update(
            actor=request.user, step=step, request=request, **incoming.validated_data
        )
        return Response(ReferralStepSerializer(step).data)


class CountGroupSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    median_age_days = serializers.FloatField()
    oldest_age_days = serializers.IntegerField()


class ReferralCountsSerializer(serializers.Serializer):
    open_total = serializers.IntegerField()
    median_age_days = serializers.FloatField(allow_null=True)
    oldest_age_days = serializers.IntegerField(allow_null=True)
    by_home_country = CountGroupSerializer(many=True)
    by_referring_country = CountGroupSerializer(many=True)
    by_state = CountGroupSerializer(many=True)


class ReferralCounts(APIView):
    """The secretariat's figures: open referrals counted, with ages in days; no records."""

    permission_classes = [ReadsRegionalAggregates]

    @extend_schema(responses=ReferralCountsSerializer)
    def get(self, request):
        return Response(ReferralCountsSerializer(referral_counts()).data)
