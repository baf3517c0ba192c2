"""A Colombian caseworker uploads cases of another country: the page names the shares and saves
nothing until the box is ticked; then the whole import is undone from its page (issue 14)."""

import pytest
from playwright.sync_api import expect

from quipu.cases.models import Case
from tests.browser.conftest import menu_follow, sign_in
from tests.conftest import background_tasks_run
from tests.intake.conftest import template_row, write_template

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _worker_done(page) -> None:
    background_tasks_run()  # the worker `make run` starts next to the server
    page.wait_for_selector("#import-progress:not([hx-get])")


def test_foreign_rows_wait_for_a_confirmation_and_the_import_can_be_undone(
    page, region, tmp_path, screenshot
):
    rows = [
        template_row(
            case_reference=f"CO-PERU-{n}",
            victim_citizenship="VE",
            recruitment_country="VE",
            transit_country="EC",
            exploitation_country="PE",
        )
        for n in range(3)
    ]
    path = write_template(tmp_path / "casos.csv", rows)
    sign_in(page, "caseworker.co")
    menu_follow(page, "/intake/imports/")
    expect(page.locator("#whose-cases")).to_contain_text("Counter-Trafficking Data Collaborative")
    page.set_input_files("#id_file", str(path))
    page.click("button.primary")
    page.wait_for_url("**/intake/imports/*/")
    _worker_done(page)

    shares = page.locator("#foreign-rows")
    expect(shares).to_contain_text("El 100\xa0% de las filas conciernen solo a otros países.")
    expect(shares).to_contain_text("Perú 100\xa0%")
    screenshot(page, "import-foreign-confirm-es")
    page.get_by_role("button", name="Importar estas filas").click()  # box not ticked
    expect(page.locator(".field-errors")).to_contain_text("Marque la casilla")
    assert not Case.objects.filter(reference__startswith="CO-PERU").exists()

    page.get_by_label("Confirmo que estos son casos de Policía Nacional de Colombia.").check()
    page.get_by_role("button", name="Importar estas filas").click()
    page.wait_for_url("**/intake/imports/*/")  # back on the import's page, queued again
    _worker_done(page)
    expect(page.locator("#import-progress")).to_contain_text("3 casos nuevos")
    assert Case.objects.filter(reference__startswith="CO-PERU").count() == 3

    page.get_by_label("Entiendo que se eliminarán los 3 casos que agregó esta importación.").check()
    page.get_by_role("button", name="Deshacer la importación").click()
    expect(page.locator(".messages")).to_contain_text("se eliminaron 3 casos")
    screenshot(page, "import-undone-es")
    assert not Case.objects.filter(reference__startswith="CO-PERU").exists()
