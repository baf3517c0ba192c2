"""The UI shell: Spanish by default, Portuguese and English on request, language-neutral URLs."""

import pytest
from django.test import Client
from django.urls import reverse

from quipu.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db


def test_spanish_is_the_default_language(client):
    response = client.get(reverse("accounts:login"))
    assert response["Content-Language"] == "es"
    assert "Iniciar sesión" in response.content.decode()


def test_browser_language_picks_portuguese(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9")
    assert response["Content-Language"] == "pt-br"
    assert "Entrar" in response.content.decode()


def test_switcher_stores_the_choice_in_a_cookie_and_keeps_urls_neutral(client):
    response = client.post(
        reverse("web:set_language"), {"language": "en", "next": "/accounts/login/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert client.cookies["django_language"].value == "en"
    page = client.get("/accounts/login/")
    assert page["Content-Language"] == "en"
    assert "Sign in" in page.content.decode()


def test_malformed_language_code_gets_a_translated_400_and_is_audited(client):
    response = client.post(reverse("web:set_language"), {"language": "xx-<script>", "next": "/"})
    assert response.status_code == 400
    assert "Idioma desconocido" in response.content.decode()
    assert "<script>" not in response.content.decode()
    entry = AuditEntry.objects.get(action=Action.BAD_REQUEST)
    assert entry.detail == {"reason": "language"}


def test_switcher_refuses_to_redirect_off_site(client):
    response = client.post(
        reverse("web:set_language"), {"language": "es", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_forged_csrf_token_gets_a_translated_403_and_is_audited(region):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))
    response = client.post(
        reverse("accounts:login"),
        {
            "username": "focal.co",
            "password": "quipu-demo-2026",
            "csrfmiddlewaretoken": "forged" * 6,
        },
    )
    assert response.status_code == 403
    assert "El formulario expiró" in response.content.decode()
    assert AuditEntry.objects.get(action=Action.BAD_REQUEST).detail == {"reason": "csrf"}


def test_home_shows_country_institution_and_roles(login, region):
    page = login("focal.bo").get(reverse("web:home")).content.decode()
    assert "Ministerio de Gobierno" in page
    assert "Bolivia" in page
    assert "Punto focal nacional" in page


def test_menu_shows_only_what_the_role_may_use(login, region):
    focal = login("focal.co").get(reverse("web:home")).content.decode()
    assert reverse("audit:trail") in focal and reverse("admin:index") in focal
    analyst = login("analyst.co").get(reverse("web:home")).content.decode()
    assert reverse("audit:trail") not in analyst and reverse("admin:index") not in analyst


def test_secretariat_home_lists_the_member_states(login, region):
    page = login("secretariat").get(reverse("web:home")).content.decode()
    for name in ("Argentina", "Brasil", "Venezuela", "Uruguay"):
        assert name in page


def test_unknown_page_is_a_translated_404(login, region):
    response = login("analyst.co").get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="pt-BR")
    assert response.status_code == 404
    assert (
        "Página não encontrada" in response.content.decode()
        or "Não encontrado" in response.content.decode()
    )
