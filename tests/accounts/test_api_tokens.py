"""API tokens (django-rest-knox): they expire, are made only after the second factor where it
is required, stop when their owner's requirement is unmet, and are listed and revoked by their
owner and by the focal point (issue 13, finding 2)."""

import importlib
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from quipu.accounts.models import ApiToken
from quipu.audit.models import Action, AuditEntry
from tests.api.helpers import api_token_for

pytestmark = pytest.mark.django_db
PASSWORD = "quipu-demo-2026"
TWO_FACTOR_REFUSAL = "Su rol requiere la verificación en dos pasos"


def _api(key: str, language: str = "es") -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _persons(key: str):
    return _api(key).get(reverse("api:persons"))


def _code(device: TOTPDevice) -> str:
    value = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    return f"{value:06d}"


def _sign_in_with_code(client, user, device: TOTPDevice):
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    response = client.post(reverse("accounts:login_code"), {"token": _code(device)})
    assert response.status_code == 302
    return client


def _new_key_on_page(client) -> str:
    page = client.post(reverse("accounts:api_token_new")).content.decode()
    return re.search(r'data-testid="api-token">([^<]+)<', page).group(1)


def test_token_page_makes_an_expiring_token_shown_once_and_stored_as_a_digest(login, region):
    client = login("focal.co")
    key = _new_key_on_page(client)
    token = ApiToken.objects.get(user__username="focal.co")
    assert token.expiry - token.created == pytest.approx(timedelta(days=30), abs=timedelta(1))
    assert not ApiToken.objects.filter(digest=key).exists()
    assert key not in client.get(reverse("accounts:security")).content.decode()
    assert _api(key).get(reverse("api:me")).status_code == 200
    entry = AuditEntry.objects.get(action=Action.CREATE, detail__credential="api_token")
    assert entry.detail["token"] == token.short_id and key not in str(entry.detail)


def test_token_lifetime_is_set_by_quipu_api_token_days(monkeypatch):
    import quipu.config.settings as settings_module

    monkeypatch.setenv("QUIPU_API_TOKEN_DAYS", "7")
    assert importlib.reload(settings_module).REST_KNOX["TOKEN_TTL"] == timedelta(days=7)
    monkeypatch.delenv("QUIPU_API_TOKEN_DAYS")
    assert importlib.reload(settings_module).REST_KNOX["TOKEN_TTL"] == timedelta(days=30)


def test_expired_token_is_refused(region):
    key = api_token_for(region.user("caseworker.co"))
    assert _persons(key).status_code == 200
    ApiToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert _persons(key).status_code == 401


def test_rule7_an_inactive_users_token_stops(region):
    user = region.user("caseworker.co")
    key = api_token_for(user)
    user.is_active = False
    user.save()
    assert _persons(key).status_code == 401


def test_rule7_tokens_of_users_who_never_enrolled_stop_when_two_factor_is_required(region):
    key = api_token_for(region.user("caseworker.co"))
    assert _persons(key).status_code == 200
    with override_settings(REQUIRE_2FA=True):
        refused = _persons(key)
        assert refused.status_code == 401
        assert TWO_FACTOR_REFUSAL in refused.json()["detail"]
        search = _api(key).post(reverse("api:case-search"), {"q": "NombreCO"}, format="json")
        assert search.status_code == 401
        # Roles without personal data owe no second factor; their tokens go on working.
        assert (
            _api(api_token_for(region.user("analyst.co"))).get(reverse("api:me")).status_code == 200
        )


@override_settings(REQUIRE_2FA=True)
def test_token_is_made_only_after_a_two_factor_login_where_it_is_required(client, region):
    user = region.user("caseworker.co")
    client.force_login(user)  # password only: the second factor is still owed
    response = client.post(reverse("accounts:api_token_new"))
    assert response["Location"] == reverse("accounts:two_factor_setup")
    assert not ApiToken.objects.filter(user=user).exists()

    client.logout()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    key = _new_key_on_page(_sign_in_with_code(client, user, device))
    assert ApiToken.objects.get(user=user).second_factor == device
    assert _persons(key).status_code == 200


def test_service_refuses_a_token_to_a_user_who_owes_the_second_factor(rf, region):
    from quipu.accounts.services import api_token_create
    from quipu.errors import NotAllowed

    user = region.user("caseworker.co")
    user.otp_device = None  # as django-otp marks a session that skipped the second factor
    request = rf.post("/")
    request.user = user
    with override_settings(REQUIRE_2FA=True), pytest.raises(NotAllowed):
        api_token_create(user=user, request=request)
    assert not ApiToken.objects.filter(user=user).exists()


@override_settings(REQUIRE_2FA=True)
def test_rule7_token_stops_when_the_authenticator_that_vouched_for_it_is_replaced(region):
    user = region.user("caseworker.co")
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    key = api_token_for(user)
    assert _persons(key).status_code == 200
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="new phone", confirmed=True)
    assert _persons(key).status_code == 401


def test_owner_sees_and_revokes_their_token_and_it_stops(login, region):
    client = login("prosecutor.cl")
    key = _new_key_on_page(client)
    token = ApiToken.objects.get(user__username="prosecutor.cl")
    assert token.short_id in client.get(reverse("accounts:security")).content.decode()
    response = client.post(reverse("accounts:api_token_revoke"), {"token": token.public_id})
    assert response["Location"] == reverse("accounts:security")
    assert _api(key).get(reverse("api:me")).status_code == 401
    entry = AuditEntry.objects.get(action=Action.DELETE)
    assert entry.detail == {
        "credential": "api_token",
        "token": token.short_id,
        "owner": token.user_id,
    }
    assert entry.actor_username == "prosecutor.cl"


def test_rule1_focal_point_lists_and_revokes_tokens_of_their_own_country_only(login, region):
    api_token_for(region.user("caseworker.co"))
    api_token_for(region.user("caseworker.pe"))
    colombian = ApiToken.objects.get(user__username="caseworker.co")
    peruvian = ApiToken.objects.get(user__username="caseworker.pe")
    client = login("focal.co")
    page = client.get(reverse("accounts:api_tokens")).content.decode()
    assert colombian.short_id in page and peruvian.short_id not in page
    assert AuditEntry.objects.get(action=Action.READ, object_type="accounts.apitoken").detail == {
        "tokens": [colombian.short_id]
    }

    refused = client.post(
        reverse("accounts:api_token_revoke"), {"token": peruvian.public_id, "back": "managed"}
    )
    assert refused.status_code == 403
    assert ApiToken.objects.filter(pk=peruvian.pk).exists()

    done = client.post(
        reverse("accounts:api_token_revoke"), {"token": colombian.public_id, "back": "managed"}
    )
    assert done["Location"] == reverse("accounts:api_tokens")
    assert not ApiToken.objects.filter(pk=colombian.pk).exists()
    entry = AuditEntry.objects.get(action=Action.DELETE)
    assert (entry.actor_username, entry.subject_country) == ("focal.co", "CO")


def test_secretariat_sees_tokens_of_the_whole_region(login, region):
    api_token_for(region.user("caseworker.co"))
    api_token_for(region.user("caseworker.pe"))
    page = login("secretariat").get(reverse("accounts:api_tokens")).content.decode()
    assert page.count('name="token"') == 2


def test_users_who_manage_nobody_cannot_open_the_token_list(login, region):
    assert login("caseworker.co").get(reverse("accounts:api_tokens")).status_code == 403


def test_the_old_plain_text_token_table_is_gone():
    assert "authtoken_token" not in connection.introspection.table_names()


def test_revoking_without_a_token_says_so_in_portuguese(login, region):
    client = login("focal.br")
    response = client.post(
        reverse("accounts:api_token_revoke"), {"token": "not-an-id"}, HTTP_ACCEPT_LANGUAGE="pt-BR"
    )
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="pt-BR").content.decode()
    assert "Escolha na lista o token a revogar." in page
