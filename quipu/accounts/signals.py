"""Sign-in refusals that would let anyone grow the audit log at will are counted and audited
rate-limited: usernames that name no account, and tries refused unchecked during a lock.

A real account's failed password and the start of its lock are audited one by one in
quipu.audit.signals."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver

from quipu.accounts.lockout import refused_sign_in_record
from quipu.accounts.models import RefusedSignInTally


@receiver(user_login_failed)
def count_refused_sign_in(sender, credentials, request=None, **kwargs):
    if request is None:
        return
    username = credentials.get("username")
    user = get_user_model().objects.filter(username=username).first() if username else None
    if user is None:
        refused_sign_in_record(request=request, kind=RefusedSignInTally.Kind.UNKNOWN_ACCOUNT)
    elif getattr(request, "axes_locked_out", False) and (
        getattr(request, "axes_failures_since_start", None) is None
    ):  # axes refused it unchecked, during a lock (the failure that starts one is counted)
        refused_sign_in_record(request=request, kind=RefusedSignInTally.Kind.LOCKED, user=user)
