"""Which guide page answers for the page being shown: by URL namespace, else by role."""

from quipu.help.guide import INDEX
from quipu.tenancy.permissions import principal_for
from quipu.tenancy.roles import Role

# URL namespace -> guide page (file name without .md).
TOPICS = {
    "cases": "cases",
    "intake": "cases",
    "linkage": "focal-point",
    "audit": "focal-point",
    "requests": "information-requests",
    "jits": "joint-investigation-teams",
    "referrals": "consular-referrals",
    "helpline": "helpline-reports",
    "receipts": "receipts",
    "indicators": "survey-rounds",
    "progress": "progress",
    "stats": "statistics",
}
# Home and pages without a topic: the guide page of the user's role, in this order of roles.
ROLE_PAGES = [
    (Role.SECRETARIAT, "secretariat"),
    (Role.FOCAL_POINT, "focal-point"),
    (Role.CASEWORKER, "cases"),
    (Role.PROSECUTOR, "information-requests"),
    (Role.CONSULAR_OFFICER, "consular-referrals"),
    (Role.ANALYST, "statistics"),
]


def help_topic_for(*, view_name: str | None, user) -> str:
    """The guide page for a page of the app (its view name, e.g. "cases:detail")."""
    namespace = view_name.split(":")[0] if view_name and ":" in view_name else ""
    if namespace == "help":
        return ""
    if namespace in TOPICS:
        return TOPICS[namespace]
    if user is not None and user.is_authenticated:
        roles = principal_for(user).roles
        for role, page in ROLE_PAGES:
            if role.value in roles:
                return page
    return INDEX
