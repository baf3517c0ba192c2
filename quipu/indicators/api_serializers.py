"""Serializers of survey rounds and submissions (input validation at the edge only)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from quipu.indicators.models import Survey
from quipu.indicators.round_models import Submission, SubmissionEvent, SurveyRound
from quipu.tenancy.models import Country, Institution, InstitutionKind, User


class RoundSerializer(serializers.ModelSerializer):
    survey = serializers.SlugRelatedField(slug_field="form_id", read_only=True)
    countries = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = SurveyRound
        fields = ["id", "title", "period", "survey", "opens_on", "due_on", "countries"]


class RoundOpenSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    period = serializers.RegexField(
        r"^\d{4}$", help_text=_("The year the answers describe, such as 2025.")
    )
    survey = serializers.PrimaryKeyRelatedField(queryset=Survey.objects.all())
    opens_on = serializers.DateField()
    due_on = serializers.DateField()
    countries = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=Country.objects.filter(is_member=True)
    )


class AssignSerializer(serializers.Serializer):
    institution = serializers.SlugRelatedField(
        slug_field="code", queryset=Institution.objects.all(), required=False
    )
    responsible = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.all(), required=False
    )
    # A plain string in the schema: the institution types' enum is the directory's to name.
    institution_kind = serializers.CharField(
        required=False, help_text=", ".join(InstitutionKind.values)
    )

    def validate_institution_kind(self, value: str) -> str:
        if value not in InstitutionKind.values:
            raise serializers.ValidationError(_("Choose one of the institution types given."))
        return value

    def validate(self, attrs):
        if attrs.get("institution_kind"):
            return attrs
        if not attrs.get("institution") or not attrs.get("responsible"):
            raise serializers.ValidationError(
                {"institution": [_("Give an institution and its responsible person, or a type.")]}
            )
        return attrs


class AnswersField(serializers.DictField):
    """Answers keyed by question path (`/data/group/question`, repeat positions as `[2]`)."""

    child = serializers.CharField(allow_blank=True)

    def to_internal_value(self, data):
        answers = super().to_internal_value(data)
        wrong = [
            key for key in answers if not (key.startswith("/") or key.startswith("__count__/"))
        ]
        if wrong:
            raise serializers.ValidationError(
                {key: [_("A question path starts with /.")] for key in wrong}
            )
        return answers


class DraftSerializer(serializers.Serializer):
    answers = AnswersField()


class StepSerializer(serializers.Serializer):
    answers = AnswersField(required=False)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=2000), required=False
    )


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = SubmissionEvent
        fields = ["at", "actor", "action", "from_state", "to_state", "comment"]


class SubmissionSerializer(serializers.ModelSerializer):
    institution = serializers.SlugRelatedField(slug_field="code", read_only=True)
    responsible = serializers.SlugRelatedField(slug_field="username", read_only=True)
    state = serializers.CharField(
        read_only=True, help_text="not_started, draft, submitted, returned, approved or accepted"
    )
    tracking_state = serializers.SerializerMethodField()
    locked = serializers.BooleanField(source="is_locked", read_only=True)
    actions = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "round",
            "institution",
            "responsible",
            "state",
            "tracking_state",
            "locked",
            "answers",
            "comments",
            "submitted_at",
            "updated_at",
            "actions",
            "history",
        ]

    def get_tracking_state(self, submission) -> str:
        return submission.tracking_state

    def get_actions(self, submission) -> list[str]:
        return list(self.context.get("actions", []))

    def get_history(self, submission) -> list[dict]:
        events = submission.events.select_related("actor").order_by("at", "pk")
        return EventSerializer(events, many=True).data


class SubmissionSummarySerializer(SubmissionSerializer):
    """A submission without its answers, comments, actions and history, for lists: its own
    schema, so that the documented list matches what the list returns (issue 13)."""

    class Meta(SubmissionSerializer.Meta):
        fields = [
            name
            for name in SubmissionSerializer.Meta.fields
            if name not in ("answers", "comments", "actions", "history")
        ]


class RoundTrackingSerializer(serializers.Serializer):
    country = serializers.CharField()
    submissions = SubmissionSummarySerializer(many=True)


class RoundDetailSerializer(RoundSerializer):
    """A round with each visible country's submissions and their states."""

    tracking = RoundTrackingSerializer(many=True, read_only=True)

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "tracking"]
