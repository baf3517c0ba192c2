"""The home's to-do list in a browser (issue 14, item 4): Colombia's focal point finds the
requests waiting for an answer on their home, in Spanish and in Portuguese, and one click
lands on the received requests holding them."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from quipu.cooperation.requests.models import InformationRequest
from quipu.tenancy.models import Institution
from tests.browser.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def waiting_request(region):
    asking = Institution.objects.get(code="PE-PROSECUTOR")
    return InformationRequest.objects.create(
        requesting_institution=asking,
        requesting_country_id="PE",
        receiving_country_id="CO",
        legal_basis="prosecutors",
        purpose="Investigación de una red de captación.",
        categories=["route"],
        urgency="urgent",
        due_on=timezone.localdate() + datetime.timedelta(days=7),
        sent_at=timezone.now(),
    )


def test_a_focal_point_goes_from_the_home_to_do_to_the_requests_in_spanish_and_portuguese(
    page, waiting_request, screenshot
):
    sign_in(page, "focal.co")
    item = page.locator('ul.todo li[data-todo="requests"]')
    expect(item.locator(".count")).to_have_text("1")
    expect(item).to_contain_text("Solicitudes de información por responder")
    screenshot(page, "home-todo-es")
    item.locator("a").click()
    page.wait_for_url("**/cooperation/requests/?box=in&state=sent")
    expect(page.locator("main")).to_contain_text(waiting_request.reference)

    page.get_by_role("button", name="Português").click()
    page.wait_for_load_state()
    page.locator("a.brand").click()  # back home as a user does: the logo
    item = page.locator('ul.todo li[data-todo="requests"]')
    expect(item).to_contain_text("Solicitações de informação a responder")
    screenshot(page, "home-todo-pt")
    item.locator("a").click()
    page.wait_for_url("**/cooperation/requests/?box=in&state=sent")
    expect(page.locator("main")).to_contain_text(waiting_request.reference)
