import time

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
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


# How often a signed-in user's requests push the session's idle expiry forward.
SESSION_REFRESH_SECONDS = 60
_TOUCHED = "_quipu_touched"


def _now() -> int:
    return int(time.time())


class SessionIdleRefreshMiddleware:
    """Sessions expire after SESSION_COOKIE_AGE of inactivity, moved forward at most once a
    minute rather than on every request.

    Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) made each page, and each
    poll of a progress bar, a database write. On SQLite writes wait for the one writer, and
    while an import or the encoding after it held the lock, pages failed after the busy
    timeout. Goes after SessionMiddleware, so the session is saved on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.is_empty():
            now = _now()
            if now - session.get(_TOUCHED, 0) >= SESSION_REFRESH_SECONDS:
                session[_TOUCHED] = now  # modified: saved with a new expiry
        return response


class NoStoreForSignedInMiddleware:
    """Nothing served to a signed-in user or a token holder is kept by a browser or a proxy.

    Pages and API answers may carry personal data; a shared computer's cache or the back button
    after signing out would show it again. Every answer to an authenticated request gets
    Cache-Control: no-store (with private and max-age=0), whatever the view set, rather than
    each view deciding whether it holds personal data. DRF puts a token's user on the request,
    so API answers are covered too. Goes after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response
