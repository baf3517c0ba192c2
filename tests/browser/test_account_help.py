"""In Portuguese: Help opens the guide page of the signed-in user's work, and "Forgot your
password?" on the sign-in page sends a reset link (issue 14, item 7)."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.conftest import background_tasks_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_help_then_forgotten_password_in_portuguese(page, region, screenshot, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sign_in(page, "caseworker.ve")
    page.get_by_role("button", name="Português").click()
    page.wait_for_load_state()
    # The header is one row at 1280 px even with a long institution name (issue 14, item 8).
    brand = page.locator("header.topbar .brand").bounding_box()
    sign_out = page.get_by_role("button", name="Sair").bounding_box()
    assert abs((brand["y"] + brand["height"] / 2) - (sign_out["y"] + sign_out["height"] / 2)) < 8

    page.get_by_role("link", name="Ajuda").click()
    expect(page.get_by_role("heading", name="Casos, importações e exportações")).to_be_visible()
    expect(page.get_by_role("navigation", name="Guia do usuário")).to_be_visible()
    screenshot(page, "help-cases-pt")

    page.get_by_role("button", name="Sair").click()
    page.get_by_role("link", name="Esqueceu sua senha?").click()
    page.get_by_label("Email").fill(region.user("caseworker.ve").email)
    page.get_by_role("button", name="Enviar o link").click()
    expect(page.get_by_role("heading", name="Verifique seu e-mail")).to_be_visible()
    screenshot(page, "password-reset-sent-pt")

    background_tasks_run()
    assert len(mail.outbox) == 1
    assert "Para escolher uma nova senha" in mail.outbox[0].body
