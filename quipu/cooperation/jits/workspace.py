"""The shared workspace: linked cases, notes and tasks. Only accepted members write, and only
while the JIT is not closed (services.writable); every change is audited and the members told.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quipu.audit.models import Action
from quipu.audit.services import audit_record
from quipu.cases.models import Case
from quipu.cooperation.jits.kinds import JIT_ACTIVITY, JIT_TASK_DUE
from quipu.cooperation.jits.models import CaseLink, Jit, Note, Task, TaskStatus
from quipu.cooperation.jits.selectors import cases_linkable_by, member_users
from quipu.cooperation.jits.services import acting_member, purpose_of, writable
from quipu.errors import InvalidInput, InvalidTransition, NotAllowed
from quipu.notifications.services import notify
from quipu.tenancy.permissions import denial_record
from quipu.tenancy.roles import Capability

NOTE_MAX = 5000


def activity_notify(jit: Jit, *, actor) -> None:
    """Tell the other members' users that the workspace changed (a title and a link only)."""
    users = member_users(jit=jit).exclude(pk=actor.pk)
    notify(
        recipients=users,
        kind=JIT_ACTIVITY,
        url=reverse("jits:detail", args=[jit.pk]),
        reference=jit.reference,
    )


def case_link_add(*, actor, jit: Jit, case: Case, request=None) -> CaseLink:
    """A member links a case its own country owns and the actor may read."""
    principal = acting_member(actor, jit, request)
    if not cases_linkable_by(user=actor).filter(pk=case.pk).exists():
        denial_record(actor, capability=Capability.READ_CASES, obj=case, request=request)
        raise NotAllowed(_("You may link only cases of your own country that you may read."))
    with transaction.atomic():
        jit = writable(jit)
        if CaseLink.objects.filter(jit=jit, case=case).exists():
            raise InvalidTransition(_("This case is already linked."))
        link = CaseLink.objects.create(
            jit=jit,
            case=case,
            institution_id=principal.institution_id,
            linked_by=actor,
            linked_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=case,
            purpose=purpose_of(jit),
            detail={"jit": jit.pk, "linked_case": case.pk},
            request=request,
        )
    return link


def note_add(*, actor, jit: Jit, text: str, request=None) -> Note:
    principal = acting_member(actor, jit, request)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Write the note."))
    if len(text) > NOTE_MAX:
        raise InvalidInput(
            _("The note is too long: at most %(max)s characters.") % {"max": NOTE_MAX}
        )
    with transaction.atomic():
        jit = writable(jit)
        note = Note.objects.create(
            jit=jit,
            institution_id=principal.institution_id,
            author=actor,
            text=text,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=note,
            purpose=purpose_of(jit),
            detail={"jit": jit.pk, "note": note.pk},
            request=request,
        )
        activity_notify(jit, actor=actor)
    return note


def task_add(*, actor, jit: Jit, title: str, owner, due_on: date, request=None) -> Task:
    """A task for a user of an accepted member, with a due date."""
    principal = acting_member(actor, jit, request)
    title = (title or "").strip()
    if not title:
        raise InvalidInput(_("Describe the task."))
    if not member_users(jit=jit).filter(pk=owner.pk).exists():
        raise InvalidInput(_("The task's owner must work for a member of the JIT."))
    with transaction.atomic():
        jit = writable(jit)
        task = Task.objects.create(
            jit=jit,
            institution_id=principal.institution_id,
            title=title[:200],
            owner=owner,
            due_on=due_on,
            created_by=actor,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            obj=task,
            purpose=purpose_of(jit),
            detail={"jit": jit.pk, "task": task.pk, "owner": owner.pk},
            request=request,
        )
        activity_notify(jit, actor=actor)
    return task


def task_complete(*, actor, task: Task, request=None) -> Task:
    acting_member(actor, task.jit, request)
    with transaction.atomic():
        writable(task.jit)
        task = Task.objects.select_for_update().get(pk=task.pk)
        if task.status == TaskStatus.DONE:
            raise InvalidTransition(_("The task is already done."))
        task.status = TaskStatus.DONE
        task.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            obj=task,
            purpose=purpose_of(task.jit),
            detail={"jit": task.jit_id, "task": task.pk, "status": task.status},
            request=request,
        )
    return task


def tasks_remind(*, today: date | None = None) -> int:
    """Daily: tell each owner of an open task of an open JIT once when it falls due, and once
    more when it is overdue."""
    today = today or timezone.localdate()
    tasks = Task.objects.filter(
        status=TaskStatus.OPEN, due_on__lte=today, jit__state__in=("proposed", "active")
    ).select_related("owner", "jit")
    count = 0
    for task in tasks:
        due_now = task.reminded_on is None
        overdue_now = task.due_on < today and (task.reminded_on or task.due_on) <= task.due_on
        if not (due_now or overdue_now):
            continue
        notify(
            recipients=[task.owner],
            kind=JIT_TASK_DUE,
            url=reverse("jits:detail", args=[task.jit_id]),
            reference=task.jit.reference,
        )
        Task.objects.filter(pk=task.pk).update(reminded_on=today)
        count += 1
    return count
