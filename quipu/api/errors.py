from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from quipu.errors import DomainError


def exception_handler(exc, context):
    """DRF's handler, plus domain errors as 403/409/422 with a translated message and a code."""
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": exc.code}, status=exc.status)
    return drf_exception_handler(exc, context)
