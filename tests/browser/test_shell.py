"""A focal point signs in in Spanish, switches to Portuguese, and the page follows."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_focal_point_signs_in_in_spanish_and_switches_to_portuguese(page, region, screenshot):
    sign_in(page)
    assert page.locator("html").get_attribute("lang") == "es"
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    screenshot(page, "login-es")

    page.get_by_label("Nombre de usuario").fill("focal.co")
    page.get_by_label("Contraseña").fill("quipu-demo-2026")
    page.get_by_role("button", name="Iniciar sesión").click()
    page.wait_for_url(page.base_url + "/")
    expect(page.get_by_role("heading", name="Le damos la bienvenida", exact=False)).to_be_visible()
    expect(page.get_by_text("Ministerio del Interior").first).to_be_visible()
    screenshot(page, "home-focal-point-es")

    page.get_by_role("button", name="Português").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "pt-br"
    expect(page.locator("nav.mainnav summary", has_text="Administração")).to_be_visible()
    assert page.url == page.base_url + "/"  # the language never enters the URL
    screenshot(page, "home-focal-point-pt")

    page.locator("nav.mainnav summary", has_text="Administração").click()
    screenshot(page, "menu-section-open-pt")
    page.get_by_role("link", name="Trilha de auditoria", exact=True).click()
    expect(page.get_by_role("heading", name="Trilha de auditoria")).to_be_visible()
    expect(page.get_by_text("focal.co").first).to_be_visible()  # the sign-in is on the trail
    screenshot(page, "audit-trail-pt")


def test_wrong_password_shows_the_error_next_to_the_form(page, region):
    sign_in(page)
    page.get_by_label("Nombre de usuario").fill("focal.pe")
    page.get_by_label("Contraseña").fill("equivocada")
    page.get_by_role("button", name="Iniciar sesión").click()
    expect(page.get_by_role("alert")).to_be_visible()


def test_menu_sections_open_one_at_a_time_and_close_on_escape(page, region):
    sign_in(page, "focal.co")
    cases = page.locator("nav.mainnav details[data-section=cases]")
    cooperation = page.locator("nav.mainnav details[data-section=cooperation]")
    cases.locator("summary").click()
    expect(cases.get_by_role("link", name="Lista de casos")).to_be_visible()
    cooperation.locator("summary").click()
    expect(cooperation.get_by_role("link", name="Avisos de coincidencia")).to_be_visible()
    expect(cases.get_by_role("link", name="Lista de casos")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(cooperation.get_by_role("link", name="Avisos de coincidencia")).to_be_hidden()
    expect(cooperation.locator("summary")).to_be_focused()
    cooperation.locator("summary").click()
    page.locator("main h1").click()  # a click elsewhere closes it too
    expect(cooperation.get_by_role("link", name="Avisos de coincidencia")).to_be_hidden()
