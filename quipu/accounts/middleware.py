from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from quipu.accounts.services import two_factor_required

# Pages a user who still owes a second factor may reach.
OPEN_ROUTES = ("accounts:two_factor_setup", "accounts:logout", "web:set_language")


class TwoFactorRequiredMiddleware:
    """With QUIPU_REQUIRE_2FA, personal-data roles use nothing until their second factor passes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and two_factor_required(user)
            and not request.path.startswith("/static/")
            and request.path not in {reverse(name) for name in OPEN_ROUTES}
        ):
            if request.path.startswith("/api/"):
                message = _("Two-factor login is required for your role.")
                return JsonResponse({"detail": message}, status=403)
            return redirect("accounts:two_factor_setup")
        return self.get_response(request)
