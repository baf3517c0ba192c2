"""Case data for the API: personal fields only for users who may read them, from personal.py."""

from rest_framework import serializers

from quipu.cases.fields import CodeSet
from quipu.cases.models import Case, Identifier, Person, RouteEvent, Victim
from quipu.cases.personal import personal_fields


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
        exclude = ["case"]


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
