"""Thin DRF views over the case selectors; the permission layer scopes every row."""

from rest_framework import generics
from rest_framework.exceptions import NotFound

from quipu.api.permissions import requires
from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.forms import CaseFilterForm, filter_countries
from quipu.cases.models import Case
from quipu.cases.selectors import cases_filtered, user_reads_personal
from quipu.cases.serializers import CaseDetailSerializer, CaseSummarySerializer
from quipu.tenancy.permissions import get_visible_or_404
from quipu.tenancy.roles import Capability


class CaseList(generics.ListAPIView):
    """Cases the caller may read, with the same filters as the case list page."""

    serializer_class = CaseSummarySerializer
    permission_classes = [requires(Capability.READ_DEIDENTIFIED)]

    def get_queryset(self):
        form = CaseFilterForm(self.request.query_params or None, countries=filter_countries())
        filters = form.cleaned_data if form.is_valid() else {}
        return cases_filtered(user=self.request.user, filters=filters).order_by("-id")


class CaseDetail(generics.RetrieveAPIView):
    serializer_class = CaseDetailSerializer
    permission_classes = [requires(Capability.READ_DEIDENTIFIED)]

    def get_object(self):
        from django.http import Http404

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
