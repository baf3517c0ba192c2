"""The Django admin: the secretariat administers the region, a focal point their country's users."""

import pytest
from django.urls import reverse

from quipu.audit.models import Action, AuditEntry
from quipu.tenancy.models import Membership, User

pytestmark = pytest.mark.django_db


def _add_user(client, institution, roles, username="nuevo.usuario"):
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


def test_focal_point_adds_a_user_to_an_institution_of_their_country(login, region):
    client = login("focal.co")
    response = _add_user(client, region.institution("CO-PROSECUTOR"), ["prosecutor"])
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = Membership.objects.get(user__username="nuevo.usuario")
    assert membership.institution.code == "CO-PROSECUTOR"
    assert [r.role for r in membership.role_rows.all()] == ["prosecutor"]
    entry = AuditEntry.objects.filter(action=Action.CREATE).latest("seq")
    assert entry.object_id == str(membership.user_id)
    assert entry.subject_country == "CO"


def test_focal_point_cannot_add_a_user_to_another_country(login, region):
    client = login("focal.co")
    response = _add_user(client, region.institution("VE-POLICE"), ["caseworker"])
    assert response.status_code == 200  # the form comes back with an error
    assert not User.objects.filter(username="nuevo.usuario").exists()


def test_focal_point_cannot_grant_the_secretariat_role(login, region):
    client = login("focal.co")
    _add_user(client, region.institution("CO-POLICE"), ["secretariat"])
    assert not User.objects.filter(username="nuevo.usuario").exists()


def test_focal_point_user_list_shows_only_their_country(login, region):
    response = login("focal.ar").get(reverse("admin:tenancy_user_changelist"))
    page = response.content.decode()
    assert "caseworker.ar" in page
    assert "caseworker.br" not in page


def test_opening_a_user_record_in_the_admin_is_audited_as_a_read(login, region):
    target = region.user("caseworker.cl")
    login("focal.cl").get(reverse("admin:tenancy_user_change", args=[target.pk]))
    entry = AuditEntry.objects.get(action=Action.READ)
    assert entry.object_id == str(target.pk)


def test_secretariat_edits_institutions_and_the_change_is_audited(login, region):
    client = login("secretariat")
    institution = region.institution("PY-HELPLINE")
    response = client.post(
        reverse("admin:tenancy_institution_change", args=[institution.pk]),
        {
            "code": institution.code,
            "name": "Línea 137 — Paraguay",
            "kind": institution.kind,
            "country": "PY",
            "located_in": "",
            "email": institution.email,
            "phone": institution.phone,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.name == "Línea 137 — Paraguay"
    assert AuditEntry.objects.get(action=Action.UPDATE).subject_institution == "PY-HELPLINE"


def test_national_institution_needs_a_country(login, region):
    client = login("secretariat")
    response = client.post(
        reverse("admin:tenancy_institution_add"),
        {"code": "XX-POLICE", "name": "Sin país", "kind": "police", "is_active": "on"},
    )
    assert response.status_code == 200
    assert "XX-POLICE" not in {i.code for i in type(region.institution("CO-POLICE")).objects.all()}


def test_url_of_another_countrys_user_is_a_404_and_audited(login, region):
    foreign = region.user("caseworker.ve")
    response = login("focal.co").get(reverse("admin:tenancy_user_change", args=[foreign.pk]))
    assert response.status_code == 404
    assert "caseworker.ve" not in response.content.decode()
    entry = AuditEntry.objects.get(action=Action.DENIED)
    assert (entry.actor_username, entry.object_id, entry.subject_country) == (
        "focal.co",
        str(foreign.pk),
        "VE",
    )
