"""Sign-in lockout (django-axes) by username and address, with a delay that grows, and the
rate-limited audit of refusals nobody can be blamed for (issue 13, finding 16).

Axes locks the pair (username, address): someone who knows a username can lock it only from
their own address, not for its owner elsewhere. Each further round of failures of the pair
within a day doubles the delay, up to QUIPU_LOCKOUT_MAX_MINUTES."""

import ipaddress
from datetime import datetime, timedelta

from axes.helpers import get_client_username
from axes.models import AccessFailureLog
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from quipu.accounts.models import PasswordResetRequest, RefusedSignInTally
from quipu.audit.models import Action
from quipu.audit.services import audit_record

# How far back earlier rounds of failures count towards a longer delay.
PROGRESSION_MEMORY = timedelta(days=1)


def client_address(request) -> str | None:
    """AXES_CLIENT_IP_CALLABLE: the client's address. Behind QUIPU_TRUSTED_PROXIES reverse
    proxies, REMOTE_ADDR is the nearest proxy's, the same for everyone, and locking a username
    from it would lock it everywhere; each proxy appends the address it was reached from to
    X-Forwarded-For, so the client is that many entries from the end (entries before it are
    whatever the client sent, and are ignored)."""
    address = request.META.get("REMOTE_ADDR", "")
    hops = settings.QUIPU_TRUSTED_PROXIES
    if hops:
        header = request.META.get("HTTP_X_FORWARDED_FOR", "")
        forwarded = [part.strip() for part in header.split(",") if part.strip()]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def lockout_cool_off(request=None) -> timedelta:
    """AXES_COOLOFF_TIME: the base delay, doubled for each earlier full round of failures of
    this username from this address within a day, capped.

    Axes asks before and after each attempt; counting the attempt in progress as one more
    (+1 below) makes both answers agree, so a pair's record does not expire before its lock."""
    base = timedelta(minutes=settings.QUIPU_LOCKOUT_MINUTES)
    cap = timedelta(minutes=settings.QUIPU_LOCKOUT_MAX_MINUTES)
    address = getattr(request, "axes_ip_address", None)
    username = get_client_username(request) if request is not None else None
    if not address or not username:
        return base
    failures = AccessFailureLog.objects.filter(
        username=username,
        ip_address=address,
        attempt_time__gte=timezone.now() - PROGRESSION_MEMORY,
    ).count()
    rounds = (failures + 1) // settings.AXES_FAILURE_LIMIT
    doublings = min(max(rounds - 1, 0), 20)  # bounded before multiplying: timedelta overflows
    return min(base * 2**doublings, cap)


def _window_start(moment: datetime) -> datetime:
    minutes = settings.QUIPU_REFUSED_SIGNIN_WINDOW_MINUTES
    since_midnight = moment.hour * 60 + moment.minute
    start = since_midnight - since_midnight % minutes
    return moment.replace(hour=start // 60, minute=start % 60, second=0, microsecond=0)


def _tally_add(*, address: str | None, kind: str, window_start: datetime) -> int:
    """One more refusal of `kind` for `address` in the window; returns the count so far."""
    rows = RefusedSignInTally.objects.filter(address=address, kind=kind, window_start=window_start)
    if not rows.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RefusedSignInTally.objects.create(
                    address=address, kind=kind, window_start=window_start, count=1
                )
        except IntegrityError:  # another request opened the window first
            rows.update(count=F("count") + 1)
        sign_in_failures_forget(window_start)
    # A sum: rows without an address are not kept unique by the database (NULLs differ).
    return sum(rows.values_list("count", flat=True))


def sign_in_failures_forget(now: datetime) -> int:
    """Drop tallies and axes' failure log older than twice the memory, so neither grows
    without bound (the failure log keeps typed usernames). Run once per new window and daily."""
    horizon = now - 2 * PROGRESSION_MEMORY
    tallies, _ = RefusedSignInTally.objects.filter(window_start__lt=horizon).delete()
    failures, _ = AccessFailureLog.objects.filter(attempt_time__lt=horizon).delete()
    resets, _ = PasswordResetRequest.objects.filter(at__lt=horizon).delete()
    return tallies + failures + resets


def _address(request) -> str | None:
    """The address axes resolved for this attempt (the same one the lockout uses)."""
    raw = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


# The audit action of each kind of refusal; sign-ins with an unknown username are LOGIN_FAILED.
_REFUSAL_ACTIONS = {
    RefusedSignInTally.Kind.LOCKED: Action.LOCKED_OUT,
    RefusedSignInTally.Kind.RESET_LIMITED: Action.LOCKED_OUT,
    RefusedSignInTally.Kind.RESET_UNKNOWN: Action.BAD_REQUEST,
    RefusedSignInTally.Kind.RESET_BAD_LINK: Action.BAD_REQUEST,
}


def refused_sign_in_record(*, request, kind: str, user=None) -> None:
    """Count a sign-in refused without an account to blame (an unknown username) or unchecked
    during a lock, or a password-reset step anyone can repeat (reset.py); audit it at the 1st,
    2nd, 4th, 8th... refusal of its kind from its address in the window, each row carrying the
    count so far."""
    window_start = _window_start(timezone.now())
    count = _tally_add(address=_address(request), kind=kind, window_start=window_start)
    if count & (count - 1):  # not a power of two
        return
    action = _REFUSAL_ACTIONS.get(kind, Action.LOGIN_FAILED)
    audit_record(
        actor=None,
        action=action,
        obj=user,
        detail={
            "reason": kind,
            "known_account": user is not None,
            "refusals_in_window": count,
            "window_minutes": settings.QUIPU_REFUSED_SIGNIN_WINDOW_MINUTES,
        },
        request=_AnonymousRequest(request),
    )


class _AnonymousRequest:
    """The request's address without its (not yet signed-in) user."""

    def __init__(self, request):
        self.META = getattr(request, "META", {})
        self.user = None
