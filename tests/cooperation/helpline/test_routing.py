"""A report about another country is routed there as a referral: it moves, with its history,
to that country's triage inbox; the sender keeps a read-only stub without personal data."""

import pytest
from django.db import connection
from django.urls import reverse

from quipu.cooperation.helpline.models import HelplineReport, State
from quipu.cooperation.helpline.personal import personal_fields
from quipu.cooperation.helpline.selectors import (
    report_visible,
    reports_of_my_institution,
    triage_inbox,
)
from quipu.cooperation.helpline.triage import report_route
from quipu.notifications.models import Notification
from quipu.tenancy.models import Country
from tests.cooperation.helpline.conftest import ACCOUNT, logged, operator

pytestmark = pytest.mark.django_db


def _routed(region):
    report = logged("CO", about="EC", caller_consents=True, caller={"caller_name": "Ana"})
    moved = report_route(
        actor=region.user("focal.co"),
        report=report,
        to_country=Country.objects.get(code="EC"),
        note="Explotación en Guayaquil.",
    )
    report.refresh_from_db()
    return report, moved


def test_routing_moves_the_report_to_the_receiving_countrys_triage_inbox(region):
    stub, moved = _routed(region)
    assert moved.pk != stub.pk and moved.reference == stub.reference
    assert (moved.country_id, moved.institution, moved.state) == ("EC", None, State.NEW)
    assert moved.received_from_id == "CO"
    assert moved.account == ACCOUNT and moved.caller_name == "Ana"
    assert [i.value for i in moved.identifiers.all()] == ["+573012345678"]
    assert list(triage_inbox(user=region.user("focal.ec"))) == [moved]
    assert moved not in triage_inbox(user=region.user("focal.co"))


def test_routing_keeps_the_history(region):
    _, moved = _routed(region)
    steps = [(s.action, s.country_id) for s in moved.history.all()]
    assert steps == [("log", "CO"), ("route", "EC")]
    assert moved.history.last().note == "Explotación en Guayaquil."


def test_the_sender_keeps_a_read_only_stub_without_the_account_and_identifiers(region):
    stub, _ = _routed(region)
    assert stub.is_stub and stub.state == State.ROUTED and stub.routed_to_id == "EC"
    assert stub.country_id == "CO" and stub.institution.code == "CO-HELPLINE"
    for name in personal_fields(HelplineReport):
        assert getattr(stub, name) == "", name
    assert not stub.caller_consents and not stub.identifiers.exists()
    assert [s.action for s in stub.history.all()] == ["log", "route"]
    assert all(s.note == "" for s in stub.history.all())
    assert stub in reports_of_my_institution(user=operator("CO"))
    assert stub in triage_inbox(user=region.user("focal.co"))


def test_the_stub_page_shows_no_personal_data_and_offers_no_action(region, client):
    stub, moved = _routed(region)
    client.force_login(region.user("focal.co"))
    body = client.get(reverse("helpline:detail", args=[stub.pk])).content.decode()
    assert stub.reference in body
    for value in (ACCOUNT, "+573012345678", "Ana", "Guayaquil", "Barrio San Andrés"):
        assert value not in body
    assert 'id="triage-' not in body
    assert client.get(reverse("helpline:detail", args=[moved.pk])).status_code == 404


def test_the_sending_operator_no_longer_reaches_the_moved_report(region):
    _, moved = _routed(region)
    from django.http import Http404

    with pytest.raises(Http404):
        report_visible(user=operator("CO"), pk=moved.pk)
    assert report_visible(user=region.user("focal.ec"), pk=moved.pk) == moved


def test_routing_notifies_the_receiving_countrys_focal_points(region):
    _, moved = _routed(region)
    notified = Notification.objects.filter(kind="helpline.routed_in")
    assert {n.recipient.username for n in notified} == {"focal.ec"}
    assert notified.get().url == reverse("helpline:detail", args=[moved.pk])


def test_the_receiving_country_triages_the_routed_report(region):
    _, moved = _routed(region)
    from quipu.cooperation.helpline.triage import report_close

    report_close(actor=region.user("focal.ec"), report=moved, reason="Ya denunciado.")
    moved.refresh_from_db()
    assert moved.state == State.CLOSED


@pytest.mark.postgres
def test_routing_on_postgresql_keeps_history_and_stub(region):
    if connection.vendor != "postgresql":
        pytest.skip("run with QUIPU_DATABASE_URL=postgresql://...")
    stub, moved = _routed(region)
    assert moved.history.count() == 2 and stub.history.count() == 2


def test_a_routed_in_report_counts_no_triage_until_the_receiving_country_triages_it(region):
    from quipu.cooperation.helpline.figures import helpline_figures
    from quipu.cooperation.helpline.triage import report_close

    _, moved = _routed(region)
    assert helpline_figures(["EC"])["EC"].get("days_to_triage") is None
    report_close(actor=region.user("focal.ec"), report=moved, reason="Ya denunciado.")
    assert helpline_figures(["EC"])["EC"]["days_to_triage"] is not None
