"""The home's to-do lines for survey answers (see quipu/web/todo.py for the kinds)."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.indicators.round_models import OPEN_STATES, Submission, SubmissionState
from quipu.indicators.round_selectors import submissions_assigned_to
from quipu.notifications.todo import TodoItem
from quipu.tenancy.permissions import scoped
from quipu.tenancy.roles import Capability, Scope

TO_FILL = (*OPEN_STATES, SubmissionState.RETURNED)


def surveys_to_fill(user, principal) -> list[TodoItem]:
    """Answers assigned to the user's institution that are not submitted yet: any of its users
    may fill them (workflows.may_fill), as the survey rounds page lists them."""
    figures = (
        submissions_assigned_to(user=user)
        .filter(state__in=TO_FILL)
        .aggregate(
            count=Count("pk"),
            earliest=Min("round__due_on"),
            overdue=Count(
                "pk", filter=Q(state__in=OPEN_STATES, round__due_on__lt=timezone.localdate())
            ),
            first=Min("pk"),
        )
    )
    one = figures["count"] == 1
    url = (
        reverse("indicators:submission", args=[figures["first"]])
        if one
        else reverse("indicators:round_list")
    )
    label = _("Survey answers to fill")
    return [
        TodoItem(
            "surveys", label, figures["count"], url, 40, figures["earliest"], figures["overdue"]
        )
    ]


def surveys_to_approve(user, principal) -> list[TodoItem]:
    """Submitted answers of the country for its focal point to approve; approved answers of
    every country for the secretariat to accept."""
    if principal.scope(Capability.MANAGE_REGION) is Scope.REGION:
        rows = scoped(user, Submission.objects.all(), Capability.MANAGE_REGION)
        state, label = SubmissionState.APPROVED, _("Survey answers to accept")
    elif principal.can(Capability.APPROVE_DISCLOSURE):
        rows = scoped(user, Submission.objects.all(), Capability.APPROVE_DISCLOSURE)
        state, label = SubmissionState.SUBMITTED, _("Survey answers to approve")
    else:
        return []
    figures = rows.filter(state=state).aggregate(
        count=Count("pk"),
        rounds=Count("round_id", distinct=True),
        first_round=Min("round_id"),
        first=Min("pk"),
    )
    if figures["count"] == 1:
        url = reverse("indicators:submission", args=[figures["first"]])
    elif figures["rounds"] == 1:
        url = reverse("indicators:round_detail", args=[figures["first_round"]])
    else:
        url = reverse("indicators:round_list")
    return [TodoItem("survey-approvals", label, figures["count"], url, 41)]


TODO_PROVIDERS = (surveys_to_fill, surveys_to_approve)
