"""Sign-in: argon2 hashes, lockout, disabled accounts, two-factor login, sessions, headers."""

import pytest
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from quipu.audit.models import Action, AuditEntry
from tests.conftest import SHIPPED_HASHERS

pytestmark = pytest.mark.django_db
PASSWORD = "quipu-demo-2026"


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, **extra
    )


def _code(device: TOTPDevice, offset: int = 0) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset)
    return f"{value:06d}"


def test_passwords_are_hashed_with_argon2_as_shipped(region):
    assert SHIPPED_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=SHIPPED_HASHERS):
        user = region.user("focal.co")
        user.set_password("otra-clave-segura-2026")
        user.save()
        assert user.password.startswith("argon2$argon2id$")
        client = Client()
        assert _sign_in(client, "focal.co", "otra-clave-segura-2026").status_code == 302


def test_signing_in_lands_on_the_home_page_and_is_audited(client, region):
    response = _sign_in(client, "focal.co")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:home")
    entry = AuditEntry.objects.get(action=Action.LOGIN)
    assert (entry.actor_username, entry.actor_country) == ("focal.co", "CO")


def test_wrong_password_gets_a_translated_error_and_is_audited(client, region):
    response = _sign_in(client, "focal.co", "wrong", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 200
    assert (
        "Por favor, introduzca un nombre de usuario y clave correctos" in response.content.decode()
    )
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert entry.detail == {"reason": "credentials", "known_account": True}
    assert "wrong" not in str(entry.detail)


def test_unknown_username_is_not_stored(client, region):
    _sign_in(client, "my-password-typed-here", "x")
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert entry.object_id == ""
    assert "my-password" not in entry.actor_username + str(entry.detail)


def test_disabled_account_is_told_so_in_portuguese_and_audited(client, region):
    user = region.user("consul.br")
    user.is_active = False
    user.save()
    response = _sign_in(client, "consul.br", HTTP_ACCEPT_LANGUAGE="pt-BR")
    assert response.status_code == 200
    assert "Esta conta está desativada" in response.content.decode()
    entry = AuditEntry.objects.get(action=Action.LOGIN_FAILED)
    assert entry.detail["reason"] == "inactive"


def test_account_locks_after_repeated_failures(client, region):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _sign_in(client, "prosecutor.pe", "wrong")
    response = _sign_in(client, "prosecutor.pe", HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 429
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert AuditEntry.objects.filter(action=Action.LOCKED_OUT).exists()


def test_two_factor_login_asks_for_a_code_after_the_password(client, region):
    user = region.user("focal.ec")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    response = _sign_in(client, "focal.ec")
    assert response["Location"] == reverse("accounts:login_code")
    assert "_auth_user_id" not in client.session  # not signed in yet
    wrong = client.post(reverse("accounts:login_code"), {"token": "000000"})
    assert wrong.status_code == 200
    assert AuditEntry.objects.filter(action=Action.OTP_FAILED).exists()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(reverse("accounts:login_code"), {"token": _code(device)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


@override_settings(REQUIRE_2FA=True)
def test_required_two_factor_sends_personal_data_roles_to_enrolment(client, region):
    _sign_in(client, "caseworker.co")
    response = client.get(reverse("web:home"))
    assert response["Location"] == reverse("accounts:two_factor_setup")
    api = client.get(reverse("api:me"))
    assert api.status_code == 403
    setup = client.get(reverse("accounts:two_factor_setup"))
    assert b"<svg" in setup.content
    device = TOTPDevice.objects.get(user__username="caseworker.co", confirmed=False)
    client.post(reverse("accounts:two_factor_setup"), {"token": _code(device)})
    assert client.get(reverse("web:home")).status_code == 200
    assert AuditEntry.objects.filter(action=Action.OTP_ENABLED).exists()


@override_settings(REQUIRE_2FA=True)
def test_required_two_factor_spares_roles_without_personal_data(client, region):
    _sign_in(client, "analyst.co")
    assert client.get(reverse("web:home")).status_code == 200


def test_sessions_expire_after_inactivity():
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60


def _session_row(client):
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key)


def test_session_expiry_moves_with_activity_once_a_minute(client, region, monkeypatch):
    from quipu.accounts import middleware

    clock = [1_900_000_000]
    monkeypatch.setattr(middleware, "_now", lambda: clock[0])
    _sign_in(client, "analyst.ar")
    client.get(reverse("web:home"))
    first = _session_row(client).expire_date

    clock[0] += 30  # within the minute: the page reads, the session is not written
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("web:home"))
    assert not [q for q in queries if "django_session" in q["sql"] and "UPDATE" in q["sql"]]
    assert _session_row(client).expire_date == first

    clock[0] += 31  # a minute after the last move: the expiry moves again
    client.get(reverse("web:home"))
    moved = _session_row(client).expire_date
    assert moved > first
    assert client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE


def test_logout_is_audited(client, region):
    _sign_in(client, "analyst.ar")
    client.post(reverse("accounts:logout"))
    assert AuditEntry.objects.filter(action=Action.LOGOUT).exists()


def test_password_change_is_audited(client, region):
    _sign_in(client, "analyst.ar")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "cambio-de-clave-2026",
            "new_password2": "cambio-de-clave-2026",
        },
    )
    assert response.status_code == 302
    assert AuditEntry.objects.get(action=Action.UPDATE).detail == {"credential": "password"}


def test_hashes_are_never_shown_on_the_security_page(client, region):
    user = region.user("analyst.ar")
    user.password = make_password(PASSWORD)
    user.save()
    _sign_in(client, "analyst.ar")
    page = client.get(reverse("accounts:security")).content.decode()
    assert user.password not in page
