"""One full request cycle between two countries: Peru's prosecutor, in Spanish, asks Colombia
for the identity and route of a victim; Colombia's focal point, in Portuguese, grants the
route only; the prosecutor reads the route and not the name.

Selectors use ids, names and routes rather than this app's texts, so the test holds before
and after its translations are compiled.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quipu.cooperation.requests.models import Grant, InformationRequest
from tests.browser.conftest import menu_follow, sign_in
from tests.cooperation.requests.factories import CITY, FIRST, owner_case

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def colombian_case(region):
    return owner_case()


def test_a_prosecutor_asks_in_spanish_and_the_owner_grants_part_in_portuguese(
    page, colombian_case, screenshot
):
    sign_in(page, "prosecutor.pe")
    assert page.locator("html").get_attribute("lang") == "es"
    menu_follow(page, "Solicitudes de información")
    page.locator("#request-new").click()
    page.select_option("#id_receiving_country", "CO")
    page.select_option("#id_legal_basis", "prosecutors")
    page.fill("#id_legal_basis_details", "Memorando entre fiscalías, 2019")
    page.fill("#id_purpose", "Identificar a la víctima de la carpeta 2025-114 (trata laboral).")
    page.check("input[name=categories][value=identity]")
    page.check("input[name=categories][value=route]")
    page.select_option("#id_urgency", "urgent")
    page.fill("#id_due_on", (timezone.localdate() + timedelta(days=15)).isoformat())
    screenshot(page, "request-new-es")
    page.locator("form.card button.primary").click()
    found = InformationRequest.objects.get()
    page.wait_for_url(f"**/cooperation/requests/{found.pk}/")
    expect(page.locator("main")).to_contain_text(found.reference)
    screenshot(page, "request-sent-es")

    page.context.clear_cookies()
    sign_in(page, "focal.co")
    page.get_by_role("button", name="Português").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "pt-br"
    menu_follow(page, "Pedidos de informação")
    page.locator(f"table a[href='/cooperation/requests/{found.pk}/']").click()
    page.fill("#id_records", colombian_case.reference)
    page.uncheck("#answer-form input[name=categories][value=identity]")
    page.fill("#id_comment", "Concedemos apenas a rota; a identidade pelo canal de MLA.")
    screenshot(page, "request-answer-pt")
    page.locator("button[data-action=approve_part]").click()
    page.wait_for_url(f"**/cooperation/requests/{found.pk}/")
    found.refresh_from_db()
    assert found.state == "partial"
    assert Grant.objects.get(information_request=found).categories == ["route"]
    expect(page.locator("#history")).to_contain_text("Concedemos apenas a rota")
    screenshot(page, "request-granted-pt")

    page.context.clear_cookies()
    sign_in(page, "prosecutor.pe")
    menu_follow(page, "Solicitudes de información")
    page.locator(f"table a[href='/cooperation/requests/{found.pk}/']").click()
    page.locator("#grant-open").click()
    page.wait_for_url(f"**/cooperation/requests/{found.pk}/grant/")
    body = page.locator("main").inner_text()
    assert CITY in body and FIRST not in body
    screenshot(page, "request-grant-es")
