"""The dashboard's figures as JSON: the same selector as the page, no personal data."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from quipu.api.permissions import requires
from quipu.cooperation.dashboard.selectors import dashboard_figures
from quipu.tenancy.roles import Capability


class MetricSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.ChoiceField(choices=["count", "days"])


class SectionSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    metrics = MetricSerializer(many=True)
    figures = serializers.DictField(
        child=serializers.DictField(child=serializers.FloatField(allow_null=True)),
        help_text="Country code (or '' for the region) -> metric code -> value.",
    )


class DashboardSerializer(serializers.Serializer):
    countries = serializers.ListField(child=serializers.CharField())
    sections = SectionSerializer(many=True)


class CooperationDashboard(GenericAPIView):
    """Cooperation figures: the caller's country, or every member state for the secretariat."""

    serializer_class = DashboardSerializer
    permission_classes = [requires(Capability.READ_AGGREGATES)]

    @extend_schema(responses=DashboardSerializer)
    def get(self, request):
        countries, computed = dashboard_figures(user=request.user)
        payload = {
            "countries": countries,
            "sections": [
                {
                    "code": section.code,
                    "title": str(section.title),
                    "metrics": [
                        {"code": m.code, "label": str(m.label), "unit": m.unit}
                        for m in section.metrics
                    ],
                    "figures": figures,
                }
                for section, figures in computed
            ],
        }
        return Response(DashboardSerializer(payload).data)
