"""The consular seal holds beyond the case pages (issue 13, finding 4).

A consulate abroad (Colombia's in Ecuador, CO-CONSULATE-EC) registers nationals found as victims
there; its cases are sealed from its own country (docs/decisions.md). A focal point who could
put a user there, change one of its users, write or import as it, or disclose its cases in an
answer, could read through the seal: none of that is theirs, only the secretariat's.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quipu.audit.models import Action, AuditEntry
from quipu.cases.services import institutions_writable_by
from quipu.cooperation.requests.models import Grant
from quipu.cooperation.requests.selectors import notice_owner_cases
from quipu.cooperation.requests.services import information_request_transition
from quipu.errors import NotAllowed
from quipu.intake.models import ImportJob
from quipu.intake.selectors import import_jobs_visible_to
from quipu.intake.services import institutions_importable_by
from quipu.tenancy.models import Membership, User
from quipu.tenancy.selectors import institutions_manageable_by, users_manageable_by
from tests.cooperation.requests.factories import linked_notice, owner_case, request_sent

pytestmark = pytest.mark.django_db

CONSULATE = "CO-CONSULATE-EC"
SEALED_MESSAGE = "Users of a consulate abroad are assigned by the technical secretariat only."


def _add_user(client, institution, roles, username="usuario.consulado"):
    return client.post(
        reverse("admin:tenancy_user_add"),
        {
            "username": username,
            "password1": "una-clave-larga-2026",
            "password2": "una-clave-larga-2026",
            "usable_password": "true",
            "membership-TOTAL_FORMS": "1",
            "membership-INITIAL_FORMS": "0",
            "membership-MIN_NUM_FORMS": "1",
            "membership-MAX_NUM_FORMS": "1",
            "membership-0-institution": str(institution.pk),
            "membership-0-roles": roles,
        },
    )


def test_consular_seal_a_focal_point_cannot_put_a_user_at_their_consulate_abroad(login, region):
    client = login("focal.co")
    client.cookies["django_language"] = "en"
    response = _add_user(client, region.institution(CONSULATE), ["caseworker", "analyst"])
    assert response.status_code == 200  # the form comes back, saying why
    assert SEALED_MESSAGE in response.content.decode()
    assert not User.objects.filter(username="usuario.consulado").exists()


def test_consular_seal_a_focal_point_cannot_move_a_user_into_the_consulate(login, region):
    analyst = region.user("analyst.co")
    membership = analyst.membership
    response = login("focal.co").post(
        reverse("admin:tenancy_user_change", args=[analyst.pk]),
        {
            "username": analyst.username,
            "first_name": analyst.first_name,
            "last_name": analyst.last_name,
            "email": analyst.email,
            "is_active": "on",
            "membership-TOTAL_FORMS": "1",
            "membership-INITIAL_FORMS": "1",
            "membership-MIN_NUM_FORMS": "1",
            "membership-MAX_NUM_FORMS": "1",
            "membership-0-id": str(membership.pk),
            "membership-0-user": str(analyst.pk),
            "membership-0-institution": str(region.institution(CONSULATE).pk),
            "membership-0-roles": ["caseworker"],
        },
    )
    assert response.status_code == 200
    membership.refresh_from_db()
    assert membership.institution.code == "CO-MINISTRY"
    assert [row.role for row in membership.role_rows.all()] == ["analyst"]


def test_consular_seal_a_focal_point_cannot_open_change_or_reset_a_consulate_user(login, region):
    consul = region.user("consul.co")
    client = login("focal.co")
    for route in ("admin:tenancy_user_change", "admin:auth_user_password_change"):
        assert client.get(reverse(route, args=[consul.pk])).status_code == 404
    reset = client.post(
        reverse("admin:auth_user_password_change", args=[consul.pk]),
        {"password1": "otra-clave-larga-2026", "password2": "otra-clave-larga-2026"},
    )
    assert reset.status_code == 404
    consul.refresh_from_db()
    assert not consul.check_password("otra-clave-larga-2026")
    assert AuditEntry.objects.filter(action=Action.DENIED, object_id=str(consul.pk)).exists()
    listed = client.get(reverse("admin:tenancy_user_changelist")).content.decode()
    assert "analyst.co" in listed and "consul.co" not in listed
    focal = region.user("focal.co")
    assert not users_manageable_by(user=focal).filter(pk=consul.pk).exists()
    assert CONSULATE not in institutions_manageable_by(user=focal).values_list("code", flat=True)


def test_consular_seal_the_secretariat_assigns_users_to_a_consulate_abroad(login, region):
    response = _add_user(login("secretariat"), region.institution(CONSULATE), ["consular_officer"])
    assert response.status_code == 302
    assert Membership.objects.get(user__username="usuario.consulado").institution.code == CONSULATE


def test_consular_seal_holds_for_case_writes_and_imports(region):
    focal, consulate = region.user("focal.co"), region.institution(CONSULATE)
    assert consulate not in institutions_writable_by(user=focal)
    assert consulate not in institutions_importable_by(user=focal)
    assert region.institution("CO-SHELTER") in institutions_writable_by(user=focal)
    sealed = ImportJob.objects.create(owner=consulate, file_name="consulado.csv")
    own = ImportJob.objects.create(owner=region.institution("CO-POLICE"), file_name="policia.csv")
    visible = set(import_jobs_visible_to(user=focal))
    assert own in visible and sealed not in visible


def test_consular_seal_a_focal_point_cannot_disclose_a_sealed_case_in_an_answer(region):
    sealed = owner_case(CONSULATE, key="sealed")
    found = request_sent()
    with pytest.raises(NotAllowed):
        information_request_transition(
            actor=region.user("focal.co"),
            information_request=found,
            action="approve",
            categories=["identity", "route"],
            cases=[sealed],
            expires_on=timezone.localdate() + timedelta(days=30),
        )
    assert not Grant.objects.filter(information_request=found).exists()


def test_consular_seal_a_notice_on_a_sealed_case_offers_nothing_to_disclose(region):
    """A notice made before the matcher kept sealed records out must not pre-fill the answer."""
    sealed = owner_case(CONSULATE, key="noticed")
    national = owner_case("CO-POLICE", key="noticed")
    assert notice_owner_cases(linked_notice(sealed), "CO") == []
    assert notice_owner_cases(linked_notice(national), "CO") == [national]
