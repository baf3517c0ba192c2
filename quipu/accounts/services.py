"""Two-factor login: enrolment and code checks. Devices are django-otp TOTP devices."""

import segno
from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice

from quipu.audit.models import Action
from quipu.audit.services import audit_record
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


def api_token_rotate(*, user, request=None) -> str:
    """Replace the user's API token; the new key is shown once and never stored in a log."""
    from rest_framework.authtoken.models import Token

    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=user,
        detail={"credential": "api_token"},
        request=request,
    )
    return token.key
