"""Layout in a real browser (issue 14, item 8): the progress overview fits its ten countries on
a 1366 px screen, and the survey answer page keeps the Content Security Policy (no inline
style or script refused), both reached by clicking from home."""

import pytest

from quipu.indicators.rounds import submission_assign
from tests.browser.conftest import menu_follow, sign_in
from tests.indicators.conftest import framework  # noqa: F401 - the indicators' fixture
from tests.indicators.rounds_helpers import round_open

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAPTOP = {"width": 1366, "height": 768}
# Every refusal of the page's CSP, whatever its directive, is kept on the window.
CSP_WATCH = (
    "window.cspViolations = [];"
    "document.addEventListener('securitypolicyviolation', e => window.cspViolations.push("
    "e.violatedDirective + ' ' + (e.blockedURI || 'inline')));"
)


def test_progress_overview_fits_ten_countries_on_a_laptop_screen(page, region, framework):  # noqa: F811
    page.set_viewport_size(LAPTOP)
    sign_in(page, "secretariat")
    menu_follow(page, "/progress/")
    tables = page.locator("main table.progress-overview")
    assert tables.count() >= 4  # one per axis
    overflowing = page.evaluate(
        "() => [...document.querySelectorAll('main .table-wrap')]"
        ".filter(wrap => wrap.scrollWidth > wrap.clientWidth + 1).length"
    )
    assert overflowing == 0  # Uruguay and Venezuela are not behind a horizontal scroll
    last_column = page.locator("main table.progress-overview thead th").last
    assert last_column.bounding_box()["x"] + last_column.bounding_box()["width"] <= LAPTOP["width"]


def test_the_survey_answer_page_keeps_the_content_security_policy(page, region, framework):  # noqa: F811
    survey_round = round_open("BR", title="Línea de base 2025")
    submission = submission_assign(
        actor=region.user("focal.br"),
        survey_round=survey_round,
        institution=region.institution("BR-POLICE"),
        responsible=region.user("caseworker.br"),
    )
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.add_init_script(CSP_WATCH)
    sign_in(page, "caseworker.br")
    menu_follow(page, "/indicators/rounds/")
    page.locator(f"a[href='/indicators/submissions/{submission.pk}/']").first.click()
    page.wait_for_url(f"**/indicators/submissions/{submission.pk}/")
    # One answer, so that the form is saved and swapped in by htmx as a user sees it.
    page.evaluate(
        "() => { window.surveySettled = false; document.body.addEventListener("
        "'htmx:afterSettle', () => { window.surveySettled = true; }, {once: true}); }"
    )
    page.check("input[name='/data/prevention/has_action_plan'][value='yes']")
    page.wait_for_function("() => window.surveySettled === true")
    assert page.evaluate("() => window.cspViolations") == []
    assert not [text for text in console if "Content Security Policy" in text]
