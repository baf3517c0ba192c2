"""The home's to-do line for match notices (see quipu/web/todo.py for the kinds)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quipu.linkage.selectors import notice_sides_for
from quipu.notifications.todo import TodoItem
from quipu.tenancy.roles import Capability


def notices_to_review(user, principal) -> list[TodoItem]:
    """The user's sides of notices waiting for their decision: the queue's own to-do tab."""
    if not principal.can(Capability.REVIEW_MATCHES):
        return []
    count = notice_sides_for(user=user, tab="todo").count()
    label = _("Match notices to review")
    return [TodoItem("notices", label, count, reverse("linkage:notices"), 5)]


TODO_PROVIDERS = (notices_to_review,)
