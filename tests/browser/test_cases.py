"""A caseworker registers a case in Spanish; a focal point reads it in Portuguese."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import menu_follow, search_cases, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_caseworker_registers_a_case_and_a_focal_point_reads_it(page, region, screenshot):
    sign_in(page, "caseworker.co")
    menu_follow(page, "Nuevo caso")
    page.select_option("#id_kind", "TIP")
    page.select_option("#id_status", "Active")
    page.fill("#id_registered_on", "2025-03-01")
    screenshot(page, "case-new-es")
    page.click("button.primary")
    page.fill("#id_first_name", "Lucía")
    page.fill("#id_second_name", "Rojas Vargas")
    page.fill("#id_birthdate", "2130-01-01")  # impossible: refused next to the field
    page.click("button.primary")
    expect(page.locator(".field-errors").first).to_be_visible()
    screenshot(page, "case-person-error-es")
    page.fill("#id_birthdate", "2002-08-15")
    page.select_option("#id_gender", "Feminine")
    page.click("button.primary")
    page.check("input[name=exploitation_types][value=SexualExploitation]")
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/edit/route/$"))
    page.locator("nav.steps-nav a[href$='/edit/perpetrators/']").click()
    page.wait_for_url(re.compile(r"/edit/perpetrators/$"))
    page.fill("#id_per-0-first_name", "Jairo")
    page.fill("#id_per-0-second_name", "Mendoza Ruiz")
    page.select_option("#id_per-0-gender", "Masculine")
    page.check("input[name=per-0-roles][value=RecruiterOrIntermediary]")
    page.select_option("#id_per-0-ids-0-kind", "phone")
    page.fill("#id_per-0-ids-0-value", "+58 412 123 4567")
    screenshot(page, "case-perpetrators-es")
    page.click("button.primary")  # the blank rows left over are not saved
    page.wait_for_url(re.compile(r"/edit/consent/$"))
    page.get_by_role("button").filter(has_text="Cerrar sesión").click()

    sign_in(page, "focal.co")
    page.get_by_role("button", name="Português").click()
    search_cases(page, "Rojas")
    assert page.locator("html").get_attribute("lang") == "pt-br"
    page.locator("table a").first.click()
    expect(page.get_by_text("Rojas Vargas")).to_be_visible()
    expect(page.get_by_text("Mendoza Ruiz")).to_be_visible()
    expect(page.get_by_text("+584121234567")).to_be_visible()
    screenshot(page, "case-detail-pt")
