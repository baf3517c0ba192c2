"""Case data for the API: personal fields only for users who may read them, from personal.py."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from quipu.api.fields import RecordIdField
from quipu.cases.fields import CodeSet
from quipu.cases.models import Case, Identifier, Person, RouteEvent, Victim
from quipu.cases.personal import personal_fields
from quipu.cases.vocabulary import codes


class CodeSetField(serializers.Field):
    def to_representation(self, value: CodeSet):
        return {"present": sorted(value.present), "absent": sorted(value.absent)}


class PersonalFieldsMixin:
    """Drops the model's personal fields unless the context says the reader may see them."""

    def get_fields(self):
        fields = super().get_fields()
        if not self.context.get("personal"):
            for name in personal_fields(self.Meta.model):
                fields.pop(name, None)
        return fields


class IdentifierSerializer(PersonalFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Identifier
        fields = ["id", "kind", "value", "document_type", "issuing_country"]


class PersonSerializer(PersonalFieldsMixin, serializers.ModelSerializer):
    identifiers = serializers.SerializerMethodField()

    class Meta:
        model = Person
        exclude = ["owner", "created_at", "updated_at"]

    def get_identifiers(self, person) -> list[dict]:
        if not self.context.get("personal"):
            return []
        return IdentifierSerializer(person.identifiers.all(), many=True, context=self.context).data


class RouteEventSerializer(PersonalFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = RouteEvent
        fields = "__all__"


class VictimSerializer(PersonalFieldsMixin, serializers.ModelSerializer):
    person = serializers.SerializerMethodField()
    recruitment_websites = CodeSetField()
    recruitment_methods = CodeSetField()
    control_methods = CodeSetField()
    exploitation_types = CodeSetField()
    labour_industries = CodeSetField()
    sex_exploitation_types = CodeSetField()
    exploitation_websites = CodeSetField()
    vulnerabilities = CodeSetField()
    recruiter_relations = CodeSetField()

    class Meta:
        model = Victim
        exclude = ["case"]

    def get_person(self, victim) -> dict:
        return PersonSerializer(victim.person, context=self.context).data


class CaseSummarySerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.code")
    country = serializers.CharField(source="owner.country_id", allow_null=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "reference",
            "kind",
            "status",
            "registration_year",
            "registered_on",
            "datasource",
            "owner",
            "country",
            "created_at",
            "updated_at",
        ]


class CaseDetailSerializer(PersonalFieldsMixin, serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.code")
    country = serializers.CharField(source="owner.country_id", allow_null=True)
    victims = serializers.SerializerMethodField()
    route_events = serializers.SerializerMethodField()

    class Meta:
        model = Case
        exclude = ["source_hash", "source_extras", "created_by"]

    def get_victims(self, case) -> list[dict]:
        victims = case.victims.select_related("person")
        return VictimSerializer(victims, many=True, context=self.context).data

    def get_route_events(self, case) -> list[dict]:
        return RouteEventSerializer(case.route_events.all(), many=True, context=self.context).data


# The record endpoints (persons, route events, identifiers). One page can hold rows whose
# personal data the reader may and may not read, so the decision is per row, not per serializer.


class PersonalPerRowMixin:
    """Omits the model's personal fields from every row whose id is not in
    context["personal_ids"]: absent, not blanked, so a reader cannot tell a value was there."""

    def get_fields(self):
        fields = super().get_fields()
        for name in personal_fields(self.Meta.model) & fields.keys():
            fields[name].required = False  # so the OpenAPI schema says they may be absent
        return fields

    def to_representation(self, instance):
        row = super().to_representation(instance)
        if instance.pk not in self.context.get("personal_ids", ()):
            for name in personal_fields(self.Meta.model):
                row.pop(name, None)
        return row


class PersonRecordSerializer(PersonalPerRowMixin, serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.code")
    country = serializers.CharField(source="owner.country_id", allow_null=True)
    victim_in = serializers.SerializerMethodField(help_text=_("Cases where this is a victim."))
    perpetrator_in = serializers.SerializerMethodField(
        help_text=_("Cases where this is a perpetrator.")
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "owner",
            "country",
            "victim_in",
            "perpetrator_in",
            "first_name",
            "middle_name",
            "second_name",
            "birthdate",
            "gender",
            "deceased",
            "marital_status",
            "number_of_children",
            "primary_language",
            "secondary_language",
            "education",
            "citizenship",
            "mailing_street",
            "mailing_city",
            "mailing_state",
            "mailing_postal_code",
            "mailing_country",
        ]

    # Both read the prefetched contexts (selectors.case_people), never one query per row.
    def get_victim_in(self, person) -> list[int]:
        return sorted(context.case_id for context in person.victim_contexts.all())

    def get_perpetrator_in(self, person) -> list[int]:
        return sorted(context.case_id for context in person.perpetrator_contexts.all())


class RouteEventRecordSerializer(PersonalPerRowMixin, serializers.ModelSerializer):
    case = serializers.IntegerField(source="victim.case_id", read_only=True)

    class Meta:
        model = RouteEvent
        fields = [
            "id",
            "case",
            "victim",
            "event_type",
            "date",
            "country",
            "state",
            "city",
            "street",
            "postal_code",
            "latitude",
            "longitude",
            "description",
        ]


class IdentifierRecordSerializer(PersonalPerRowMixin, serializers.ModelSerializer):
    class Meta:
        model = Identifier
        fields = ["id", "person", "kind", "value", "document_type", "issuing_country"]


class PersonFilterSerializer(serializers.Serializer):
    case = RecordIdField(required=False, help_text=_("Only the people of this case."))


class RouteEventFilterSerializer(serializers.Serializer):
    case = RecordIdField(required=False, help_text=_("Only the route events of this case."))
    country = serializers.RegexField(
        r"^([A-Za-z]{2})?$",
        required=False,
        allow_blank=True,  # an empty filter is no filter
        help_text=_("ISO 3166-1 alpha-2 code of the country where the event happened."),
        error_messages={"invalid": _("Enter a two-letter country code.")},
    )
    event_type = serializers.ChoiceField(
        choices=[],
        required=False,
        allow_blank=True,  # an empty filter is no filter, as DRF reads it from a query string
        help_text=_("Recruitment, Transit or Exploitation."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event_type"].choices = codes("route_event_type")


class IdentifierFilterSerializer(serializers.Serializer):
    person = RecordIdField(required=False, help_text=_("Only the identifiers of this person."))
