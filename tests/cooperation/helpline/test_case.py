"""Turning a report into a case: a real TIP or SOM case owned by the chosen institution."""

import pytest
from django.urls import reverse

from quipu.cases.models import Case
from quipu.cases.selectors import cases_visible_to
from quipu.cooperation.helpline.models import State
from quipu.cooperation.helpline.triage import report_case_open, report_lead_assign
from quipu.notifications.models import Notification
from tests.cooperation.helpline.conftest import ACCOUNT, logged

pytestmark = pytest.mark.django_db


def test_turning_into_a_case_creates_a_real_case_owned_by_the_chosen_institution(region):
    report = logged("CO", situation="sexual_exploitation")
    prosecutor = region.institution("CO-PROSECUTOR")
    case = report_case_open(
        actor=region.user("focal.co"), report=report, institution=prosecutor, kind="TIP"
    )
    report.refresh_from_db()
    assert report.state == State.CASE and report.case == case and report.assigned_to == prosecutor
    case = Case.objects.get(pk=case.pk)
    assert case.owner == prosecutor and case.kind == "TIP" and case.datasource == "Hotline"
    assert case.reference.startswith("CO-") and case.incoming_referral_details == ACCOUNT
    victim = case.victims.get()
    assert victim.person.first_name == "" and victim.person.owner == prosecutor
    assert "SexualExploitation" in victim.exploitation_types.present
    assert [(i.kind, i.value) for i in victim.person.identifiers.all()] == [
        ("phone", "+573012345678")
    ]
    assert case in cases_visible_to(user=region.user("prosecutor.co"))


def test_the_owning_institutions_staff_are_told_of_the_new_case(region, client):
    case = _case_opened(region, "forced_labour", "CO-PROSECUTOR", "TIP")
    notice = Notification.objects.get(kind="helpline.case_opened")
    assert notice.recipient.username == "prosecutor.co"
    assert notice.url == reverse("cases:detail", args=[case.pk])
    client.force_login(region.user("prosecutor.co"))
    assert client.get(notice.url).status_code == 200


def _case_opened(region, situation: str, institution: str, kind: str, **options):
    report = logged("CO", situation=situation)
    return report_case_open(
        actor=region.user("focal.co"),
        report=report,
        institution=region.institution(institution),
        kind=kind,
        **options,
    )


def test_identifiers_of_a_suspect_go_to_an_unnamed_perpetrator_of_a_som_case(region):
    case = _case_opened(region, "smuggling", "CO-POLICE", "SOM", identifiers_of="perpetrator")
    assert case.kind == "SOM" and not case.victims.exists()
    perpetrator = case.perpetrators.get()
    assert [i.value for i in perpetrator.person.identifiers.all()] == ["+573012345678"]


def test_an_assigned_lead_is_seen_and_notified_by_that_institutions_users(region, client):
    report = logged("CO")
    report_lead_assign(
        actor=region.user("focal.co"),
        report=report,
        institution=region.institution("CO-PROSECUTOR"),
    )
    notified = {
        n.recipient.username for n in Notification.objects.filter(kind="helpline.lead_assigned")
    }
    assert notified == {"prosecutor.co"}
    client.force_login(region.user("prosecutor.co"))
    assert client.get(reverse("helpline:detail", args=[report.pk])).status_code == 200
    assert report.reference in client.get(reverse("helpline:mine")).content.decode()
    client.force_login(region.user("caseworker.co"))  # the police were not assigned
    assert client.get(reverse("helpline:detail", args=[report.pk])).status_code == 404
