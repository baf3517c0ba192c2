"""A helpline operator logs a report in Spanish; the focal point triages it in Portuguese and
turns it into a case. The anonymous caller leaves no trace."""

import pytest
from playwright.sync_api import expect

from quipu.cooperation.helpline.models import HelplineReport
from tests.browser.conftest import menu_follow, sign_in
from tests.cooperation.helpline.conftest import operator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ACCOUNT = "Una vecina oye gritos de noche en un taller textil; encierran a tres jóvenes."


@pytest.fixture
def helpline_operator(region):
    user = operator("CO")
    user.set_password("quipu-demo-2026")
    user.save()
    return user


def test_an_operator_logs_a_report_and_the_focal_point_turns_it_into_a_case(
    page, helpline_operator, screenshot
):
    sign_in(page, "helpline.co")
    menu_follow(page, "Reportes de la línea de ayuda")
    page.get_by_role("link", name="Registrar un reporte de la línea de ayuda").click()
    page.get_by_label("Lo que informa quien llama").fill(ACCOUNT)
    page.get_by_label("Situación").select_option(label="Trabajo forzoso")
    page.get_by_label("Urgencia").select_option(label="Peligro inmediato")
    page.get_by_label("Canal").select_option(label="WhatsApp")
    page.get_by_label("Lugar").fill("Medellín, barrio Guayaquil")
    page.locator("#id_identifiers-0-kind").select_option(label="Número de teléfono")
    page.locator("#id_identifiers-0-value").fill("301 234 5678")
    # An anonymous caller: a number typed without consent is refused, not dropped.
    page.get_by_label("Teléfono de quien llama").fill("3009998877")
    page.get_by_role("button", name="Registrar el reporte").click()
    expect(page.get_by_text("Quien llama no consintió en ser contactado").first).to_be_visible()
    page.get_by_label("Teléfono de quien llama").fill("")
    screenshot(page, "helpline-log-es")
    page.get_by_role("button", name="Registrar el reporte").click()
    expect(page.get_by_text("El reporte quedó registrado.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("+573012345678")
    report = HelplineReport.objects.get()
    assert report.caller_phone == "" and not report.caller_consents

    page.context.clear_cookies()
    sign_in(page, "focal.co")
    page.get_by_role("button", name="Português").click()
    menu_follow(page, "Triagem da linha de atendimento")
    first_row = page.locator("table tbody tr").first
    expect(first_row).to_contain_text("Perigo imediato")
    screenshot(page, "helpline-inbox-pt")
    first_row.get_by_role("link", name=report.reference).click()
    expect(page.locator("main")).to_contain_text(ACCOUNT)
    case_form = page.locator("#triage-case")
    case_form.get_by_label("Instituição titular do caso").select_option(label=_prosecutor_name())
    case_form.get_by_role("button", name="Transformar em caso").click()
    expect(page.get_by_text("O relato foi triado.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Transformado em caso")
    screenshot(page, "helpline-case-pt")
    report.refresh_from_db()
    assert report.case.owner.code == "CO-PROSECUTOR"


def _prosecutor_name() -> str:
    from quipu.tenancy.models import Institution

    return Institution.objects.get(code="CO-PROSECUTOR").name
