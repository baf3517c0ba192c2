"""What the home dashboard shows, each figure read through the permission layer."""

from quipu.audit.selectors import audit_entries_visible_to
from quipu.tenancy.permissions import principal_for
from quipu.tenancy.roles import Capability
from quipu.tenancy.selectors import (
    institutions_manageable_by,
    member_states,
    users_manageable_by,
)


def dashboard_for(*, user) -> dict:
    principal = principal_for(user)
    figures: dict = {"principal": principal}
    if principal.can(Capability.MANAGE_REGION):
        figures["member_states"] = member_states()
    if principal.can(Capability.MANAGE_USERS):
        figures["institution_count"] = institutions_manageable_by(user=user).count()
        figures["user_count"] = users_manageable_by(user=user).count()
    if principal.can(Capability.READ_AUDIT):
        figures["recent_audit"] = audit_entries_visible_to(user=user)[:8]
    return figures
