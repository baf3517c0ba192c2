"""The home's to-do lines for information requests (see quipu/web/todo.py for the kinds)."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.cooperation.requests.models import State
from quipu.cooperation.requests.selectors import requests_filtered
from quipu.notifications.todo import TodoItem
from quipu.tenancy.roles import Capability


def _line(user, *, box: str, state: str, kind: str, label, order: int) -> list[TodoItem]:
    figures = requests_filtered(user=user, box=box, state=state).aggregate(
        count=Count("pk"),
        earliest=Min("due_on"),
        overdue=Count("pk", filter=Q(due_on__lt=timezone.localdate())),
    )
    url = f"{reverse('requests:inbox')}?box={box}&state={state}"
    return [
        TodoItem(kind, label, figures["count"], url, order, figures["earliest"], figures["overdue"])
    ]


def requests_to_answer(user, principal) -> list[TodoItem]:
    """Requests to the user's country not yet answered (its focal points answer them)."""
    if not (principal.can(Capability.ANSWER_REQUESTS) and principal.can(Capability.OPEN_REQUESTS)):
        return []  # the inbox page is reached with OPEN_REQUESTS; focal points hold both
    return _line(
        user,
        box="in",
        state=State.SENT,
        kind="requests",
        label=_("Information requests to answer"),
        order=10,
    )


def requests_to_clarify(user, principal) -> list[TodoItem]:
    """Requests the user's side sent, on which the receiving country asked a question."""
    if not principal.can(Capability.OPEN_REQUESTS):
        return []
    return _line(
        user,
        box="out",
        state=State.CLARIFICATION,
        kind="request-clarifications",
        label=_("Your requests with a question to answer"),
        order=11,
    )


TODO_PROVIDERS = (requests_to_answer, requests_to_clarify)
