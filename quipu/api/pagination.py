"""Page-number pagination whose `page` is checked like every other integer parameter."""

from rest_framework import pagination, serializers

from quipu.api.fields import RECORD_ID_MAX, positive_integer_error, positive_integer_parse


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's pages; a `page` that is not a whole number from 1 up is a 400 naming it, and a
    page past the last one stays a 404."""

    def get_page_number(self, request, paginator):
        page = request.query_params.get(self.page_query_param)
        if page is None or page in self.last_page_strings:
            return super().get_page_number(request, paginator)
        if positive_integer_parse(page) is None:
            raise serializers.ValidationError(
                {self.page_query_param: [positive_integer_error("page")]}
            )
        return page

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1, maximum=RECORD_ID_MAX)
        return parameters
