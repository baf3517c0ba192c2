"""The home's to-do lines for joint investigation teams (see quipu/web/todo.py for the kinds)."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.cooperation.jits.models import Task, TaskStatus
from quipu.cooperation.jits.selectors import invitations_for, jits_visible_to
from quipu.notifications.todo import TodoItem
from quipu.tenancy.roles import Capability


def jit_tasks_open(user, principal) -> list[TodoItem]:
    """Open tasks the user owns in the JITs their institution works in."""
    if not principal.can(Capability.WORK_IN_JIT):
        return []
    figures = Task.objects.filter(
        jit_id__in=jits_visible_to(user=user).order_by().values("pk"),
        owner_id=user.pk,
        status=TaskStatus.OPEN,
    ).aggregate(
        count=Count("pk"),
        earliest=Min("due_on"),
        overdue=Count("pk", filter=Q(due_on__lt=timezone.localdate())),
        jits=Count("jit_id", distinct=True),
        first=Min("jit_id"),
    )
    one = figures["jits"] == 1
    url = reverse("jits:detail", args=[figures["first"]]) if one else reverse("jits:list")
    label = _("Your open tasks in joint investigation teams")
    return [
        TodoItem("jits", label, figures["count"], url, 30, figures["earliest"], figures["overdue"])
    ]


def jit_invitations_open(user, principal) -> list[TodoItem]:
    """Invitations of the user's institution that the user may answer."""
    count = invitations_for(user=user).count()  # none, without a query, for those who may not
    label = _("Invitations to a joint investigation team")
    return [TodoItem("jit-invitations", label, count, reverse("jits:list"), 31)]


TODO_PROVIDERS = (jit_tasks_open, jit_invitations_open)
