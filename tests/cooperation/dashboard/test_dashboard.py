"""The cooperation dashboard: per-country figures, the region for the secretariat, and no
personal data anywhere."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from quipu.cooperation.requests.models import InformationRequest
from tests.cooperation.jits.conftest import jit_active
from tests.cooperation.requests.factories import request_granted, request_sent


def section(payload: dict, code: str) -> dict:
    return next(s for s in payload["sections"] if s["code"] == code)["figures"]


def test_requests_count_in_for_the_receiver_and_out_for_the_requester(region, login):
    request_sent(to="CO")
    late = request_sent(to="CO")
    InformationRequest.objects.filter(pk=late.pk).update(
        due_on=timezone.localdate() - timedelta(days=1)
    )
    request_granted()  # a third one, answered

    colombia = section(
        login("focal.co").get(reverse("api:cooperation-dashboard")).json(), "requests"
    )
    peru = section(login("analyst.pe").get(reverse("api:cooperation-dashboard")).json(), "requests")

    assert list(colombia) == ["CO"] and list(peru) == ["PE"]  # one's own country only
    assert colombia["CO"]["open_in"] == 2 and colombia["CO"]["overdue_in"] == 1
    assert colombia["CO"]["answered"] == 1 and colombia["CO"]["response_days"] >= 0
    assert peru["PE"]["open_out"] == 2 and peru["PE"]["overdue_out"] == 1
    assert peru["PE"].get("open_in", 0) == 0


def test_the_secretariat_sees_every_member_state_and_region_totals_counted_once(region, login):
    request_sent(to="CO")
    jit_active(region)  # Colombia and Venezuela take part, Colombia leads

    payload = login("secretariat").get(reverse("api:cooperation-dashboard")).json()

    assert len(payload["countries"]) == 10
    requests, jits = section(payload, "requests"), section(payload, "jits")
    assert requests[""]["open_in"] == 1 and "open_out" not in requests[""]
    assert jits["CO"]["active"] == 1 and jits["CO"]["led"] == 1
    assert jits["VE"]["active"] == 1 and jits["VE"]["led"] == 0
    assert jits[""]["active"] == 1  # one team, though two countries take part


def test_the_page_shows_the_tables_and_no_personal_data(region, login):
    request_granted()
    html = login("secretariat").get(reverse("dashboard:overview")).content.decode()

    assert "Colombia" in html and "<tfoot>" in html
    for value in ("NombreCO", "ApellidoCO", "REQ-"):
        assert value not in html


def test_roles_without_aggregates_do_not_see_the_dashboard(region, login):
    for username in ("prosecutor.co", "caseworker.co", "consul.co"):
        client = login(username)
        assert client.get(reverse("dashboard:overview")).status_code == 403
        assert client.get(reverse("api:cooperation-dashboard")).status_code == 403
