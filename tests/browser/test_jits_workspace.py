"""A Colombian prosecutor, in Spanish, opens a joint investigation team and invites Brazil's
prosecutors' office; Brazil's prosecutor, in Portuguese, accepts and adds a note and a task.

Selectors use ids, routes and the page language rather than this app's own texts, so the test
holds before and after its translations are compiled.
"""

import pytest
from playwright.sync_api import expect

from quipu.cooperation.jits.models import Jit, Note, Task
from quipu.tenancy.models import Institution, User
from tests.browser.conftest import menu_follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_prosecutor_opens_a_jit_and_another_countrys_prosecutor_joins_in_portuguese(
    page, region, screenshot
):
    sign_in(page, "prosecutor.co")
    assert page.locator("html").get_attribute("lang") == "es"
    menu_follow(page, "Equipos conjuntos de investigación")
    page.locator("a[href='/cooperation/jits/new/']").click()
    page.fill("#id_name", "Operación Amazonas")
    page.select_option("#id_invite", [str(Institution.objects.get(code="BR-PROSECUTOR").pk)])
    page.select_option("#id_lead_country", "CO")
    page.select_option("#id_legal_basis", "palermo")
    page.fill("#id_starts_on", "2026-12-01")
    page.fill("#id_ends_on", "2026-11-01")  # before the start: refused
    page.locator("form.card button[type=submit]").click()
    assert page.locator("#id_ends_on[aria-invalid=true], .errorlist").count() > 0
    assert not Jit.objects.exists()
    page.fill("#id_ends_on", "2027-11-30")
    screenshot(page, "jit-new-es")
    page.locator("form.card button[type=submit]").click()
    jit = Jit.objects.get()
    page.wait_for_url(f"**/cooperation/jits/{jit.pk}/")
    expect(page.locator("main")).to_contain_text(jit.reference)
    screenshot(page, "jit-proposed-es")

    page.context.clear_cookies()
    sign_in(page, "prosecutor.br")
    page.get_by_role("button", name="Português").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "pt-br"
    menu_follow(page, "Equipes conjuntas de investigação")
    expect(page.locator("main")).to_contain_text(jit.reference)
    screenshot(page, "jit-invitation-pt")
    page.locator(f"button[formaction='/cooperation/jits/{jit.pk}/answer/accept/']").click()
    page.wait_for_url(f"**/cooperation/jits/{jit.pk}/")
    jit.refresh_from_db()
    assert jit.state == "active"

    page.fill("#id_text", "Reunião virtual na segunda-feira às 10h; levar a lista de contas.")
    page.locator(f"form[action='/cooperation/jits/{jit.pk}/notes/'] button").click()
    page.wait_for_url(f"**/cooperation/jits/{jit.pk}/")
    owner = User.objects.get(username="prosecutor.co")
    page.fill("#id_title", "Enviar os registros de chamadas")
    page.select_option("#id_owner", str(owner.pk))
    page.fill("#id_due_on", "2026-12-15")
    page.locator(f"form[action='/cooperation/jits/{jit.pk}/tasks/'] button").click()
    page.wait_for_url(f"**/cooperation/jits/{jit.pk}/")
    body = page.locator("main").inner_text()
    assert "Reunião virtual" in body and "Enviar os registros de chamadas" in body
    assert Note.objects.get().institution.code == "BR-PROSECUTOR"
    assert Task.objects.get().owner == owner
    screenshot(page, "jit-workspace-pt")
