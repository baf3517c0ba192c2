"""The focal point's day with match notices (issue 14, Proof), clicking from home only: the
to-do line, the queue, a filter, a group opened, the whole group decided, and seen decided.
Colombia in Spanish confirms; Venezuela in Portuguese rejects."""

import pytest
from playwright.sync_api import expect

from quipu.linkage.evidence import Band
from tests.browser.conftest import sign_in
from tests.linkage.test_queue import Notices

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def groups(region):
    """For each country, one record matched in three other countries (one group) and one
    identifier hit on its own."""
    for country, others in (("CO", ("VE", "PE", "EC")), ("VE", ("CO", "PE", "BR"))):
        notices = Notices(country)
        person, alone = notices.record("Grupo"), notices.record("Solo")
        for other, band in zip(others, (Band.STRONG, Band.NAME, Band.IDENTIFIER), strict=True):
            notices.notice(person, other, band=band, group=person)
        notices.notice(alone, "AR", band=Band.IDENTIFIER)


def _decide_a_group(page, *, kind: str, decision: str, reason: str, submit: str) -> None:
    """From home: the to-do line, the queue filtered to person matches, the first group."""
    page.locator('li[data-todo="notices"] a').click()
    page.wait_for_url("**/linkage/notices/")
    page.locator("#id_kind").select_option(label=kind)
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**kind=person**")
    group = page.locator("ol.queue details").first
    group.locator("summary").click()
    group.locator("a.button").click()
    page.wait_for_url("**/group/")
    page.get_by_label(decision).check()
    page.locator("#id_reason").fill(reason)
    page.get_by_role("button", name=submit).click()


def test_a_focal_point_decides_a_group_of_notices_in_spanish_and_portuguese(
    page, groups, screenshot
):
    sign_in(page, "focal.co")
    _decide_a_group(
        page,
        kind="Coincidencias de persona",
        decision="Confirmado",
        reason="El mismo reclutador en los tres países; verificado con la policía.",
        submit="Registrar la decisión para todo el grupo",
    )
    expect(page.get_by_text("Se decidieron 3 avisos del grupo.")).to_be_visible()
    expect(page.get_by_text("Ningún aviso de este grupo espera su decisión.")).to_be_visible()
    expect(page.locator("table").get_by_text("Esperando al otro país")).to_have_count(3)
    screenshot(page, "notice-group-decided-es")

    page.context.clear_cookies()
    sign_in(page, "focal.ve")
    page.get_by_role("button", name="Português").click()
    _decide_a_group(
        page,
        kind="Coincidências de pessoa",
        decision="Rejeitado",
        reason="Pessoas diferentes: conferido com a polícia.",
        submit="Registrar a decisão para todo o grupo",
    )
    expect(page.get_by_text("3 avisos do grupo foram decididos.")).to_be_visible()
    expect(page.locator("table").get_by_text("Rejeitado")).to_have_count(3)
    screenshot(page, "notice-group-decided-pt")
