"""Rule 1 walked through every helpline page, API endpoint, CSV export and the notification
list: no one outside a report's reach finds its reference or any of its personal values, and
after routing the sender finds none of the moved report's."""

import pytest
from django.urls import reverse

from quipu.audit.models import Action, AuditEntry
from quipu.cooperation.helpline.triage import report_route
from quipu.tenancy.models import Country
from tests.cooperation.helpline.conftest import ACCOUNT, logged, operator

pytestmark = pytest.mark.django_db

CALLER = "Ana Pérez Quintero"
NOTE = "Nota del enrutamiento: calle 8"


def _consenting(country: str, **overrides):
    return logged(
        country,
        caller_consents=True,
        caller={"caller_name": CALLER, "caller_email": "ana.quintero@example.org"},
        urgency="1_immediate",
        **overrides,
    )


SECRETS = [ACCOUNT, "+573012345678", "Barrio San Andrés", CALLER, "ana.quintero@example.org"]


def _everything_seen(client, report_pk: int) -> str:
    """What a signed-in user gets from every helpline route, the detail of `report_pk` included."""
    urls = [
        reverse("helpline:mine"),
        reverse("helpline:inbox"),
        reverse("helpline:inbox_export"),
        reverse("helpline:detail", args=[report_pk]),
        reverse("api:helpline-reports"),
        reverse("api:helpline-inbox"),
        reverse("api:helpline-report", args=[report_pk]),
        reverse("notifications:list"),
    ]
    seen = [client.get(url).content.decode() for url in urls]
    for action in ("lead", "close", "route"):
        seen.append(
            client.post(
                reverse("api:helpline-report-triage", args=[report_pk, action]),
                {"institution": "CO-POLICE", "reason": "x", "to_country": "PE"},
                content_type="application/json",
            ).content.decode()
        )
    return "\n".join(seen)


def _routed_to_ecuador(region):
    """A consenting caller's report logged in Colombia and routed, with a note, to Ecuador."""
    report = _consenting("CO", about="EC")
    moved = report_route(
        actor=region.user("focal.co"),
        report=report,
        to_country=Country.objects.get(code="EC"),
        note=NOTE,
    )
    return report, moved


OUTSIDERS = [
    "focal.pe",  # another country's focal point
    "helpline.pe",  # another country's operator
    "caseworker.co",  # same country, an institution that neither logged nor was assigned it
    "prosecutor.co",  # same country, reads cases, but the report was not assigned to them
    "analyst.co",
    "consul.co",
    "secretariat",
]


@pytest.mark.parametrize("username", OUTSIDERS)
def test_rule1_no_helpline_route_shows_a_report_to_a_user_out_of_its_reach(
    region, client, username
):
    report = _consenting("CO")
    user = operator("PE") if username == "helpline.pe" else region.user(username)
    client.force_login(user)
    seen = _everything_seen(client, report.pk)
    for value in [report.reference, *SECRETS]:
        assert value not in seen, value
    report.refresh_from_db()
    assert report.state == "new" and report.history.count() == 1
    # The 404 of the detail page and of the API is audited as a denial, naming the report.
    denied = AuditEntry.objects.filter(
        action=Action.DENIED, actor_username=username, object_id=str(report.pk)
    )
    assert denied.exists()


@pytest.mark.parametrize("username", ["focal.co", "helpline.co"])
def test_rule1_after_routing_the_sender_finds_nothing_of_the_moved_report(region, client, username):
    report, moved = _routed_to_ecuador(region)
    client.force_login(operator("CO") if username == "helpline.co" else region.user(username))
    seen = _everything_seen(client, report.pk) + _everything_seen(client, moved.pk)
    for value in [*SECRETS, NOTE]:
        assert value not in seen, value
    assert AuditEntry.objects.filter(
        action=Action.DENIED, actor_username=username, object_id=str(moved.pk)
    ).exists()


def test_after_routing_the_receiver_gets_the_whole_report(region, client):
    _, moved = _routed_to_ecuador(region)
    client.force_login(region.user("focal.ec"))
    body = client.get(reverse("api:helpline-report", args=[moved.pk])).json()
    assert (body["account"], body["place"], body["caller_name"]) == (
        ACCOUNT,
        "Barrio San Andrés",
        CALLER,
    )
    assert body["identifiers"] == [{"kind": "phone", "value": "+573012345678"}]
    assert [step["action"] for step in body["history"]] == ["log", "route"]
    assert body["history"][-1]["note"] == NOTE and body["received_from"] == "CO"
    assert body["actions"] == ["lead", "case", "route", "close"]
