"""Sign-ins, sign-outs, failures and lockouts go to the audit log."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from quipu.audit.models import Action
from quipu.audit.services import audit_record


def _known_user(username: str | None):
    # A mistyped username may be a password: only a real account's name is kept.
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def _refused_during_lock(request) -> bool:
    # Axes marks a try it refused unchecked as locked out without counting it; the failure
    # that starts a lock is counted (whichever receiver runs first).
    return getattr(request, "axes_locked_out", False) and (
        getattr(request, "axes_failures_since_start", None) is None
    )


@receiver(user_logged_in)
def audit_login(sender, request, user, **kwargs):
    audit_record(actor=user, action=Action.LOGIN, obj=user, request=request)


@receiver(user_logged_out)
def audit_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, action=Action.LOGOUT, obj=user, request=request)


@receiver(user_login_failed)
def audit_login_failed(sender, credentials, request=None, **kwargs):
    user = _known_user(credentials.get("username"))
    if user is None or _refused_during_lock(request):
        return  # unknown names and tries refused during a lock: quipu.accounts.signals counts
    reason = "inactive" if user is not None and not user.is_active else "credentials"
    audit_record(
        actor=None,
        action=Action.LOGIN_FAILED,
        obj=user,
        detail={"reason": reason, "known_account": user is not None},
        request=None if request is None else _AnonymousRequest(request),
    )


@receiver(user_locked_out)
def audit_locked_out(sender, request, username, ip_address, **kwargs):
    user = _known_user(username)
    if user is None or getattr(request, "axes_failures_since_start", None) is None:
        return  # only a lock's start; quipu.accounts.signals counts the rest, rate-limited
    audit_record(
        actor=None,
        action=Action.LOCKED_OUT,
        obj=user,
        detail={"known_account": user is not None},
        request=_AnonymousRequest(request) if request is not None else None,
    )


class _AnonymousRequest:
    """The request's address without its (not yet signed-in) user."""

    def __init__(self, request):
        self.META = getattr(request, "META", {})
        self.user = None
