"""Password reset by e-mail under the sign-in's lockout and audit rules (issue 14, item 7)."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from quipu.accounts.models import ApiToken, PasswordResetRequest
from quipu.audit.models import Action, AuditEntry
from tests.conftest import background_tasks_run

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.40"
NEW_PASSWORD = "Cordillera-de-los-Andes-77"
LINK = re.compile(r"https?://\S+/accounts/password/reset/\S+/\S+/")


@pytest.fixture(autouse=True)
def locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.QUIPU_BASE_URL = "http://quipu.test:8123"


def _ask(email: str, *, language: str = "es", client: Client | None = None):
    client = client or Client()
    return client.post(
        reverse("accounts:password_reset"),
        {"email": email},
        REMOTE_ADDR=ADDRESS,
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _link_from_mail() -> str:
    background_tasks_run()
    assert len(mail.outbox) == 1
    return LINK.search(mail.outbox[0].body).group(0)


def _set_password(link: str, password: str = NEW_PASSWORD, client: Client | None = None):
    client = client or Client()
    path = link.split("quipu.test:8123", 1)[1]
    opened = client.get(path, REMOTE_ADDR=ADDRESS)  # the token moves into the session
    assert opened.status_code == 302
    return client.post(
        opened["Location"],
        {"new_password1": password, "new_password2": password},
        REMOTE_ADDR=ADDRESS,
    )


def test_login_page_links_to_the_reset_page(region):
    page = Client().get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="pt-br")
    assert reverse("accounts:password_reset") in page.content.decode()
    assert "Esqueceu sua senha?" in page.content.decode()


def test_the_link_sets_a_new_password_once_and_is_built_on_the_base_url(region):
    user = region.user("caseworker.ar")
    response = _ask(user.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    link = _link_from_mail()
    assert link.startswith("http://quipu.test:8123/accounts/password/reset/")
    assert user.email not in link

    done = _set_password(link)
    assert done.status_code == 302
    assert done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    again = Client().get(link.split("8123", 1)[1], REMOTE_ADDR=ADDRESS)
    assert again.status_code == 200
    assert again.context["validlink"] is False
    assert "Este enlace ya no funciona" in again.content.decode()


def test_an_expired_link_no_longer_works(region, settings):
    user = region.user("caseworker.ar")
    _ask(user.email)
    link = _link_from_mail()
    settings.PASSWORD_RESET_TIMEOUT = -1  # the token's age is now past the limit
    opened = Client().get(link.split("8123", 1)[1], REMOTE_ADDR=ADDRESS)
    assert opened.status_code == 200
    assert opened.context["validlink"] is False
    user.refresh_from_db()
    assert not user.check_password(NEW_PASSWORD)


def test_an_unknown_email_gets_the_same_answer_and_no_mail(region):
    known = _ask(region.user("caseworker.ar").email)
    unknown = _ask("nadie@ejemplo.invalid")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    background_tasks_run()
    assert len(mail.outbox) == 1
    done = Client().get(reverse("accounts:password_reset_done"), HTTP_ACCEPT_LANGUAGE="es")
    assert "Si la dirección pertenece a una cuenta" in done.content.decode()


def test_requests_are_limited_per_email_and_address_like_sign_ins(region):
    email = region.user("analyst.cl").email
    for _ in range(settings.AXES_FAILURE_LIMIT):
        assert _ask(email).status_code == 302
    refused = _ask(email)
    assert refused.status_code == 429
    assert "Vuelva a intentarlo en 15 minutos" in refused.content.decode()
    background_tasks_run()
    assert len(mail.outbox) == settings.AXES_FAILURE_LIMIT
    # Another address, or another e-mail from this one, is not held up.
    other = Client().post(
        reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR="1.2.3.4"
    )
    assert other.status_code == 302
    assert _ask(region.user("caseworker.ar").email).status_code == 302
    # The window passes.
    PasswordResetRequest.objects.update(at=F("at") - timedelta(minutes=16))
    assert _ask(email).status_code == 302
    assert not PasswordResetRequest.objects.filter(identifier_digest__contains="@").exists()


def test_every_step_is_audited_without_the_email(region):
    user = region.user("caseworker.ar")
    _ask(user.email)
    _ask("nadie@ejemplo.invalid")
    link = _link_from_mail()
    _set_password(link)
    Client().get(link.split("8123", 1)[1], REMOTE_ADDR=ADDRESS)  # used: a bad link now

    rows = AuditEntry.objects.filter(ip_address=ADDRESS).order_by("seq")
    steps = [(row.action, row.detail.get("credential") or row.detail.get("reason")) for row in rows]
    assert steps == [
        (Action.CREATE, "password_reset_link"),
        (Action.BAD_REQUEST, "reset_unknown"),
        (Action.UPDATE, "password"),
        (Action.BAD_REQUEST, "reset_bad_link"),
    ]
    assert rows[0].object_id == str(user.pk)
    assert rows[2].actor_id == user.pk
    for row in rows:
        text = f"{row.detail} {row.purpose} {row.object_id}"
        assert "@" not in text


def test_a_reset_ends_sessions_and_api_tokens_and_keeps_two_factor(region):
    user = region.user("focal.pe")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    ApiToken.objects.create(user=user, second_factor=device)
    signed_in = Client()
    signed_in.force_login(user)
    assert signed_in.get(reverse("accounts:security")).status_code == 200

    _ask(user.email)
    _set_password(_link_from_mail())

    assert not ApiToken.objects.filter(user=user).exists()
    stale = signed_in.get(reverse("accounts:security"))
    assert stale.status_code == 302 and stale["Location"].startswith(reverse("accounts:login"))
    row = AuditEntry.objects.filter(action=Action.UPDATE, detail__via="reset_link").get()
    assert row.detail["api_tokens_revoked"] == 1

    # The new password is only the first step: the authenticator is still asked for.
    client = Client()
    first = client.post(
        reverse("accounts:login"),
        {"username": user.username, "password": NEW_PASSWORD},
        REMOTE_ADDR=ADDRESS,
    )
    assert first["Location"] == reverse("accounts:login_code")
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    second = client.post(reverse("accounts:login_code"), {"token": code}, REMOTE_ADDR=ADDRESS)
    assert second.status_code == 302
    assert client.get(reverse("web:home")).status_code == 200


def test_the_new_password_goes_through_the_validators(region):
    user = region.user("caseworker.ar")
    _ask(user.email)
    refused = _set_password(_link_from_mail(), password="12345678")
    assert refused.status_code == 200
    assert "demasiado corta" in refused.content.decode()
    user.refresh_from_db()
    assert not user.check_password("12345678")


GREETINGS = {
    "es": "Para elegir una nueva contraseña",
    "pt-br": "Para escolher uma nova senha",
    "en": "To choose a new password",
}


@pytest.mark.parametrize("language", ["es", "pt-br", "en"])
def test_the_email_is_written_in_the_language_the_user_chose_for_emails(region, language):
    from quipu.notifications.models import NotificationSettings

    user = region.user("caseworker.ar")
    NotificationSettings.objects.update_or_create(user=user, defaults={"language": language})
    _ask(user.email, language="es" if language != "es" else "en")
    _link_from_mail()
    assert GREETINGS[language] in mail.outbox[0].body


def test_without_a_chosen_language_the_email_follows_the_page(region):
    from quipu.notifications.models import NotificationSettings

    user = region.user("caseworker.ar")
    NotificationSettings.objects.filter(user=user).delete()
    _ask(user.email, language="pt-br")
    _link_from_mail()
    assert GREETINGS["pt-br"] in mail.outbox[0].body
