"""Issue 6 point 5 in the browser: Chile's focal point sets targets in Portuguese and reads the
country's progress; the secretariat reads the regional overview, an indicator's map and charts
and the harmonisation matrix in Spanish. Screenshots go to var/screenshots/ for the guide."""

import pytest
from playwright.sync_api import expect

from quipu.progress.models import CountryTarget
from tests.browser.conftest import menu_follow, sign_in
from tests.indicators.conftest import framework  # noqa: F401 - the indicators' fixture
from tests.progress.conftest import chile  # noqa: F401 - Chile's hand-counted figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _portuguese(page) -> None:
    page.get_by_role("button", name="Português").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "pt-br"


def test_focal_point_sets_targets_and_sees_status(page, screenshot, chile):  # noqa: F811
    sign_in(page, "focal.cl")
    _portuguese(page)
    menu_follow(page, "Progresso")
    page.locator("a.button[href^='/progress/countries/CL/']").click()
    page.locator("a.button[href='/progress/countries/CL/targets/']").click()
    page.wait_for_url("**/progress/countries/CL/targets/")
    page.fill("[name='value_PREV-03']", "140")  # campaigns: a count, fine
    page.fill("[name='value_PROT-04']", "140")  # a percentage over 100: refused
    page.fill("[name='year_PROT-04']", "2028")
    page.click("form button[type=submit].primary")
    error = page.locator("#id_value_PROT-04-error")
    expect(error).to_contain_text("100")
    expect(page.locator("#id_year_PREV-03-error")).to_be_visible()  # no year given
    assert not CountryTarget.objects.exists()
    page.fill("[name='value_PROT-04']", "30")
    page.fill("[name='year_PREV-03']", "2029")
    page.fill("[name='value_PREV-03']", "11")
    page.click("form button[type=submit].primary")
    page.wait_for_url("**/progress/countries/CL/")
    assert CountryTarget.objects.filter(country_id="CL").count() == 2
    row = page.locator("tr", has=page.locator("a", has_text="PREV-03"))
    expect(row).to_contain_text("pendente")  # the police's answer, not yet accepted
    assert row.locator(".status-on_track").count() == 1
    screenshot(page, "progress-country-pt")


def test_secretariat_reads_the_region_in_spanish(page, screenshot, chile):  # noqa: F811
    sign_in(page, "secretariat")
    menu_follow(page, "Progreso")
    page.select_option("#period", "2025")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**/progress/?period=2025")
    assert page.locator("h1").inner_text() == "Progreso del Mecanismo"
    assert page.locator("text=Suprimido").count() > 0
    screenshot(page, "progress-overview-es")
    page.locator("main table a[href='/progress/indicators/PROT-02/?period=2025']").click()
    page.wait_for_url("**/progress/indicators/PROT-02/?period=2025")
    chart_map = page.locator("figure svg[role=img]").first
    assert chart_map.is_visible()
    assert page.locator("figure table").count() >= 3  # a table beside every chart
    screenshot(page, "progress-indicator-es")
    page.locator("nav.progress-nav a[href='/progress/harmonisation/?period=2025']").click()
    page.wait_for_url("**/progress/harmonisation/?period=2025")
    assert page.locator("tr", has=page.locator("a", has_text="PROS-06")).count() == 1
    screenshot(page, "progress-harmonisation-es")
