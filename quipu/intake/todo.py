"""The home's to-do lines for imports (see quipu/web/todo.py for the kinds)."""

import datetime

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quipu.intake.models import JobStatus
from quipu.intake.selectors import import_jobs_visible_to
from quipu.notifications.todo import TodoItem
from quipu.tenancy.roles import Capability

RECENT = datetime.timedelta(days=7)  # an import stays on the home for a week after it ends


def imports_finished(user, principal) -> list[TodoItem]:
    """The user's own imports that ended this week: saved, and rejected or failed."""
    if not principal.can(Capability.WRITE_CASES):
        return []
    figures = (
        import_jobs_visible_to(user=user)
        .filter(requested_by_id=user.pk, finished_at__gte=timezone.now() - RECENT)
        .aggregate(
            done=Count("pk", filter=Q(status=JobStatus.DONE)),
            failed=Count("pk", filter=Q(status__in=(JobStatus.REJECTED, JobStatus.FAILED))),
        )
    )
    url = reverse("intake:import_start")
    return [
        TodoItem("imports", _("Your imports saved this week"), figures["done"], url, 60),
        TodoItem(
            "imports-failed",
            _("Your imports rejected or failed this week"),
            figures["failed"],
            url,
            61,
        ),
    ]


TODO_PROVIDERS = (imports_finished,)
