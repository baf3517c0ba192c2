"""The demo: an operator per member state and reports in every state, built idempotently."""

from io import StringIO

import pytest

from quipu.cooperation.helpline.demo import demo_build
from quipu.cooperation.helpline.models import HelplineReport, State
from quipu.tenancy.permissions import principal_for

pytestmark = pytest.mark.django_db


def test_the_demo_builds_operators_and_reports_in_every_state_and_runs_twice_alike(region):
    demo_build(stdout=StringIO())
    counts = HelplineReport.objects.count()
    demo_build(stdout=StringIO())
    assert HelplineReport.objects.count() == counts == 10 * 7  # six each, plus a routed stub
    operator = region.user("helpline.co")
    assert principal_for(operator).institution_code == "CO-HELPLINE"
    assert operator.check_password("quipu-demo-2026")
    states = set(HelplineReport.objects.filter(country="CO").values_list("state", flat=True))
    assert states == set(State.values)
    assert HelplineReport.objects.filter(country="CO", received_from="VE").exists()
    assert HelplineReport.objects.filter(caller_consents=False, caller_name="").exists()
    assert HelplineReport.objects.exclude(case=None).count() == 10


def test_the_dashboard_counts_reports_per_country_holding_them(region):
    from quipu.cooperation.helpline.figures import helpline_figures

    demo_build(stdout=StringIO())
    figures = helpline_figures(["CO", "PE"])
    # Six logged, one of them routed out (a stub), plus one routed in from Venezuela.
    assert figures["CO"]["reports"] == 6 and figures["CO"]["routed_out"] == 1
    assert figures["CO"]["immediate"] == 1 and figures["CO"]["cases"] == 1
    assert figures[""]["reports"] == 12
    assert figures["CO"]["days_to_triage"] is not None


def test_the_cooperation_dashboard_shows_the_helpline_section(region, client):
    from django.urls import reverse

    demo_build(stdout=StringIO())
    client.force_login(region.user("analyst.co"))
    assert client.get(reverse("dashboard:overview")).status_code == 200
    body = client.get(reverse("api:cooperation-dashboard")).content.decode()
    assert '"helpline"' in body
