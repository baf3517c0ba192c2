"""Error pages, and domain exceptions mapped to HTTP answers: translated, never with data."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import DomainError
from quipu.tenancy.permissions import denial_record


def error_page(request, *, status: int, title: str, message: str):
    context = {"status": status, "title": title, "message": message}
    return render(request, "web/error.html", context, status=status)


def forbidden(request, exception=None):
    denial_record(getattr(request, "user", None), request=request, path=request.path)
    return error_page(
        request,
        status=403,
        title=_("Access denied"),
        message=_("Your role does not allow this. If you need it, ask your national focal point."),
    )


def not_found(request, exception=None):
    return error_page(
        request,
        status=404,
        title=_("Not found"),
        message=_("This page does not exist, or it is not visible to you."),
    )


def server_error(request):
    return error_page(
        request,
        status=500,
        title=_("Something went wrong"),
        message=_("The error was recorded. Try again, or tell your focal point if it persists."),
    )


def csrf_failure(request, reason=""):
    audit_record(
        actor=None,
        action=Action.BAD_REQUEST,
        detail={"reason": "csrf"},
        request=request,
    )
    return error_page(
        request,
        status=403,
        title=_("The form expired"),
        message=_(
            "For your security the form could not be sent. Reload the page and try again; "
            "your browser must accept cookies from this site."
        ),
    )


class DomainErrorMiddleware:
    """Turns a service's NotAllowed / InvalidTransition / InvalidInput into a translated page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DomainError):
            titles = {403: _("Access denied"), 409: _("Not possible now"), 422: _("Invalid data")}
            return error_page(
                request,
                status=exception.status,
                title=titles.get(exception.status, _("Invalid data")),
                message=str(exception.message),
            )
        return None
