"""A caseworker uploads an HTCDS template in Spanish, fixes it, reads the case in Portuguese."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import menu_follow, search_cases, sign_in
from tests.conftest import background_tasks_run
from tests.intake.htcds_files import VICTIM, fill, template_copy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _upload(page, path):
    menu_follow(page, "Importar")
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_format", "htcds")
    page.click("button.primary")
    page.wait_for_url("**/intake/imports/*/")
    background_tasks_run()  # the worker `make run` starts next to the server
    page.wait_for_selector("#import-progress:not([hx-get])")


def test_an_htcds_upload_reports_errors_in_spanish_then_imports(page, region, tmp_path, screenshot):
    sign_in(page, "caseworker.pe")
    broken = fill(template_copy(tmp_path), [dict(VICTIM, **{"Citizenship": "Atlantis"})])
    _upload(page, broken)
    report = page.locator("#import-progress")
    expect(report).to_contain_text("No se guardó nada")
    expect(page.locator("td", has_text="Citizenship")).to_be_visible()
    assert "Atlantis" not in report.inner_text()
    screenshot(page, "import-htcds-errors-es")

    fixed = fill(template_copy(tmp_path), [VICTIM])
    _upload(page, fixed)
    expect(page.locator("#import-progress")).to_contain_text("1 casos nuevos")
    screenshot(page, "import-htcds-done-es")

    page.get_by_role("button", name="Português").click()
    search_cases(page, "Cruz")
    assert page.locator("html").get_attribute("lang") == "pt-br"
    page.locator("table a", has_text="HTCDS-").first.click()
    expect(page.get_by_text("Cruz Pérez")).to_be_visible()
    expect(
        page.get_by_text("Recrutamento").or_(page.get_by_text("Aliciamento")).first
    ).to_be_visible()
    screenshot(page, "import-htcds-case-pt")
