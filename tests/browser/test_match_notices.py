"""Two focal points review a cross-border match notice: Colombia in Spanish, Venezuela in
Portuguese; neither page shows the other country's values nor any score, and the case
references are shown to each other only after both confirmed and both agreed."""

import pytest
from playwright.sync_api import expect

from quipu.linkage.runs import link_run_full
from quipu.linkage.services import encodings_rebuild
from tests.browser.conftest import menu_follow, sign_in
from tests.linkage.test_review import PHONE, SECRET, case_with_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def notice_waiting(region, monkeypatch, tmp_path):
    monkeypatch.setenv("QUIPU_LINKAGE_KEY", SECRET)
    monkeypatch.setenv("QUIPU_LINKAGE_KEY_FILE", str(tmp_path / "linkage.key"))
    case_with_phone("VE", "Yohana", "Rangel Pérez", PHONE, "1999-04-02")
    case_with_phone("CO", "Johana", "Rangel", PHONE, "1999-02-04")
    encodings_rebuild()
    link_run_full()


def _open_notice(page, reference: str) -> None:
    """From the menu, the queue's item holding the user's record (inside its group, if any)."""
    menu_follow(page, "/linkage/notices/")
    item = page.locator("ol.queue > li", has_text=reference)
    if item.locator("summary").count():
        item.locator("summary").click()
    item.locator("a", has_text="#").first.click()
    page.wait_for_url("**/notices/*/")


def test_focal_points_confirm_a_notice_in_spanish_and_portuguese(page, notice_waiting, screenshot):
    sign_in(page, "focal.co")
    _open_notice(page, "CO-REVIEW-Johana")
    body = page.locator("main").inner_text()
    assert "CO-REVIEW-Johana" in body
    assert "Coincidencia de identificador: un identificador compartido" in body
    for value in ("Yohana", "VE-REVIEW", "412", "1999", "99,9", "similitud", "Sexo"):
        assert value not in body
    screenshot(page, "match-notice-es")

    page.get_by_label("Confirmado").check()
    page.get_by_label("Motivo").fill("Mismo teléfono del reclutador; verificado con la policía.")
    page.get_by_label("Cuando ambos países confirmen").check()
    page.get_by_role("button", name="Registrar la decisión").click()
    expect(page.get_by_text("Su decisión quedó registrada.")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, "focal.ve")
    page.get_by_role("button", name="Português").click()
    _open_notice(page, "VE-REVIEW-Yohana")
    expect(page.locator("main")).to_contain_text("Decisão da outra parte")
    assert "Johana" not in page.locator("main").inner_text()
    page.get_by_label("Confirmado").check()
    page.get_by_label("Motivo").fill("Confirmado por telefone com a polícia da Colômbia.")
    page.get_by_label("Quando ambos os países confirmarem").check()
    page.get_by_role("button", name="Registrar a decisão").click()
    expect(page.get_by_text("Confirmado: vínculo transfronteiriço")).to_be_visible()
    # Both agreed: each now sees the other's case reference and the identifier's kind.
    expect(page.locator("main")).to_contain_text("CO-REVIEW-Johana")
    expect(page.locator("main")).to_contain_text("Número de telefone")
    screenshot(page, "match-notice-linked-pt")
