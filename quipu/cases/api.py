"""Thin DRF views over the case selectors; the permission layer scopes every row."""

from collections.abc import Mapping

from django import forms
from django.db.models import Model, QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from quipu.api.fields import RECORD_ID_MAX
from quipu.api.permissions import requires
from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.forms import CaseFilterForm, filter_countries
from quipu.cases.models import Case, Identifier, Person, RouteEvent
from quipu.cases.selectors import (
    case_identifiers,
    case_people,
    case_route_events,
    cases_filtered,
    identifiers_filtered,
    personal_ids_among,
    persons_filtered,
    route_events_filtered,
    user_reads_personal,
)
from quipu.cases.serializers import (
    CaseDetailSerializer,
    CaseSummarySerializer,
    IdentifierFilterSerializer,
    IdentifierRecordSerializer,
    PersonFilterSerializer,
    PersonRecordSerializer,
    RouteEventFilterSerializer,
    RouteEventRecordSerializer,
)
from quipu.cases.services import case_search_audit
from quipu.tenancy.permissions import get_visible_or_404
from quipu.tenancy.roles import Capability


def _filter_field(field: forms.Field) -> serializers.Field:
    """The API's description of one field of the case list's filter form."""
    if isinstance(field, forms.ChoiceField):
        choices = [(value, label) for value, label in field.choices if value != ""]
        # Blank is documented because the form reads it as "no filter", as the page sends it.
        return serializers.ChoiceField(
            choices=choices,
            required=False,
            allow_blank=True,
            allow_null=True,
            help_text=field.label,
        )
    if isinstance(field, forms.IntegerField):
        return serializers.IntegerField(
            required=False,
            allow_null=True,
            min_value=field.min_value,
            max_value=field.max_value,
            help_text=field.label,
        )
    return serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        max_length=field.max_length,
        help_text=field.label,
    )


class CaseFilterSerializer(serializers.Serializer):
    """The case list's filters, search words included (a POST body only). The rules stay in
    CaseFilterForm, which validates; this describes the same fields in the schema."""

    def get_fields(self):
        form = CaseFilterForm(countries=filter_countries())
        return {name: _filter_field(field) for name, field in form.fields.items()}


class CaseListFilterSerializer(CaseFilterSerializer):
    """The filters a GET may carry: never the search words, which may be names."""

    def get_fields(self):
        fields = super().get_fields()
        fields.pop("q")
        return fields


class CaseSearchPageSerializer(serializers.Serializer):
    """One page of the cases found, as every list of the API pages them."""

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = CaseSummarySerializer(many=True)


def _filters_valid(data) -> dict:
    """The filters as CaseFilterForm reads them; a filter it refuses is a 400 naming it, never
    a silently wider list."""
    if not isinstance(data, Mapping):
        raise serializers.ValidationError(
            {"non_field_errors": [_("Send the filters as an object of names and values.")]}
        )
    if isinstance(data, QueryDict):
        repeated = [name for name, values in data.lists() if len(values) > 1]
        if repeated:
            message = _("Give this filter once.")
            raise serializers.ValidationError({name: [message] for name in repeated})
        data = data.dict()
    # Each filter is one text or number (or null for none); a list, an object or true/false
    # would otherwise be read as its text ("False") or as no filter at all.
    wrong = [
        name
        for name, value in data.items()
        if isinstance(value, bool) or not isinstance(value, str | int | None)
    ]
    if wrong:
        raise serializers.ValidationError({name: [_("Send one text or number.")] for name in wrong})
    if not data:
        return {}  # no filter: the form (and its sorted country list) would read nothing
    form = CaseFilterForm(data, countries=filter_countries())
    if not form.is_valid():
        errors = form.errors.get_json_data()
        raise serializers.ValidationError(
            {name: [error["message"] for error in messages] for name, messages in errors.items()}
        )
    return form.cleaned_data


@extend_schema_view(get=extend_schema(parameters=[CaseListFilterSerializer]))
class CaseList(generics.ListAPIView):
    """Cases the caller may read, with the same filters as the case list page."""

    serializer_class = CaseSummarySerializer
    permission_classes = [requires(Capability.READ_DEIDENTIFIED)]

    def filter_data(self):
        if "q" in self.request.query_params:
            raise serializers.ValidationError(
                {
                    "q": [
                        _(
                            "Search words may be names: send them in the body of "
                            "POST /api/v1/cases/search/, never in the address."
                        )
                    ]
                }
            )
        return self.request.query_params

    def get_queryset(self):
        self.filters = _filters_valid(self.filter_data())
        return cases_filtered(user=self.request.user, filters=self.filters).order_by("-id")


class CaseSearch(CaseList):
    """The case list with filters, search words included, in the request body (rule 4)."""

    http_method_names = ["post", "options"]

    def filter_data(self):
        return self.request.data

    @extend_schema(
        operation_id="v1_cases_search",
        request=CaseFilterSerializer,
        responses={200: CaseSearchPageSerializer},
        parameters=[
            OpenApiParameter(
                "page",
                {"type": "integer", "minimum": 1, "maximum": RECORD_ID_MAX},
                description=_("A page number within the results."),
            )
        ],
    )
    def post(self, request, *args, **kwargs):
        response = self.list(request, *args, **kwargs)
        case_search_audit(
            actor=request.user,
            text=self.filters.get("q") or "",  # what was searched, as the list read it
            found=response.data["count"],  # page-number pagination counts the matches
            via="api",
            request=request,
        )
        return response


class CaseDetail(generics.RetrieveAPIView):
    serializer_class = CaseDetailSerializer
    permission_classes = [requires(Capability.READ_DEIDENTIFIED)]

    def get_object(self):
        try:
            case = get_visible_or_404(
                self.request.user,
                Case.objects.select_related("owner"),
                Capability.READ_DEIDENTIFIED,
                request=self.request,
                pk=self.kwargs["pk"],
            )
        except Http404:
            raise NotFound() from None
        self.personal = user_reads_personal(user=self.request.user, case=case)
        if self.personal:
            audit_record(
                actor=self.request.user,
                action=Action.READ,
                obj=case,
                request=self.request,
                detail={"personal": True, "via": "api"},
            )
        return case

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "personal": getattr(self, "personal", False)}


# Persons, route events and identifiers: read-only, scoped by the selectors, personal fields per
# row (PersonalPerRowMixin), and every read of personal data audited (DESIGN.md rule 3).


def _personal_list_audit(request, rows: list[Model], model: type[Model]) -> None:
    """One READ row per page that shows personal data, listing the ids, never values. The subject
    is the owner the rows share, so the owning country's focal point sees the read."""
    if not rows:
        return
    subjects = {row.audit_subject for row in rows}
    countries = {country for country, _ in subjects}
    audit_record(
        actor=request.user,
        action=Action.READ,
        object_type=model._meta.label_lower,
        subject_country=countries.pop() if len(countries) == 1 else "",
        subject_institution=subjects.pop()[1] if len(subjects) == 1 else "",
        request=request,
        detail={"personal": True, "via": "api", "ids": [row.pk for row in rows]},
    )


class RecordList(generics.ListAPIView):
    """A page of records, personal fields only on the rows the caller may read personally."""

    permission_classes = [requires(Capability.READ_DEIDENTIFIED)]
    model: type[Model]
    filter_serializer_class: type[serializers.Serializer]

    def filtered(self, filters: dict) -> QuerySet:
        raise NotImplementedError

    def get_queryset(self):
        # A malformed filter is a 400 naming the parameter, never a silently wider list.
        incoming = self.filter_serializer_class(data=self.request.query_params)
        incoming.is_valid(raise_exception=True)
        return self.filtered(incoming.validated_data)

    def personal_ids(self, rows: list[Model]) -> set[int]:
        return personal_ids_among(
            user=self.request.user, model=self.model, ids=[row.pk for row in rows]
        )

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        page = self.paginate_queryset(queryset)
        rows = list(queryset) if page is None else page
        self.personal = self.personal_ids(rows)
        body = self.get_serializer(rows, many=True).data
        _personal_list_audit(request, [row for row in rows if row.pk in self.personal], self.model)
        return self.get_paginated_response(body) if page is not None else Response(body)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "personal_ids": getattr(self, "personal", ())}


class RecordDetail(generics.RetrieveAPIView):
    """One record by id; 404 (audited as denied) outside the caller's scope."""

    permission_classes = [requires(Capability.READ_DEIDENTIFIED)]
    model: type[Model]
    capability = Capability.READ_DEIDENTIFIED

    def unscoped(self) -> QuerySet:
        raise NotImplementedError

    def personal_ids(self, row: Model) -> set[int]:
        return personal_ids_among(user=self.request.user, model=self.model, ids=[row.pk])

    def get_object(self):
        try:
            row = get_visible_or_404(
                self.request.user,
                self.unscoped(),
                self.capability,
                request=self.request,
                pk=self.kwargs["pk"],
            )
        except Http404:
            raise NotFound() from None
        self.personal = self.personal_ids(row)
        if self.personal:
            audit_record(
                actor=self.request.user,
                action=Action.READ,
                obj=row,
                request=self.request,
                detail={"personal": True, "via": "api"},
            )
        return row

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "personal_ids": getattr(self, "personal", ())}


@extend_schema_view(get=extend_schema(parameters=[PersonFilterSerializer]))
class PersonList(RecordList):
    """Victims and perpetrators of the cases the caller may read."""

    serializer_class = PersonRecordSerializer
    filter_serializer_class = PersonFilterSerializer
    model = Person

    def filtered(self, filters):
        return persons_filtered(user=self.request.user, filters=filters).order_by("-id")


class PersonDetail(RecordDetail):
    """One victim or perpetrator; 404 outside the caller's scope."""

    serializer_class = PersonRecordSerializer
    model = Person

    def unscoped(self):
        return case_people()


@extend_schema_view(get=extend_schema(parameters=[RouteEventFilterSerializer]))
class RouteEventList(RecordList):
    """Recruitment, transit and exploitation events of the cases the caller may read."""

    serializer_class = RouteEventRecordSerializer
    filter_serializer_class = RouteEventFilterSerializer
    model = RouteEvent

    def filtered(self, filters):
        return route_events_filtered(user=self.request.user, filters=filters).order_by("id")


class RouteEventDetail(RecordDetail):
    """One route event; 404 outside the caller's scope."""

    serializer_class = RouteEventRecordSerializer
    model = RouteEvent

    def unscoped(self):
        return case_route_events()


@extend_schema_view(get=extend_schema(parameters=[IdentifierFilterSerializer]))
class IdentifierList(RecordList):
    """Identifiers, for callers who read the owning case's personal data; empty for others."""

    serializer_class = IdentifierRecordSerializer
    filter_serializer_class = IdentifierFilterSerializer
    model = Identifier

    def filtered(self, filters):
        return identifiers_filtered(user=self.request.user, filters=filters).order_by("id")

    def personal_ids(self, rows):
        # The selector already scopes by READ_PERSONAL: every row listed is readable in full.
        return {row.pk for row in rows}


class IdentifierDetail(RecordDetail):
    """One identifier; 404 unless the caller reads the owning case's personal data."""

    serializer_class = IdentifierRecordSerializer
    model = Identifier
    # Without personal access an identifier is not there at all: 404, not a de-identified row.
    capability = Capability.READ_PERSONAL

    def unscoped(self):
        return case_identifiers()

    def personal_ids(self, row):
        return {row.pk}
