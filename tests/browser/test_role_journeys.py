"""Issue 14, Proof: each role's main journey, clicked from home in Spanish and in Portuguese.

The browser speaks the user's language (its locale sends Accept-Language), as a Brazilian
user's does, so no switcher is needed. Every page is reached by clicking; each journey checks
what it did in the database and on the page, and saves viewport screenshots of its main steps
(var/screenshots/journey-<role>-<step>-<es|pt>.png; a few are in docs/user-guide/img/).
The focal point's journey (to-do, notice, decide a group) is in test_focal_journey*.py.
"""

import csv
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quipu.cases.models import Case, Victim
from quipu.cooperation.referrals.models import Referral
from quipu.cooperation.requests.models import InformationRequest
from quipu.intake.models import ExportJob, ImportJob
from tests.browser.conftest import SCREENSHOTS, menu_follow, search_cases, sign_in
from tests.conftest import background_tasks_run
from tests.indicators.conftest import framework  # noqa: F401 - the indicators' fixture
from tests.intake.conftest import template_row, write_template
from tests.progress.conftest import chile  # noqa: F401 - Chile's hand-counted figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BROWSER_LOCALE = {"es": "es-ES", "pt": "pt-BR"}
PAGE_LANG = {"es": "es", "pt": "pt-br"}
TWO_NEW_CASES = {"es": "2 casos nuevos", "pt": "2 casos novos"}


@pytest.fixture(params=list(BROWSER_LOCALE))
def page(request, browser, live_server):
    """A page whose browser speaks Spanish, then Portuguese (one test run each)."""
    context = browser.new_context(
        locale=BROWSER_LOCALE[request.param], viewport={"width": 1280, "height": 860}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.base_url = live_server.url
    page.lang = request.param
    yield page
    context.close()


def _signed_in(page, username: str) -> None:
    sign_in(page, username)
    assert page.locator("html").get_attribute("lang") == PAGE_LANG[page.lang]


def _shot(page, role: str, step: str) -> None:
    """The viewport only, from the top of the page: small enough for the user guide."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("() => window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / f"journey-{role}-{step}-{page.lang}.png"))


def test_caseworker_starts_a_case_finds_it_without_accents_and_imports_a_file(
    page, region, tmp_path
):
    _signed_in(page, "caseworker.co")
    menu_follow(page, "/cases/new/")
    page.select_option("#id_kind", "TIP")
    page.select_option("#id_status", "Active")
    page.fill("#id_registered_on", "2026-11-20")
    _shot(page, "caseworker", "new-case")
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/cases/\d+/edit/\w+/$"))
    case = Case.objects.get(owner__code="CO-POLICE", created_by__username="caseworker.co")
    page.fill("#id_first_name", "Valentina")
    page.fill("#id_second_name", "Castañeda Núñez")
    page.select_option("#id_gender", "Feminine")
    page.click("button.primary")
    page.wait_for_url(re.compile(r"/edit/(?!person/)\w+/$"))
    assert Victim.objects.filter(case=case, person__second_name="Castañeda Núñez").exists()

    search_cases(page, "castaneda nunez")  # typed without accents or capitals
    row = page.locator("table a", has_text=case.reference)
    expect(row).to_be_visible()
    _shot(page, "caseworker", "search")
    row.click()
    expect(page.get_by_text("Castañeda Núñez").first).to_be_visible()

    rows = [
        template_row(case_reference="CO-JOURNEY-1", exploitation_country="CO"),
        template_row(
            case_reference="CO-JOURNEY-2",
            victim_first_name="Ana",
            exploitation_country="CO",
            phone="+57 301 555 0199",
            document_number="AB123457",
        ),
    ]
    menu_follow(page, "/intake/imports/")
    page.set_input_files("#id_file", str(write_template(tmp_path / "casos.csv", rows)))
    page.select_option("#id_format", "quipu")
    page.click("button.primary")
    page.wait_for_url("**/intake/imports/*/")
    background_tasks_run()  # the worker `make run` starts next to the server
    page.wait_for_selector("#import-progress:not([hx-get])")
    assert ImportJob.objects.get().status == "done"
    imported = Case.objects.filter(owner__code="CO-POLICE", reference__startswith="CO-JOURNEY-")
    assert imported.count() == 2
    expect(page.locator("#import-progress")).to_contain_text(TWO_NEW_CASES[page.lang])
    _shot(page, "caseworker", "import")


def test_prosecutor_opens_an_information_request(page, region):
    _signed_in(page, "prosecutor.pe")
    menu_follow(page, "/cooperation/requests/")
    page.locator("#request-new").click()
    page.select_option("#id_receiving_country", "CO")
    page.select_option("#id_legal_basis", "prosecutors")
    page.fill("#id_legal_basis_details", "Memorando entre fiscalías, 2019")
    page.fill("#id_purpose", "Identificar a la víctima de la carpeta 2026-031 (trata laboral).")
    page.check("input[name=categories][value=route]")
    page.select_option("#id_urgency", "routine")
    page.fill("#id_due_on", (timezone.localdate() + timedelta(days=30)).isoformat())
    _shot(page, "prosecutor", "request-new")
    page.locator("form.card button.primary").click()
    found = InformationRequest.objects.get()
    page.wait_for_url(f"**/cooperation/requests/{found.pk}/")
    assert found.receiving_country_id == "CO" and found.state == "sent"
    expect(page.locator("main")).to_contain_text(found.reference)
    _shot(page, "prosecutor", "request-sent")


def test_consul_registers_a_victim_and_opens_a_consular_referral(page, region):
    _signed_in(page, "consul.co")  # Colombia's consulate in Ecuador
    menu_follow(page, "/cooperation/referrals/")
    page.locator("a[href='/cooperation/referrals/register/']").click()
    page.fill("#id_first_name", "Yeimy")
    page.fill("#id_second_name", "Ortiz Lozano")
    page.fill("#id_birthdate", "1999-04-02")
    page.select_option("#id_citizenship", "CO")
    page.check("#id_consent")
    page.check("#id_share_with_home_country")
    page.check("input[name=assistance][value=documentation]")
    page.fill("#id_assistance_details", "Perdió el pasaporte en Quito.")
    page.select_option("#id_urgency", "urgent")
    page.fill("#id_contact_name", "Cónsul adjunta")
    page.fill("#id_contact_email", "consulado.quito@cancilleria.example")
    _shot(page, "consul", "referral-new")
    page.locator("form.card button[type=submit]").click()
    referral = Referral.objects.get()
    page.wait_for_url(f"**/cooperation/referrals/{referral.pk}/")
    assert referral.victim.person.citizenship_id == "CO"
    assert referral.victim.case.owner.code == "CO-CONSULATE-EC"
    expect(page.locator("main")).to_contain_text(referral.reference)
    _shot(page, "consul", "referral-sent")


def test_analyst_exports_the_case_list_without_personal_data(page, region, tmp_path):
    _signed_in(page, "analyst.co")
    menu_follow(page, "/cases/")
    page.select_option("#export-format", "csv")
    page.locator("form.export-form button[type=submit]").click()
    page.wait_for_url("**/intake/exports/*/")
    background_tasks_run()
    download_link = page.locator("#export-progress a[href$='/download/']")
    expect(download_link).to_be_visible()
    _shot(page, "analyst", "export")
    with page.expect_download() as download:
        download_link.click()
    saved = Path(tmp_path / "export.csv")
    download.value.save_as(saved)
    header, *rows = list(csv.reader(saved.open(encoding="utf-8-sig")))
    assert [row[header.index("case_reference")] for row in rows] == ["CO-TEST-1"]
    assert rows[0][header.index("victim_first_name")] == ""  # de-identified
    job = ExportJob.objects.get()
    assert job.status == "done" and not job.includes_personal


def test_secretariat_reads_progress_and_an_indicator(page, chile):  # noqa: F811
    _signed_in(page, "secretariat")
    menu_follow(page, "/progress/")
    expect(page.locator("main table").first).to_be_visible()
    _shot(page, "secretariat", "progress")
    page.locator("main table a[href^='/progress/indicators/PROT-02/']").first.click()
    page.wait_for_url("**/progress/indicators/PROT-02/*")
    expect(page.locator("h1")).to_contain_text("PROT-02")
    expect(page.locator("figure svg[role=img]").first).to_be_visible()
    assert page.locator("figure table").count() >= 1  # a table beside every chart
    _shot(page, "secretariat", "indicator")
