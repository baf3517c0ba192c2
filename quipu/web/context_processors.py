from django.conf import settings

from quipu.tenancy.permissions import principal_for
from quipu.tenancy.roles import Role
from quipu.web.navigation import nav_menu_for


def shell(request) -> dict:
    """What the page frame needs: the menu, and the user's country, institution and roles."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"languages": settings.LANGUAGES}
    principal = principal_for(user)
    membership = getattr(user, "membership", None)
    return {
        "languages": settings.LANGUAGES,
        "nav_menu": nav_menu_for(user, current=_view_name(request)),
        "current_institution": membership.institution if membership else None,
        "current_country": membership.institution.country if membership else None,
        "current_roles": [Role(code).label for code in sorted(principal.roles)],
    }


def _view_name(request) -> str | None:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else None
