from django.conf import settings

from quipu.tenancy.permissions import principal_for
from quipu.tenancy.roles import Role
from quipu.web.navigation import nav_entries_for


def shell(request) -> dict:
    """What the page frame needs: the menu, and the user's country, institution and roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"languages": settings.LANGUAGES}
    principal = principal_for(user)
    membership = getattr(user, "membership", None)
    return {
        "languages": settings.LANGUAGES,
        "nav_entries": nav_entries_for(user),
        "current_institution": membership.institution if membership else None,
        "current_country": membership.institution.country if membership else None,
        "current_roles": [Role(code).label for code in sorted(principal.roles)],
    }
