"""The JIT API end to end: open, invite, accept, notes, tasks, close; errors with field paths."""

import pytest
from django.urls import reverse

from quipu.cooperation.jits.models import Jit

OPEN = {
    "name": "Operación Pacífico",
    "lead_country": "CO",
    "legal_basis": "palermo",
    "starts_on": "2026-12-01",
    "ends_on": "2027-06-30",
    "invite": ["EC-PROSECUTOR"],
}


def _post(client, name, payload=None, *args):
    return client.post(reverse(name, args=args), payload or {}, content_type="application/json")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ends_on": "2026-01-01"}, "ends_on"),
        ({"lead_country": "AR"}, "lead_country"),
        ({"legal_basis": "other", "legal_basis_details": ""}, "legal_basis_details"),
        ({"legal_basis": "custom"}, "legal_basis"),
        ({"invite": ["XX-NOWHERE"]}, "invite"),
    ],
)
def test_opening_with_bad_input_answers_the_field_in_error(region, login, change, field):
    response = _post(login("prosecutor.co"), "api:jits", OPEN | change)
    assert response.status_code == 400
    assert field in response.json()
    assert not Jit.objects.exists()


@pytest.mark.parametrize("username", ["focal.co", "caseworker.co"])
def test_only_prosecutors_open_a_jit_on_the_api(region, login, username):
    response = _post(login(username), "api:jits", OPEN)
    assert response.status_code == 403
    assert response.json()["code"] == "NotAllowed"


def test_a_jit_is_opened_joined_worked_in_and_closed_on_the_api(region, login):
    # `login` signs the one test client in as another user each time.
    created = _post(login("prosecutor.co"), "api:jits", OPEN)
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["state"] == "proposed"

    ec = login("prosecutor.ec")
    assert _post(ec, "api:jit-membership", {"action": "accept"}, pk).json()["state"] == "active"
    note = _post(ec, "api:jit-notes", {"text": "Allanamiento coordinado"}, pk)
    assert note.status_code == 201 and note.json()["institution"] == "EC-PROSECUTOR"
    task = {"title": "Cruce migratorio", "owner": "prosecutor.co", "due_on": "2026-12-20"}
    created_task = _post(ec, "api:jit-tasks", task, pk)
    assert created_task.status_code == 201 and created_task.json()["owner"] == "prosecutor.co"
    bad_owner = _post(ec, "api:jit-tasks", task | {"owner": "focal.ec"}, pk)
    assert bad_owner.status_code == 400 and list(bad_owner.json()) == ["owner"]
    task_id = created_task.json()["id"]
    done = ec.post(reverse("api:jit-task-done", args=[task_id]))
    assert done.json()["status"] == "done"
    assert _post(ec, "api:jit-close", None, pk).status_code == 403

    co = login("prosecutor.co")
    invited = _post(co, "api:jit-invite", {"institution": "PE-PROSECUTOR"}, pk)
    assert any(m["institution"] == "PE-PROSECUTOR" for m in invited.json()["members"])
    assert _post(co, "api:jit-close", None, pk).json()["state"] == "closed"
    frozen = _post(co, "api:jit-notes", {"text": "Tarde"}, pk)
    assert frozen.status_code == 409 and frozen.json()["code"] == "InvalidTransition"

    detail = co.get(reverse("api:jit", args=[pk])).json()
    actions = [row["action"] for row in detail["history"]]
    assert actions == ["open", "invite", "accept", "activate", "invite", "close"]


def test_declining_on_the_api_leaves_the_jit_proposed_and_unseen(region, login):
    created = _post(login("prosecutor.co"), "api:jits", OPEN).json()
    ec = login("prosecutor.ec")  # the same client, now signed in as Ecuador's prosecutor
    declined = _post(ec, "api:jit-membership", {"action": "decline"}, created["id"])
    assert declined.json()["state"] == "proposed"
    assert ec.get(reverse("api:jit", args=[created["id"]])).status_code == 404
    again = _post(ec, "api:jit-membership", {"action": "accept"}, created["id"])
    assert again.status_code == 404
