"""The home's to-do lines for consular referrals (see quipu/web/todo.py for the kinds)."""

import datetime

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.cooperation.referrals.models import (
    OPEN_STATES,
    STEP_OPEN_STATUSES,
    ReferralStep,
    State,
)
from quipu.cooperation.referrals.selectors import referrals_filtered
from quipu.notifications.todo import TodoItem
from quipu.tenancy.roles import Capability

STEPS_AHEAD = datetime.timedelta(days=7)  # a step shows a week before it falls due


def referrals_to_answer(user, principal) -> list[TodoItem]:
    """Referrals of the country's nationals waiting to be accepted or declined."""
    if not principal.can(Capability.ANSWER_REFERRALS):
        return []
    figures = referrals_filtered(user=user, box="in", state=State.SENT).aggregate(
        count=Count("pk"), since=Min("sent_at")
    )
    url = f"{reverse('referrals:incoming')}?state={State.SENT}"
    label = _("Consular referrals to accept or decline")
    return [TodoItem("referrals", label, figures["count"], url, 20, since=figures["since"])]


def referral_steps_due(user, principal) -> list[TodoItem]:
    """Open assistance steps of the user's side's open referrals, due within a week or late:
    the home country's side for its focal points, else the referring institution's."""
    if principal.can(Capability.ANSWER_REFERRALS):
        box, list_name = "in", "referrals:incoming"
    elif principal.can(Capability.OPEN_REFERRALS):
        box, list_name = "out", "referrals:list"
    else:
        return []
    today = timezone.localdate()
    referrals = referrals_filtered(user=user, box=box).filter(state__in=OPEN_STATES)
    figures = ReferralStep.objects.filter(
        referral_id__in=referrals.order_by().values("pk"),
        status__in=STEP_OPEN_STATUSES,
        due_on__lte=today + STEPS_AHEAD,
    ).aggregate(
        count=Count("pk"),
        earliest=Min("due_on"),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        referrals=Count("referral_id", distinct=True),
        first=Min("referral_id"),
    )
    one = figures["referrals"] == 1
    url = reverse("referrals:detail", args=[figures["first"]]) if one else reverse(list_name)
    label = _("Assistance steps due this week or late")
    return [
        TodoItem(
            "referral-steps",
            label,
            figures["count"],
            url,
            21,
            figures["earliest"],
            figures["overdue"],
        )
    ]


TODO_PROVIDERS = (referrals_to_answer, referral_steps_due)
