"""The API's documentation page works under the site's Content Security Policy."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import menu_follow, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_open_from_the_menu_without_csp_violations(page, region):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    sign_in(page, "caseworker.co")
    menu_follow(page, "API")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("Quipu API")
    assert errors == []
