"""The pages: opening with validation, answering an invitation, writing in the workspace."""

import pytest
from django.urls import reverse

from quipu.cooperation.jits.models import Jit, Note, Task

FORM = {
    "name": "Operación Orinoco",
    "lead_country": "CO",
    "legal_basis": "bilateral",
    "legal_basis_details": "Acuerdo CO-VE",
    "starts_on": "2026-12-01",
    "ends_on": "2027-12-01",
}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": "2026-11-01"}, "ends_on"),
        ({"lead_country": "AR"}, "lead_country"),  # not a member's country
        ({"legal_basis": "other", "legal_basis_details": ""}, "legal_basis_details"),
        ({"name": ""}, "name"),
    ],
)
def test_the_open_form_names_the_field_in_error_and_opens_nothing(region, login, change, field):
    response = login("prosecutor.co").post(reverse("jits:new"), FORM | change)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Jit.objects.exists()


def test_a_lead_country_among_the_invited_is_accepted(region, login):
    invited = region.institution("VE-PROSECUTOR").pk
    client = login("prosecutor.co")
    response = client.post(reverse("jits:new"), FORM | {"lead_country": "VE", "invite": invited})
    jit = Jit.objects.get()
    assert response.url == reverse("jits:detail", args=[jit.pk])
    assert jit.lead_country_id == "VE"


def test_the_open_form_is_for_prosecutors(region, login):
    assert login("prosecutor.co").get(reverse("jits:new")).status_code == 200
    assert login("focal.co").get(reverse("jits:new")).status_code == 403


def test_an_invitation_is_accepted_and_the_workspace_used_on_the_pages(region, login, proposed):
    client = login("prosecutor.ve")
    answered = client.post(reverse("jits:answer", args=[proposed.pk, "accept"]))
    assert answered.url == reverse("jits:detail", args=[proposed.pk])
    client.post(reverse("jits:note_new", args=[proposed.pk]), {"text": "Primera reunión"})
    owner = region.user("prosecutor.co")
    client.post(
        reverse("jits:task_new", args=[proposed.pk]),
        {"title": "Enviar lista de teléfonos", "owner": owner.pk, "due_on": "2026-12-10"},
    )
    page = client.get(reverse("jits:detail", args=[proposed.pk])).content.decode()
    assert "Primera reunión" in page and "Enviar lista de teléfonos" in page
    assert Note.objects.get().institution.code == "VE-PROSECUTOR"
    task = Task.objects.get()
    client.post(reverse("jits:task_done", args=[task.pk]))
    task.refresh_from_db()
    assert task.status == "done"


def test_an_invalid_task_is_refused_with_a_message(region, login, active):
    client = login("prosecutor.ve")
    response = client.post(
        reverse("jits:task_new", args=[active.pk]),
        {"title": "Sin fecha", "owner": region.user("prosecutor.co").pk, "due_on": ""},
        follow=True,
    )
    assert response.status_code == 200
    assert not Task.objects.exists()
    assert list(response.context["messages"])


def test_a_declined_invitation_goes_back_to_the_list(region, login, proposed):
    client = login("prosecutor.ve")
    response = client.post(reverse("jits:answer", args=[proposed.pk, "decline"]))
    assert response.url == reverse("jits:list")
    assert client.get(reverse("jits:detail", args=[proposed.pk])).status_code == 404


def test_the_menu_shows_the_teams_to_those_who_work_in_them(region, login):
    label = reverse("jits:list").encode()
    assert label in login("prosecutor.co").get("/").content
    assert label not in login("analyst.co").get("/").content
