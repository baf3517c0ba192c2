"""API tokens are reached by clicking: the owner's on Account security, a focal point's users'
from the Administration menu; each can be revoked there (Spanish and Portuguese)."""

import pytest
from playwright.sync_api import expect

from tests.api.helpers import api_token_for
from tests.browser.conftest import menu_follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_creates_and_revokes_a_token_from_account_security(page, region, screenshot):
    sign_in(page, "caseworker.co")
    page.get_by_role("link", name="Seguridad de la cuenta").click()
    expect(page.get_by_role("heading", name="Tokens de API")).to_be_visible()
    expect(page.get_by_text("Un token vence después de 30 días")).to_be_visible()
    page.get_by_role("button", name="Crear un token").click()
    expect(page.get_by_test_id("api-token")).to_be_visible()
    expect(page.get_by_text("Cópielo ahora", exact=False)).to_be_visible()
    expect(page.get_by_test_id("api-tokens").locator("tbody tr")).to_have_count(1)
    screenshot(page, "api-token-created-es")
    page.get_by_role("button", name="Revocar el token", exact=False).click()
    expect(page.get_by_text("El token fue revocado.", exact=False)).to_be_visible()
    expect(page.get_by_text("No hay tokens activos.")).to_be_visible()


def test_focal_point_revokes_a_users_token_from_the_menu_in_portuguese(page, region, screenshot):
    api_token_for(region.user("caseworker.br"))
    sign_in(page, "focal.br")
    page.get_by_role("button", name="Português").click()
    page.wait_for_load_state()
    menu_follow(page, "Tokens de API")
    expect(page.get_by_role("heading", name="Tokens de API dos seus usuários")).to_be_visible()
    table = page.get_by_test_id("api-tokens")
    expect(table.get_by_role("cell", name="caseworker.br")).to_be_visible()
    screenshot(page, "api-tokens-managed-pt")
    table.get_by_role("button", name="Revogar o token", exact=False).click()
    expect(page.get_by_text("O token foi revogado.", exact=False)).to_be_visible()
    expect(page.get_by_text("Não há tokens ativos.")).to_be_visible()
