from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.web.errors import error_page
from quipu.web.selectors import dashboard_for


@login_required
def home(request):
    return render(request, "web/home.html", dashboard_for(user=request.user))


@require_POST
def set_language(request):
    """The switcher. The choice goes in a cookie (and the session), never in the URL."""
    code = request.POST.get("language", "")
    if code not in dict(settings.LANGUAGES):
        audit_record(
            actor=None, action=Action.BAD_REQUEST, detail={"reason": "language"}, request=request
        )
        return error_page(
            request,
            status=400,
            title=_("Unknown language"),
            message=_("Choose Español, Português or English."),
        )
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    translation.activate(code)
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=False,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response
