from rest_framework.permissions import BasePermission

from quipu.tenancy.permissions import can, denial_record
from quipu.tenancy.roles import Capability


def requires(capability: Capability) -> type[BasePermission]:
    """A DRF permission class that asks the permission layer for `capability` (and audits a no)."""

    class HasCapability(BasePermission):
        def has_permission(self, request, view):
            if not request.user or not request.user.is_authenticated:
                return False
            if can(request.user, capability):
                return True
            denial_record(request.user, capability=capability, request=request)
            return False

    HasCapability.__name__ = f"Has_{capability.value}"
    return HasCapability
