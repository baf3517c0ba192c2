"""Progress as JSON: each country's baseline, latest value, change, target and status per
indicator, decided by the same selectors as the pages (no personal data)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from quipu.api.permissions import requires
from quipu.progress.selectors import (
    member_countries,
    period_chosen,
    periods_until,
    progress_periods,
    progress_table,
    reading_for,
)
from quipu.progress.values import active_indicators
from quipu.tenancy.roles import Capability


def _number(value):
    return None if value is None else float(value)


class ProgressRowSerializer(serializers.Serializer):
    indicator = serializers.CharField()
    country = serializers.CharField()
    unit = serializers.CharField()
    baseline_period = serializers.CharField(allow_null=True)
    baseline = serializers.FloatField(allow_null=True)
    latest_period = serializers.CharField(allow_null=True)
    latest = serializers.FloatField(allow_null=True)
    latest_state = serializers.ChoiceField(choices=["value", "no_data", "suppressed"])
    pending = serializers.BooleanField()
    change = serializers.FloatField(allow_null=True)
    target = serializers.FloatField(allow_null=True)
    target_year = serializers.IntegerField(allow_null=True)
    status = serializers.ChoiceField(choices=["on_track", "off_track", "no_data", "no_target"])


class ProgressSerializer(serializers.Serializer):
    period = serializers.CharField()
    periods = serializers.ListField(child=serializers.CharField())
    regional = serializers.BooleanField()
    results = ProgressRowSerializer(many=True)


class ProgressValues(GenericAPIView):
    """Every member state (regional view), or one with ?country=XX: its own figures, pending
    answers included, when the caller is that country's focal point or analyst."""

    serializer_class = ProgressSerializer
    permission_classes = [requires(Capability.READ_AGGREGATES)]

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, description="A year; the latest period if absent."),
            OpenApiParameter("country", str, description="ISO code of one member state."),
        ],
        responses=ProgressSerializer,
    )
    def get(self, request):
        periods = progress_periods()
        period = period_chosen(request.query_params.get("period"), periods)
        members = [c.code for c in member_countries()]
        asked = (request.query_params.get("country") or "").upper()
        if asked and asked not in members:
            raise NotFound()
        countries = [asked] if asked else members
        reading = reading_for(request.user, country=asked or None)
        table = progress_table(
            countries=countries, periods=periods_until(periods, period), reading=reading
        )
        units = {i.code: i.unit for i in active_indicators()}
        results = [
            {
                "indicator": code,
                "country": country,
                "unit": units[code],
                "baseline_period": p.baseline_period,
                "baseline": _number(p.baseline.value) if p.baseline else None,
                "latest_period": p.latest_period,
                "latest": _number(p.latest.value) if p.latest else None,
                "latest_state": p.latest.state if p.latest else "no_data",
                "pending": p.pending,
                "change": _number(p.change),
                "target": _number(p.target.value) if p.target else None,
                "target_year": p.target.year if p.target else None,
                "status": p.status,
            }
            for (code, country), p in table.items()
        ]
        payload = {
            "period": period,
            "periods": periods,
            "regional": not reading.national,
            "results": results,
        }
        return Response(ProgressSerializer(payload).data)
