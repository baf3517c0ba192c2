"""A Colombian police caseworker, in Spanish, refers a Venezuelan victim; Venezuela's focal
point, in Portuguese, reads the identity the victim agreed to share and accepts.

Selectors use ids, routes and the page language rather than this app's own texts, so the test
holds before and after its translations are compiled.
"""

import pytest
from playwright.sync_api import expect

from quipu.cooperation.referrals.models import Referral
from tests.browser.conftest import menu_follow, sign_in
from tests.cooperation.referrals.factories import FIRST, SURNAME, foreign_victim, referral_sent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def receipt_signing_key(tmp_path, monkeypatch):
    """Sending a referral issues a signed receipt: sign with a key file of this test's own."""
    monkeypatch.delenv("QUIPU_RECEIPT_SIGNING_KEY", raising=False)
    monkeypatch.setenv("QUIPU_RECEIPT_SIGNING_KEY_FILE", str(tmp_path / "receipt-signing.key"))


@pytest.fixture
def victim_found_in_colombia(region):
    return foreign_victim("CO-POLICE", "VE", consent=True, share=True)


def test_a_caseworker_refers_in_spanish_and_the_home_focal_point_accepts_in_portuguese(
    page, victim_found_in_colombia, screenshot
):
    sign_in(page, "caseworker.co")
    assert page.locator("html").get_attribute("lang") == "es"
    menu_follow(page, "Derivaciones consulares")
    page.locator("a[href='/cooperation/referrals/new/']").click()
    page.select_option("#id_victim", str(victim_found_in_colombia.pk))
    page.check("input[name=assistance][value=documentation]")
    page.check("input[name=assistance][value=return]")
    page.fill("#id_assistance_details", "Pasaporte vencido; quiere volver a Maracaibo.")
    page.select_option("#id_urgency", "urgent")
    page.fill("#id_contact_name", "Subintendente Rocío Manrique")
    page.fill("#id_contact_email", "trata.cucuta@policia.example")
    screenshot(page, "referral-new-es")
    page.locator("form.card button[type=submit]").click()
    referral = Referral.objects.get()
    page.wait_for_url(f"**/cooperation/referrals/{referral.pk}/")
    expect(page.locator("main")).to_contain_text(referral.reference)
    screenshot(page, "referral-sent-es")

    page.context.clear_cookies()
    sign_in(page, "focal.ve")
    page.get_by_role("button", name="Português").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "pt-br"
    menu_follow(page, "Encaminhamentos recebidos")
    page.locator(f"table a[href='/cooperation/referrals/{referral.pk}/']").click()
    page.wait_for_url(f"**/cooperation/referrals/{referral.pk}/")
    body = page.locator("main").inner_text()
    assert FIRST in body and SURNAME in body
    assert "Subintendente Rocío Manrique" in body
    page.fill("#id_comment", "Recebido; o consulado em Cúcuta entrará em contato.")
    page.locator("button[formaction$='/act/accept/']").click()
    page.wait_for_url(f"**/cooperation/referrals/{referral.pk}/")
    referral.refresh_from_db()
    assert referral.state == "accepted"
    expect(page.locator("main")).to_contain_text("Recebido; o consulado")
    screenshot(page, "referral-accepted-pt")


def test_without_consent_the_home_focal_point_sees_only_the_fact_and_the_contact(
    page, region, screenshot
):
    referral = referral_sent(
        foreign_victim("PE-POLICE", "VE", consent=False, key="noconsent"), by="caseworker.pe"
    )
    sign_in(page, "focal.ve")
    page.get_by_role("button", name="Português").click()
    page.wait_for_load_state()
    menu_follow(page, "Encaminhamentos recebidos")
    page.locator(f"table a[href='/cooperation/referrals/{referral.pk}/']").click()
    page.wait_for_url(f"**/cooperation/referrals/{referral.pk}/")
    body = page.locator("main").inner_text()
    for value in (FIRST, SURNAME, "1998", "Cúcuta"):
        assert value not in body
    assert "enlace@policia.example" in body
    screenshot(page, "referral-no-consent-pt")
