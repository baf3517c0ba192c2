"""Skip logic in the browser: the form re-evaluates as the person answers (htmx, no CDN)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import menu_follow, sign_in
from tests.indicators.conftest import framework  # noqa: F401 - the indicators' fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_skip_logic_and_constraints_in_the_browser(page, region, framework, screenshot):  # noqa: F811
    sign_in(page, "caseworker.ar")
    menu_follow(page, "Encuestas")
    page.locator("a[href='/indicators/surveys/quipu_baseline/']").click()
    page.locator("a[href='?lang=pt']").click()
    page.wait_for_url("**/indicators/surveys/quipu_baseline/?lang=pt")
    year = page.locator("#q-data-prevention-action-plan-year")
    assert not year.is_visible()
    page.get_by_label("Sim").first.check()
    year.wait_for(state="visible")
    year.fill("1980")
    page.locator("form#survey-form button.primary").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Escreva um ano entre 1990 e 2100.").first).to_be_visible()
    screenshot(page, "survey-baseline-pt-constraint")

    page.get_by_label("Não", exact=True).first.check()
    year.wait_for(state="hidden")
