"""Password reset by e-mail, under the sign-in's lockout and audit rules (issue 14, item 7).

- The answer to a request is the same whether or not the e-mail names an account, and the
  e-mail itself goes out from the background worker, so neither the page nor its timing tells.
- Requests are limited per e-mail and address, AXES_FAILURE_LIMIT per QUIPU_LOCKOUT_MINUTES,
  as sign-ins are per username and address; the e-mail is kept only as a keyed digest.
- Every step is audited with ids and codes, never the e-mail: a link sent to a known account
  and a password set through a link one row each; unknown e-mails, refused requests and bad
  links (which anyone can repeat) counted and audited at doubling counts (lockout.py).
- The link is Django's one-time token (it changes with the password and the last sign-in) and
  expires after QUIPU_PASSWORD_RESET_MINUTES. A reset ends every session (Django checks the
  password hash kept in each session) and deletes every API token; two-factor login stays as
  it was, so a user who has an authenticator still needs it to sign in.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from quipu.accounts.lockout import _AnonymousRequest, client_address, refused_sign_in_record
from quipu.accounts.models import ApiToken, PasswordResetRequest, RefusedSignInTally
from quipu.audit.models import Action
from quipu.audit.services import audit_record

_DIGEST_SALT = "quipu.accounts.reset.identifier"


def _identifier_digest(email: str) -> str:
    return salted_hmac(_DIGEST_SALT, email.strip().casefold()).hexdigest()


def _window() -> timedelta:
    return timedelta(minutes=settings.QUIPU_LOCKOUT_MINUTES)


def password_reset_wait_minutes(*, request, email: str) -> int:
    """0 when a link may be requested for `email` from this address; otherwise the minutes
    until the oldest request of the pair in the window leaves it."""
    since = timezone.now() - _window()
    times = list(
        PasswordResetRequest.objects.filter(
            identifier_digest=_identifier_digest(email),
            address=client_address(request),
            at__gte=since,
        )
        .order_by("at")
        .values_list("at", flat=True)
    )
    if len(times) < settings.AXES_FAILURE_LIMIT:
        return 0
    remaining = times[-settings.AXES_FAILURE_LIMIT] + _window() - timezone.now()
    return max(1, -(-int(remaining.total_seconds()) // 60))


def _users_for(email: str) -> list:
    """Active accounts with this e-mail and a password to reset (as Django's reset form)."""
    users = get_user_model().objects.filter(email__iexact=email.strip(), is_active=True)
    return [user for user in users if user.has_usable_password()]


def password_reset_request(*, request, email: str) -> int:
    """Record a request and queue the link for each account with `email`; returns how many.
    The caller answers the same whatever this returns."""
    from quipu.accounts.tasks import password_reset_email_task

    PasswordResetRequest.objects.create(
        identifier_digest=_identifier_digest(email), address=client_address(request)
    )
    users = _users_for(email)
    if not users:
        refused_sign_in_record(request=request, kind=RefusedSignInTally.Kind.RESET_UNKNOWN)
        return 0
    language = translation.get_language() or settings.LANGUAGE_CODE
    for user in users:
        audit_record(
            actor=None,
            action=Action.CREATE,
            obj=user,
            detail={"credential": "password_reset_link"},
            request=_AnonymousRequest(request),
        )
        password_reset_email_task.enqueue(user.pk, language)
    return len(users)


def password_reset_refused(*, request) -> None:
    """A request over the limit: counted and audited at doubling counts, nothing sent."""
    refused_sign_in_record(request=request, kind=RefusedSignInTally.Kind.RESET_LIMITED)


def password_reset_bad_link(*, request) -> None:
    """A link that is wrong, used or expired was opened."""
    refused_sign_in_record(request=request, kind=RefusedSignInTally.Kind.RESET_BAD_LINK)


def password_reset_email_send(*, user_id: int, language: str) -> bool:
    """Write the link to the account's e-mail, in the language of its notification settings,
    else the one the request was made in. The link is built on QUIPU_BASE_URL."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        return False
    preference = getattr(user, "notification_settings", None)
    context = {
        "link": settings.QUIPU_BASE_URL.rstrip("/")
        + reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        ),
        "username": user.get_username(),
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
    }
    with translation.override(preference.language if preference else language):
        subject = _("[Quipu] Reset your password")
        body = render_to_string("accounts/password_reset_email.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


def password_reset_complete(*, user, request) -> int:
    """After a password was set through a link: delete the user's API tokens and audit it.
    Sessions need nothing here: each keeps a hash of the old password and no longer opens."""
    tokens = ApiToken.objects.filter(user=user)
    revoked = tokens.count()
    tokens.delete()
    audit_record(
        actor=user,
        action=Action.UPDATE,
        obj=user,
        detail={"credential": "password", "via": "reset_link", "api_tokens_revoked": revoked},
        request=request,
    )
    return revoked
