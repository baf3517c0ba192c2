"""Membership decides everything: a non-member, even of a member country, sees nothing."""

import pytest
from django.urls import reverse

from quipu.audit.models import AuditEntry
from quipu.cooperation.jits.selectors import jits_visible_to

# Users of the member countries whose institutions are not members (CO and VE prosecutors are).
NON_MEMBERS = ["focal.co", "caseworker.co", "analyst.co", "focal.ve", "caseworker.ve"]


@pytest.mark.parametrize("username", NON_MEMBERS)
def test_a_non_member_of_a_member_country_gets_404_on_the_page_and_the_api(
    region, login, active, username
):
    client = login(username)
    for url in (
        reverse("jits:detail", args=[active.pk]),
        reverse("api:jit", args=[active.pk]),
    ):
        response = client.get(url)
        assert response.status_code in (403, 404)
        assert active.reference.encode() not in response.content
        assert b"Cordillera" not in response.content
    assert not jits_visible_to(user=region.user(username)).exists()


@pytest.mark.parametrize("username", ["focal.co", "caseworker.co"])
def test_a_non_member_with_jit_work_gets_404_and_the_attempt_is_audited(
    region, login, active, username
):
    response = login(username).get(reverse("jits:detail", args=[active.pk]))
    assert response.status_code == 404
    assert AuditEntry.objects.filter(
        action="denied", object_type="jits.jit", object_id=str(active.pk)
    ).exists()


def test_an_invited_institution_sees_the_invitation_but_not_the_workspace(region, login, proposed):
    client = login("prosecutor.ve")
    assert client.get(reverse("jits:detail", args=[proposed.pk])).status_code == 404
    listing = client.get(reverse("jits:list"))
    assert proposed.reference.encode() in listing.content  # as an invitation to answer
    invitations = client.get(reverse("api:jit-invitations")).json()
    assert [row["jit"]["reference"] for row in invitations["results"]] == [proposed.reference]
    assert client.get(reverse("api:jits")).json()["count"] == 0


def test_members_see_the_jit_in_their_list_and_its_workspace(region, login, active):
    for username in ("prosecutor.co", "prosecutor.ve"):
        client = login(username)
        assert active.reference.encode() in client.get(reverse("jits:list")).content
        page = client.get(reverse("jits:detail", args=[active.pk]))
        assert page.status_code == 200
        assert client.get(reverse("api:jit", args=[active.pk])).json()["state"] == "active"


def test_reading_the_workspace_is_audited(region, login, active):
    login("prosecutor.ve").get(reverse("jits:detail", args=[active.pk]))
    entry = AuditEntry.objects.filter(action="read", object_type="jits.jit").last()
    assert entry.object_id == str(active.pk)
    assert entry.purpose == f"joint investigation team {active.reference}"


def test_a_member_who_left_sees_the_jit_no_more(region, login, active):
    from quipu.cooperation.jits.services import membership_leave

    membership_leave(actor=region.user("prosecutor.ve"), jit=active)
    assert login("prosecutor.ve").get(reverse("jits:detail", args=[active.pk])).status_code == 404
