"""What the home shows, each figure read through the permission layer: the user's to-do list
first (quipu/web/todo.py), then the figures of their role."""

from quipu.audit.selectors import audit_entries_visible_to
from quipu.tenancy.permissions import principal_for
from quipu.tenancy.roles import Capability
from quipu.tenancy.selectors import (
    institutions_manageable_by,
    member_states,
    users_manageable_by,
)
from quipu.web.todo import entry_points_for, todo_for

RECENT_AUDIT_SHOWN = 5  # the focal point's home leads with their work; the trail has the rest


def dashboard_for(*, user) -> dict:
    principal = principal_for(user)
    figures: dict = {
        "principal": principal,
        "todo": todo_for(user),
        "entry_points": entry_points_for(user),
    }
    if principal.can(Capability.MANAGE_REGION):
        figures["member_states"] = member_states()
    if principal.can(Capability.MANAGE_USERS):
        figures["institution_count"] = institutions_manageable_by(user=user).count()
        figures["user_count"] = users_manageable_by(user=user).count()
    if principal.can(Capability.READ_AUDIT):
        figures["recent_audit"] = audit_entries_visible_to(user=user)[:RECENT_AUDIT_SHOWN]
    return figures
