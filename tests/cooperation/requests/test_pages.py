"""The inbox, the request page and the answer, as the two countries' users use them; the API
transitions with their 403 and 409; the daily reminders."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quipu.cases.models import Case
from quipu.cooperation.requests.grants import grants_expiring_notify, requests_remind
from quipu.cooperation.requests.models import Grant, InformationRequest, State
from quipu.notifications.models import Notification
from tests.cooperation.requests.factories import (
    OWNER_FOCAL,
    REQUESTER,
    linked_notice,
    owner_case,
    request_granted,
    request_sent,
)

pytestmark = pytest.mark.django_db


def test_the_inbox_has_received_and_sent_tabs_and_filters_by_state(region, login):
    found = request_sent()
    request_sent(to="AR")
    client = login(OWNER_FOCAL)
    page = client.get(reverse("requests:inbox"))
    assert page.context["box"] == "in"
    assert [row.pk for row in page.context["rows"]] == [found.pk]
    assert not client.get(reverse("requests:inbox"), {"box": "out"}).context["rows"]
    assert not client.get(reverse("requests:inbox"), {"state": "refused"}).context["rows"]
    sent = login(REQUESTER).get(reverse("requests:inbox"), {"box": "out", "state": "sent"})
    assert len(sent.context["rows"]) == 2


def test_the_inbox_pages_by_25(region, login):
    for _ in range(26):
        request_sent()
    client = login(OWNER_FOCAL)
    assert len(client.get(reverse("requests:inbox")).context["rows"]) == 25
    assert len(client.get(reverse("requests:inbox"), {"page": 2}).context["rows"]) == 1


def test_the_first_opening_by_the_receiving_side_is_recorded_once(region, login):
    found = request_sent()
    requester = login(REQUESTER)
    requester.get(reverse("requests:detail", args=[found.pk]))
    assert InformationRequest.objects.get(pk=found.pk).received_at is None
    owner = login(OWNER_FOCAL)
    owner.get(reverse("requests:detail", args=[found.pk]))
    owner.get(reverse("requests:detail", args=[found.pk]))
    found.refresh_from_db()
    assert found.received_at is not None
    assert found.events.filter(action="receive").count() == 1


def test_the_answer_form_is_prefilled_with_the_owners_record_of_the_match(region, login):
    case = owner_case()
    found = request_sent(receiving_country="", notice=linked_notice(case))
    page = login(OWNER_FOCAL).get(reverse("requests:detail", args=[found.pk]))
    assert page.context["answer_form"].initial["records"] == case.reference
    assert set(page.context["answer_form"].initial["categories"]) == {"identity", "route"}


def test_the_owner_approves_in_part_on_the_page_and_the_requester_is_told(region, login):
    case = owner_case()
    found = request_sent()
    response = login(OWNER_FOCAL).post(
        reverse("requests:act", args=[found.pk, "approve_part"]),
        {"categories": ["route"], "records": case.reference, "comment": "Solo la ruta."},
    )
    assert response.status_code == 302
    grant = Grant.objects.get(information_request=found)
    assert grant.categories == ["route"] and list(grant.cases.all()) == [case]
    told = Notification.objects.filter(kind="requests.answered")
    assert "prosecutor.pe" in {row.recipient.username for row in told}


def test_an_unknown_record_reference_is_an_error_next_to_the_field(region, login):
    found = request_sent()
    response = login(OWNER_FOCAL).post(
        reverse("requests:act", args=[found.pk, "approve"]), {"records": "PE-TEST-1"}
    )
    assert response.status_code == 422
    assert "records" in response.context["answer_form"].errors
    assert InformationRequest.objects.get(pk=found.pk).state == State.SENT


def test_clarification_and_withdrawal_through_the_pages(region, login):
    found = request_sent()
    login(OWNER_FOCAL).post(
        reverse("requests:act", args=[found.pk, "ask"]), {"comment": "¿Qué causa?"}
    )
    client = login(REQUESTER)
    client.post(reverse("requests:act", args=[found.pk, "clarify"]), {"comment": "La 2025-114."})
    assert InformationRequest.objects.get(pk=found.pk).state == State.SENT
    client.post(reverse("requests:act", args=[found.pk, "withdraw"]), {"comment": ""})
    page = client.get(reverse("requests:detail", args=[found.pk]))
    assert page.context["item"].state == State.WITHDRAWN
    assert "La 2025-114." in page.content.decode()
    assert Notification.objects.filter(kind="requests.clarified").exists()


def test_a_forbidden_transition_on_the_page_is_403(region, login):
    found = request_sent()
    response = login(REQUESTER).post(
        reverse("requests:act", args=[found.pk, "approve"]), {"records": ""}
    )
    assert response.status_code == 403


def test_the_api_answers_403_for_the_wrong_side_and_409_for_the_wrong_state(region, login):
    found = request_sent()
    url = reverse("api:information-request-transition", args=[found.pk])
    requester = login(REQUESTER)
    assert (
        requester.post(url, {"action": "ask", "comment": "?"}, "application/json").status_code
        == 403
    )
    owner = login(OWNER_FOCAL)
    answer = owner.post(url, {"action": "clarify", "comment": "x"}, "application/json")
    assert answer.status_code == 403
    case = owner_case()
    approve = {"action": "approve", "records": [case.pk]}
    assert owner.post(url, approve, "application/json").status_code == 200
    again = owner.post(url, approve, "application/json")
    assert again.status_code == 409 and again.json()["code"] == "InvalidTransition"


def test_a_foreign_country_sees_neither_the_request_nor_its_grant(region, login):
    found = request_granted()
    client = login("focal.ar")
    for name in ("requests:detail", "requests:grant", "api:information-request"):
        assert client.get(reverse(name, args=[found.pk])).status_code == 404


def test_the_daily_job_reminds_before_the_due_date_and_flags_overdue_once(region):
    soon = request_sent(due_on=timezone.localdate() + timedelta(days=2))
    late = request_sent(due_on=timezone.localdate() + timedelta(days=20))
    InformationRequest.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    assert requests_remind() == 2
    assert requests_remind() == 0
    due = Notification.objects.filter(kind="requests.due_soon")
    assert {row.url for row in due} == {reverse("requests:detail", args=[soon.pk])}
    overdue = Notification.objects.filter(kind="requests.overdue")
    assert {row.recipient.username for row in overdue} >= {"focal.co", "prosecutor.pe"}


def test_the_requester_hears_once_that_a_grant_expires_soon(region):
    request_granted(days=5)
    assert grants_expiring_notify() == 1
    assert grants_expiring_notify() == 0
    rows = Notification.objects.filter(kind="requests.grant_expiring")
    assert "prosecutor.pe" in {row.recipient.username for row in rows}


def test_the_daily_command_runs_the_request_jobs(region):
    from quipu.notifications.daily import daily_jobs

    jobs = daily_jobs()
    assert {"requests_due_dates", "requests_grants_expiring"} <= set(jobs)
    request_sent(due_on=timezone.localdate() + timedelta(days=1))
    assert jobs["requests_due_dates"]() == 1


def test_an_expired_grant_says_so_on_the_request_page(region, login):
    found = request_granted()
    Grant.objects.filter(information_request=found).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    client = login(REQUESTER)
    client.post(reverse("web:set_language"), {"language": "en"})
    page = client.get(reverse("requests:detail", args=[found.pk])).content.decode()
    assert "The grant has expired" in page
    assert reverse("requests:grant", args=[found.pk]) not in page


def test_a_case_page_offers_a_request_from_the_case_to_those_who_may_open_one(region, login):
    case = Case.objects.get(reference="CO-TEST-1")
    link = f'href="{reverse("requests:new")}?case={case.pk}"'

    prosecutor_page = login("prosecutor.co").get(reverse("cases:detail", args=[case.pk]))
    analyst_page = login("analyst.co").get(reverse("cases:detail", args=[case.pk]))
    form = login("prosecutor.co").get(f"{reverse('requests:new')}?case={case.pk}")

    assert link in prosecutor_page.content.decode()
    assert link not in analyst_page.content.decode()
    assert form.context["form"].initial["case"] == "CO-TEST-1"
