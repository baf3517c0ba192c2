"""The shared workspace: notes, tasks and linked cases; members told; closing freezes it."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from quipu.cases.models import Case
from quipu.cooperation.jits.attachments import attachment_add
from quipu.cooperation.jits.models import Attachment, CaseLink, Note, Task
from quipu.cooperation.jits.services import jit_close, jit_invite, membership_leave
from quipu.cooperation.jits.workspace import (
    case_link_add,
    note_add,
    task_add,
    task_complete,
    tasks_remind,
)
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.notifications.daily import daily_jobs
from quipu.notifications.models import Notification


class Upload:
    """What Django hands a view for an uploaded file: a name, a size and chunks."""

    def __init__(self, name: str, content: bytes):
        self.name, self.content, self.size = name, content, len(content)

    def chunks(self):
        yield self.content


def test_a_note_is_shared_and_tells_the_other_members(region, active):
    note = note_add(actor=region.user("prosecutor.co"), jit=active, text="Reunión el lunes")
    assert note.institution.code == "CO-PROSECUTOR"
    told = Notification.objects.filter(kind="jits.activity")
    assert told.filter(recipient=region.user("prosecutor.ve")).exists()
    assert not told.filter(recipient=region.user("prosecutor.co")).exists()
    assert not told.filter(recipient=region.user("focal.co")).exists()


def test_an_empty_note_is_refused(region, active):
    with pytest.raises(InvalidInput):
        note_add(actor=region.user("prosecutor.co"), jit=active, text="   ")


def test_a_task_goes_to_a_member_user_only(region, active):
    owner = region.user("prosecutor.ve")
    task = task_add(
        actor=region.user("prosecutor.co"),
        jit=active,
        title="Pedir registros de llamadas",
        owner=owner,
        due_on=date(2026, 12, 15),
    )
    assert task.status == "open"
    with pytest.raises(InvalidInput):
        task_add(
            actor=region.user("prosecutor.co"),
            jit=active,
            title="x",
            owner=region.user("focal.co"),  # the ministry is not a member
            due_on=date(2026, 12, 15),
        )
    task_complete(actor=owner, task=task)
    assert Task.objects.get(pk=task.pk).status == "done"


def test_the_daily_job_tells_the_owner_when_a_task_falls_due_and_again_when_overdue(region, active):
    assert "jits_tasks_due" in daily_jobs()
    owner = region.user("prosecutor.ve")
    today = timezone.localdate()
    task_add(actor=owner, jit=active, title="Informe", owner=owner, due_on=today)
    assert tasks_remind(today=today) == 1
    assert tasks_remind(today=today) == 0
    assert tasks_remind(today=today + timedelta(days=1)) == 1
    assert tasks_remind(today=today + timedelta(days=2)) == 0
    reminders = Notification.objects.filter(recipient=owner, kind="jits.task_due")
    assert reminders.count() == 2
    assert reminders.first().url == reverse("jits:detail", args=[active.pk])


def test_a_member_links_only_its_own_countrys_cases(region, active):
    co_case = Case.objects.get(reference="CO-TEST-1")
    link = case_link_add(actor=region.user("prosecutor.co"), jit=active, case=co_case)
    assert link.institution.code == "CO-PROSECUTOR"
    with pytest.raises(NotAllowed):
        case_link_add(actor=region.user("prosecutor.ve"), jit=active, case=co_case)
    with pytest.raises(InvalidTransition):
        case_link_add(actor=region.user("prosecutor.co"), jit=active, case=co_case)


def _workspace_changes(region, jit):
    co, ve = region.user("prosecutor.co"), region.user("prosecutor.ve")
    return {
        "note": lambda: note_add(actor=co, jit=jit, text="Nota"),
        "task": lambda: task_add(actor=co, jit=jit, title="T", owner=ve, due_on=date(2027, 1, 1)),
        "link": lambda: case_link_add(
            actor=co, jit=jit, case=Case.objects.get(reference="CO-TEST-1")
        ),
        "attachment": lambda: attachment_add(
            actor=co, jit=jit, upload=Upload("acta.txt", b"Acta de la reunion\n")
        ),
        "invite": lambda: jit_invite(
            actor=co, jit=jit, institution=region.institution("PE-PROSECUTOR")
        ),
        "leave": lambda: membership_leave(actor=ve, jit=jit),
    }


@pytest.mark.parametrize("change", ["note", "task", "link", "attachment", "invite", "leave"])
def test_closing_the_jit_freezes_the_workspace_read_only(region, active, change):
    jit_close(actor=region.user("prosecutor.co"), jit=active)
    before = (Note.objects.count(), Task.objects.count(), CaseLink.objects.count())
    with pytest.raises(InvalidTransition):
        _workspace_changes(region, active)[change]()
    assert (Note.objects.count(), Task.objects.count(), CaseLink.objects.count()) == before
    assert not Attachment.objects.filter(jit=active).exists()


def test_a_task_of_a_closed_jit_cannot_be_marked_done(region, active):
    ve = region.user("prosecutor.ve")
    task = task_add(actor=ve, jit=active, title="T", owner=ve, due_on=date(2027, 1, 1))
    jit_close(actor=region.user("prosecutor.co"), jit=active)
    with pytest.raises(InvalidTransition):
        task_complete(actor=ve, task=task)
    assert tasks_remind(today=date(2027, 2, 1)) == 0


def test_the_closed_workspace_page_shows_no_forms(region, login, active):
    note_add(actor=region.user("prosecutor.co"), jit=active, text="Nota de cierre")
    jit_close(actor=region.user("prosecutor.co"), jit=active)
    page = login("prosecutor.ve").get(reverse("jits:detail", args=[active.pk]))
    assert b"Nota de cierre" in page.content
    assert reverse("jits:note_new", args=[active.pk]).encode() not in page.content
    refused = login("prosecutor.ve").post(
        reverse("jits:note_new", args=[active.pk]), {"text": "Otra"}, follow=True
    )
    assert not Note.objects.filter(text="Otra").exists()
    assert refused.status_code == 200


@pytest.mark.parametrize("username", ["focal.co", "prosecutor.pe"])
def test_a_non_member_cannot_write_in_the_workspace(region, active, username):
    with pytest.raises(NotAllowed):
        note_add(actor=region.user(username), jit=active, text="Intrusa")
