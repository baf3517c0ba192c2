"""Two-factor login (django-otp TOTP devices) and personal API tokens."""

import segno
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.errors import NotAllowed
from quipu.tenancy.permissions import principal_for
from quipu.tenancy.roles import PERSONAL_DATA_ROLES


def two_factor_required(user) -> bool:
    """Whether `user` must pass a second factor: QUIPU_REQUIRE_2FA and a personal-data role."""
    if not settings.REQUIRE_2FA:
        return False
    return bool(principal_for(user).roles & {r.value for r in PERSONAL_DATA_ROLES})


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_device(user) -> TOTPDevice:
    """The user's unconfirmed device, made on first call so the QR code stays the same."""
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "authenticator"}
    )
    return device


def enrolment_qr_svg(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#1d2433")


def otp_check(*, user, device: TOTPDevice, token: str, request) -> bool:
    """Check a code; audit a wrong one. django-otp throttles repeated failures itself."""
    if device.verify_token(token):
        return True
    audit_record(actor=user, action=Action.OTP_FAILED, obj=user, request=request)
    return False


def otp_enrol_confirm(*, user, device: TOTPDevice, token: str, request) -> bool:
    if not otp_check(user=user, device=device, token=token, request=request):
        return False
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action=Action.OTP_ENABLED, obj=user, request=request)
    return True


def api_token_create(*, user, request) -> str:
    """Make an API token for `user`, who is signed in on `request`; the key is returned once
    and only its digest is stored. Where two-factor login is required, only after it."""
    from quipu.accounts.models import ApiToken

    device = getattr(user, "otp_device", None)
    if not isinstance(device, TOTPDevice):
        device = None
    if two_factor_required(user) and device is None:
        raise NotAllowed(_("Sign in with your second factor before creating an API token."))
    token, key = ApiToken.objects.create(user=user, second_factor=device)
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=user,
        detail={"credential": "api_token", "token": token.short_id},
        request=request,
    )
    return key


def api_token_revoke(*, actor, public_id, request=None) -> None:
    """Revoke a token of the actor's own, or of a user the actor manages (audited)."""
    from quipu.accounts.selectors import api_token_revocable_by

    token = api_token_revocable_by(user=actor, public_id=public_id)
    if token is None:
        raise NotAllowed(_("This token does not exist or is not yours to revoke."))
    owner = token.user
    short_id = token.short_id
    token.delete()
    audit_record(
        actor=actor,
        action=Action.DELETE,
        obj=owner,
        detail={"credential": "api_token", "token": short_id, "owner": owner.pk},
        request=request,
    )


def sign_in_records_prune() -> int:
    """Daily: delete expired API tokens (knox removes them only when their owner next calls)
    and sign-in failure records past their use; returns how many rows went."""
    from django.utils import timezone

    from quipu.accounts.lockout import sign_in_failures_forget
    from quipu.accounts.models import ApiToken

    now = timezone.now()
    tokens, _ = ApiToken.objects.filter(expiry__lt=now).delete()
    return tokens + sign_in_failures_forget(now)
