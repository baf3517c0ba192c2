from rest_framework import serializers

from quipu.audit.models import AuditEntry
from quipu.tenancy.models import Country, Institution, User


class CountrySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Country
        fields = ["code", "alpha3", "name", "name_es", "name_pt", "name_en", "is_member"]


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["code", "name", "kind", "country", "located_in", "email", "phone", "is_active"]


class UserSerializer(serializers.ModelSerializer):
    institution = serializers.CharField(source="membership.institution.code", default=None)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "institution",
            "roles",
        ]

    def get_roles(self, user) -> list[str]:
        membership = getattr(user, "membership", None)
        return sorted(row.role for row in membership.role_rows.all()) if membership else []


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    institution = serializers.CharField(allow_null=True)
    country = serializers.CharField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    capabilities = serializers.ListField(child=serializers.CharField())


class AuditEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEntry
        fields = [
            "seq",
            "at",
            "actor_username",
            "actor_institution",
            "actor_country",
            "action",
            "object_type",
            "object_id",
            "subject_country",
            "subject_institution",
            "purpose",
            "hash",
        ]
