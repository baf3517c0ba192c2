"""Logging a report: anonymous callers stay anonymous; caller data only with consent."""

import pytest
from django.urls import reverse

from quipu.audit.models import Action, AuditEntry
from quipu.cooperation.helpline.models import HelplineReport, State
from quipu.errors import InvalidInput, NotAllowed
from quipu.notifications.models import Notification
from tests.cooperation.helpline.conftest import ACCOUNT, logged, operator

pytestmark = pytest.mark.django_db

FORM = {
    "account": ACCOUNT,
    "situation": "sexual_exploitation",
    "urgency": "2_urgent",
    "channel": "whatsapp",
    "place_country": "CO",
    "place": "Cartagena, sector Bazurto",
    "identifiers-TOTAL_FORMS": "2",
    "identifiers-INITIAL_FORMS": "0",
    "identifiers-0-kind": "phone",
    "identifiers-0-value": "301 234 5678",
    "identifiers-1-kind": "plate",
    "identifiers-1-value": "abc-123",
}


def test_operator_logs_an_anonymous_report_and_nothing_about_the_caller_is_stored(region, client):
    client.force_login(operator("CO"))
    response = client.post(reverse("helpline:new"), FORM)
    report = HelplineReport.objects.get()
    assert response.status_code == 302
    assert report.institution.code == "CO-HELPLINE" and report.country_id == "CO"
    assert report.state == State.NEW and report.reference.startswith("CO-HL-")
    assert not report.caller_consents
    assert (report.caller_name, report.caller_phone, report.caller_email) == ("", "", "")
    values = sorted((i.kind, i.value) for i in report.identifiers.all())
    assert values == [("phone", "+573012345678"), ("plate", "ABC123")]  # E.164, compact plate


def test_caller_data_without_consent_is_refused_not_silently_dropped(region, client):
    client.force_login(operator("CO"))
    response = client.post(
        reverse("helpline:new"), {**FORM, "caller_name": "Ana", "caller_phone": "3011112222"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"caller_name", "caller_phone"}
    assert not HelplineReport.objects.exists()
    assert b"3011112222" not in b"".join(str(e).encode() for e in errors.values())


def test_caller_data_with_consent_is_stored_normalised(region, client):
    client.force_login(operator("CO"))
    consented = {
        **FORM,
        "caller_consents": "on",
        "caller_name": "Ana Pérez",
        "caller_phone": "301 111 2222",
        "caller_email": "Ana@Example.org",
    }
    client.post(reverse("helpline:new"), consented)
    report = HelplineReport.objects.get()
    assert report.caller_consents and report.caller_name == "Ana Pérez"
    assert (report.caller_phone, report.caller_email) == ("+573011112222", "ana@example.org")


def test_the_service_refuses_caller_data_without_consent(region):
    with pytest.raises(InvalidInput):
        logged("CO", caller={"caller_phone": "+573011112222"})
    assert not HelplineReport.objects.exists()


def test_an_invalid_phone_identifier_is_an_error_naming_the_field(region, client):
    client.force_login(operator("CO"))
    response = client.post(reverse("helpline:new"), {**FORM, "identifiers-0-value": "12"})
    assert response.status_code == 200
    assert "value" in response.context["identifiers"].forms[0].errors
    assert not HelplineReport.objects.exists()


def test_the_api_refuses_caller_data_without_consent_with_the_field_path(region, client):
    client.force_login(operator("CO"))
    body = {
        "account": ACCOUNT,
        "situation": "forced_begging",
        "urgency": "3_normal",
        "channel": "web",
        "place_country": "CO",
        "identifiers": [{"kind": "phone", "value": "+573012345678"}],
        "caller_phone": "+573011112222",
    }
    response = client.post(reverse("api:helpline-reports"), body, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()) == ["caller_phone"]
    del body["caller_phone"]
    body["identifiers"].append({"kind": "email", "value": "x"})
    response = client.post(reverse("api:helpline-reports"), body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["identifiers"]["1"]["value"]  # identifiers[1].value
    body["identifiers"].pop()
    response = client.post(reverse("api:helpline-reports"), body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["caller_phone"] == ""
    report = HelplineReport.objects.get()
    assert report.identifiers.get().value == "+573012345678"
    # Rule 3: the answer shows the account and identifiers, so it is an audited read too.
    read = AuditEntry.objects.get(action=Action.READ, object_id=str(report.pk))
    assert read.actor_username == "helpline.co" and read.detail["via"] == "api"


def test_logging_is_audited_with_codes_only(region):
    report = logged("CO")
    entry = AuditEntry.objects.get(action=Action.CREATE, object_id=str(report.pk))
    assert entry.subject_country == "CO" and entry.subject_institution == "CO-HELPLINE"
    assert ACCOUNT not in str(entry.detail) and "+57" not in str(entry.detail)


def test_immediate_danger_notifies_the_countrys_triage_focal_points_only(region):
    report = logged("PE", urgency="1_immediate")
    notified = Notification.objects.filter(kind="helpline.immediate_danger")
    assert {n.recipient.username for n in notified} == {"focal.pe"}
    assert notified.get().url == reverse("helpline:detail", args=[report.pk])
    logged("PE", urgency="2_urgent")
    assert notified.count() == 1


@pytest.mark.parametrize("username", ["prosecutor.co", "consul.co", "analyst.co", "secretariat"])
def test_only_operators_caseworkers_and_focal_points_log_reports(region, username):
    from quipu.cooperation.helpline.services import report_log
    from quipu.tenancy.models import Country

    with pytest.raises(NotAllowed):
        report_log(
            actor=region.user(username),
            situation="other",
            urgency="3_normal",
            channel="phone",
            account=ACCOUNT,
            place_country=Country.objects.get(code="CO"),
        )


def test_a_police_caseworker_logs_for_their_own_institution(region):
    from quipu.cooperation.helpline.services import report_log
    from quipu.tenancy.models import Country

    report = report_log(
        actor=region.user("caseworker.pe"),
        situation="other",
        urgency="3_normal",
        channel="walk_in",
        account=ACCOUNT,
        place_country=Country.objects.get(code="PE"),
    )
    assert report.institution.code == "PE-POLICE"
