"""Rule 3 for helpline reports: every read of a report's personal fields is audited; lists
carry no personal data; the inbox puts immediate danger first."""

import pytest
from django.urls import reverse

from quipu.audit.models import Action, AuditEntry
from quipu.cooperation.helpline.models import HelplineReport
from quipu.cooperation.helpline.personal import personal_fields
from quipu.cooperation.helpline.triage import report_route
from quipu.tenancy.models import Country
from tests.cooperation.helpline.conftest import ACCOUNT, logged, operator

pytestmark = pytest.mark.django_db


def _reads(report) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=Action.READ, object_id=str(report.pk)))


def test_rule3_every_page_read_of_a_report_is_audited(region, client):
    report = logged("CO")
    client.force_login(region.user("focal.co"))
    body = client.get(reverse("helpline:detail", args=[report.pk])).content.decode()
    assert ACCOUNT in body and "+573012345678" in body
    (entry,) = _reads(report)
    assert entry.actor_username == "focal.co" and entry.subject_country == "CO"
    assert entry.detail["personal"] and entry.detail["via"] == "web"
    assert ACCOUNT not in str(entry.detail)


def test_rule3_every_api_read_of_a_report_is_audited_and_shows_personal_fields(region, client):
    report = logged("CO")
    client.force_login(operator("CO"))
    body = client.get(reverse("api:helpline-report", args=[report.pk])).json()
    assert body["account"] == ACCOUNT and body["identifiers"][0]["value"] == "+573012345678"
    assert body["actions"] == []  # the operator logs; the focal point triages
    (entry,) = _reads(report)
    assert entry.detail["via"] == "api"


def test_a_stub_read_shows_no_personal_field_and_is_not_a_personal_read(region, client):
    report = logged("CO", about="PE")
    report_route(
        actor=region.user("focal.co"), report=report, to_country=Country.objects.get(code="PE")
    )
    client.force_login(region.user("focal.co"))
    body = client.get(reverse("api:helpline-report", args=[report.pk])).json()
    for name in personal_fields(HelplineReport):
        assert name not in body
    assert body["identifiers"] == [] and body["is_stub"]
    assert _reads(report) == []


def test_lists_carry_no_personal_fields(region, client):
    logged("CO")
    client.force_login(region.user("focal.co"))
    listed = client.get(reverse("api:helpline-inbox")).json()["results"]
    assert listed and all("account" not in row for row in listed)
    page = client.get(reverse("helpline:inbox")).content.decode()
    assert ACCOUNT not in page and "+573012345678" not in page


def test_rule1_another_countrys_focal_point_gets_404_and_the_try_is_audited(region, client):
    report = logged("CO")
    client.force_login(region.user("focal.pe"))
    response = client.get(reverse("helpline:detail", args=[report.pk]))
    assert response.status_code == 404 and report.reference not in response.content.decode()
    assert AuditEntry.objects.filter(action=Action.DENIED, object_id=str(report.pk)).exists()


def test_the_inbox_puts_immediate_danger_first_and_filters(region, client):
    normal = logged("CO")
    danger = logged("CO", urgency="1_immediate")
    client.force_login(region.user("focal.co"))
    response = client.get(reverse("helpline:inbox"))
    assert list(response.context["reports"]) == [danger, normal]
    assert 'class="tag tag-denied"' in response.content.decode()
    filtered = client.get(reverse("helpline:inbox"), {"urgency": "3_normal", "state": "new"})
    assert list(filtered.context["reports"]) == [normal]
    api = client.get(reverse("api:helpline-inbox"), {"urgency": "bogus"})
    assert api.status_code == 400 and "urgency" in api.json()


def test_the_inbox_is_paginated(region, client):
    for _ in range(26):
        logged("CO")
    client.force_login(region.user("focal.co"))
    first = client.get(reverse("helpline:inbox"))
    assert len(first.context["reports"]) == 25
    second = client.get(reverse("helpline:inbox"), {"page": 2})
    assert len(second.context["reports"]) == 1


def test_triage_through_the_pages_records_the_history(region, client):
    report = logged("CO")
    client.force_login(region.user("focal.co"))
    page = client.get(reverse("helpline:detail", args=[report.pk])).content.decode()
    assert 'id="triage-lead"' in page and 'id="triage-route"' in page
    url = reverse("helpline:triage", args=[report.pk, "close"])
    assert client.post(url, {"close-reason": ""}).status_code == 422
    response = client.post(url, {"close-reason": "Sin datos suficientes."})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == "closed" and report.history.last().note == "Sin datos suficientes."


def test_triage_through_the_api_answers_409_from_a_settled_state(region, client):
    report = logged("CO")
    client.force_login(region.user("focal.co"))
    url = reverse("api:helpline-report-triage", args=[report.pk, "lead"])
    missing = client.post(url, {}, content_type="application/json")
    assert missing.status_code == 400 and list(missing.json()) == ["institution"]
    ok = client.post(url, {"institution": "CO-POLICE"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["state"] == "lead"
    again = client.post(url, {"institution": "CO-POLICE"}, content_type="application/json")
    assert again.status_code == 409
    client.force_login(region.user("focal.pe"))
    assert client.post(url, {"institution": "CO-POLICE"}).status_code == 404


def test_the_inbox_export_leaves_out_every_personal_field_and_is_audited(region, client):
    logged("CO", caller_consents=True, caller={"caller_name": "Ana Pérez"})
    client.force_login(region.user("focal.co"))
    response = client.get(reverse("helpline:inbox_export"), {"state": "new"})
    text = response.content.decode()
    header = text.splitlines()[0].split(",")
    assert not set(header) & personal_fields(HelplineReport)
    assert "situation" in header and "urgency" in header
    for value in (ACCOUNT, "Ana Pérez", "+573012345678", "Barrio San Andrés"):
        assert value not in text
    assert len(text.splitlines()) == 2
    entry = AuditEntry.objects.get(action=Action.EXPORT)
    assert entry.detail == {"rows": 1, "personal": False, "state": "new"}


def test_rule3_the_api_answer_to_a_triage_is_an_audited_read_of_the_personal_fields(region, client):
    report = logged("CO")
    client.force_login(region.user("focal.co"))
    url = reverse("api:helpline-report-triage", args=[report.pk, "lead"])
    body = client.post(url, {"institution": "CO-POLICE"}, content_type="application/json").json()
    assert body["account"] == ACCOUNT
    (entry,) = _reads(report)
    assert entry.actor_username == "focal.co" and entry.detail["via"] == "api"


def test_rule4_a_lead_for_another_countrys_institution_is_an_error_on_that_field(region, client):
    report = logged("CO")
    client.force_login(region.user("focal.co"))
    url = reverse("api:helpline-report-triage", args=[report.pk, "lead"])
    response = client.post(url, {"institution": "PE-POLICE"}, content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["institution"]
    close = reverse("api:helpline-report-triage", args=[report.pk, "close"])
    response = client.post(close, {"reason": "   "}, content_type="application/json")
    assert response.status_code == 400 and list(response.json()) == ["reason"]
    report.refresh_from_db()
    assert report.state == "new" and report.history.count() == 1


def test_rule1_a_reader_who_may_not_triage_gets_an_audited_403_whatever_the_form_holds(
    region, client
):
    report = logged("CO")
    client.force_login(operator("CO"))  # reads the report: their institution logged it
    url = reverse("helpline:triage", args=[report.pk, "close"])
    for form in ({"close-reason": ""}, {"close-reason": "Broma."}):
        assert client.post(url, form).status_code == 403
    denials = AuditEntry.objects.filter(action=Action.DENIED, actor_username="helpline.co")
    assert denials.count() == 2
    report.refresh_from_db()
    assert report.state == "new"


def test_rule4_a_filter_value_out_of_the_choices_is_an_error_not_an_unfiltered_export(
    region, client
):
    logged("CO")
    client.force_login(region.user("focal.co"))
    page = client.get(reverse("helpline:inbox"), {"state": "bogus"})
    assert page.status_code == 400 and list(page.context["reports"]) == []
    assert "state" in page.context["filters"].errors
    export = client.get(reverse("helpline:inbox_export"), {"state": "bogus"})
    assert export.status_code == 400 and export["Content-Type"].startswith("text/html")
    assert not AuditEntry.objects.filter(action=Action.EXPORT).exists()
