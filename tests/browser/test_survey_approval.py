"""Issue 6 point 8: a Brazilian police user fills the baseline in Portuguese and submits; the
focal point returns it with a comment on one question; the user fixes it; the focal point
approves and the secretariat accepts, both in Spanish; the values are then locked.

Selectors use ids, names and routes rather than this app's texts, so the test holds before
and after the translations are compiled. Screenshots go to var/screenshots/ for the guide.
"""

from contextlib import contextmanager

import pytest
from playwright.sync_api import expect

from quipu.indicators.models import Submission
from quipu.indicators.rounds import submission_assign
from tests.browser.conftest import menu_follow, sign_in
from tests.indicators.conftest import framework  # noqa: F401 - the indicators' fixture
from tests.indicators.rounds_helpers import round_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CAMPAIGNS = "/data/prevention/awareness_campaigns"
NO_ANSWERS = (
    "/data/prevention/has_action_plan",
    "/data/prevention/demand_measures",
    "/data/prevention/border_protocol",
    "/data/prevention/helpline",
    "/data/protection/identification_protocol",
    "/data/protection/reflection_period",
    "/data/protection/consular_protocol",
    "/data/prosecution/palermo_definition",
    "/data/prosecution/specialised_unit",
    "/data/coordination/coordination_body",
    "/data/coordination/standard_data_form",
    "/data/coordination/regional_data",
)


@pytest.fixture
def submission(region, framework):  # noqa: F811
    survey_round = round_open("BR", title="Linha de base 2025 · Línea de base 2025")
    return submission_assign(
        actor=region.user("focal.br"),
        survey_round=survey_round,
        institution=region.institution("BR-POLICE"),
        responsible=region.user("caseworker.br"),
    )


@contextmanager
def _saved(page):
    """Wait until the draft save a change sends has come back and htmx has swapped the form
    in, so the next answer goes into the new form rather than the one being replaced."""
    page.evaluate(
        "() => { window.surveySettled = false; document.body.addEventListener("
        "'htmx:afterSettle', () => { window.surveySettled = true; }, {once: true}); }"
    )
    yield
    page.wait_for_function("() => window.surveySettled === true")


def _answer_text(page, path: str, value: str) -> None:
    field = page.locator(f"[name='{path}']")
    with _saved(page):
        field.fill(value)
        field.press("Tab")


def _choose(page, path: str, value: str) -> None:
    with _saved(page):
        page.check(f"input[name='{path}'][value='{value}']")


def _signed_in_as(page, username: str, *, portuguese: bool = False) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    if portuguese:
        page.get_by_role("button", name="Português").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "pt-br"
    else:
        assert page.locator("html").get_attribute("lang") == "es"


def _round_open(page, submission) -> None:
    """Survey rounds, from the menu, then the round: the tracking table of its answers."""
    menu_follow(page, "/indicators/rounds/")
    page.locator(f"a[href='/indicators/rounds/{submission.round_id}/']").click()
    page.wait_for_url(f"**/indicators/rounds/{submission.round_id}/")


def _answer_open(page, submission, *, assigned: bool = False) -> None:
    """The answer, from the user's assignments (the institution that fills it) or from the
    round's tracking table (the focal point and the secretariat that review it)."""
    if assigned:
        menu_follow(page, "/indicators/rounds/")
    else:
        _round_open(page, submission)
    page.locator(f"a[href='/indicators/submissions/{submission.pk}/']").first.click()
    page.wait_for_url(f"**/indicators/submissions/{submission.pk}/")


def _review(page, submission, step: str) -> None:
    page.locator(f"button[formaction$='/submissions/{submission.pk}/{step}/']").click()
    page.wait_for_url(f"**/indicators/submissions/{submission.pk}/")


def test_a_survey_answer_is_filled_in_portuguese_returned_fixed_approved_and_accepted_in_spanish(
    page, submission, screenshot
):
    url = f"{page.base_url}/indicators/submissions/{submission.pk}/"
    _signed_in_as(page, "caseworker.br", portuguese=True)
    _answer_open(page, submission, assigned=True)
    _answer_text(page, "/data/respondent_role", "Delegada da Divisão de Tráfico de Pessoas")
    _answer_text(page, "/data/answer_date", "2025-03-01")
    for path in NO_ANSWERS:
        _choose(page, path, "no")
    _choose(page, "/data/protection/services[1]/service_kind", "shelter")
    _choose(page, "/data/coordination/coordination_level", "2")
    _answer_text(page, CAMPAIGNS, "4")
    submission.refresh_from_db()
    assert submission.state == "draft" and submission.answers[CAMPAIGNS] == "4"
    screenshot(page, "survey-round-fill-pt")
    page.locator("button[name=__submit__]").click()
    page.wait_for_url(url)
    submission.refresh_from_db()
    assert submission.state == "submitted"

    _signed_in_as(page, "focal.br")
    _round_open(page, submission)
    assert page.locator("tr[data-institution='BR-POLICE']").get_attribute("data-state") == (
        "submitted"
    )
    screenshot(page, "survey-round-tracking-es")
    page.locator(
        f"tr[data-institution='BR-POLICE'] a[href='/indicators/submissions/{submission.pk}/']"
    ).click()
    page.fill(
        f"textarea[name='comment:{CAMPAIGNS}']", "¿Solo 4 campañas? El informe anual dice 14."
    )
    screenshot(page, "survey-round-return-es")
    _review(page, submission, "return")
    submission.refresh_from_db()
    assert submission.state == "returned"

    _signed_in_as(page, "caseworker.br", portuguese=True)
    _answer_open(page, submission, assigned=True)
    question = page.locator("#q-data-prevention-awareness-campaigns-field")
    assert "El informe anual dice 14." in question.inner_text()
    screenshot(page, "survey-round-returned-pt")
    _answer_text(page, CAMPAIGNS, "14")
    page.locator("button[name=__submit__]").click()
    page.wait_for_url(url)
    submission.refresh_from_db()
    assert submission.state == "submitted" and submission.answers[CAMPAIGNS] == "14"

    _signed_in_as(page, "focal.br")
    _answer_open(page, submission)
    _review(page, submission, "approve")
    submission.refresh_from_db()
    assert submission.state == "approved"

    _signed_in_as(page, "secretariat")
    _answer_open(page, submission)
    _review(page, submission, "accept")
    submission.refresh_from_db()
    assert submission.state == "accepted" and submission.is_locked
    expect(page.locator("#submission-state")).to_be_visible()
    assert not page.locator("button[name=__submit__]").count()
    screenshot(page, "survey-round-accepted-es")
    steps = list(submission.events.values_list("action", flat=True))
    assert steps == ["save", "submit", "return", "submit", "approve", "accept"]
    assert Submission.objects.get(pk=submission.pk).answers[CAMPAIGNS] == "14"
