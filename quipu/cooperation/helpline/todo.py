"""The home's to-do line for helpline reports (see quipu/web/todo.py for the kinds)."""

from django.db.models import Count, Min
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from quipu.cooperation.helpline.models import State
from quipu.cooperation.helpline.selectors import triage_inbox
from quipu.notifications.todo import TodoItem
from quipu.tenancy.roles import Capability


def reports_to_triage(user, principal) -> list[TodoItem]:
    """New helpline reports of the user's country, waiting for its focal point's triage."""
    if not principal.can(Capability.TRIAGE_REPORTS):
        return []
    figures = triage_inbox(user=user, filters={"state": State.NEW}).aggregate(
        count=Count("pk"), since=Min("created_at")
    )
    url = f"{reverse('helpline:inbox')}?state={State.NEW}"
    label = _("Helpline reports to triage")
    return [TodoItem("reports", label, figures["count"], url, 15, since=figures["since"])]


TODO_PROVIDERS = (reports_to_triage,)
