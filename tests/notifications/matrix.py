"""Permission-matrix rules for notifications: every signed-in user has their own."""

from tests.matrix_rules import ANY, Route, roles

ROUTES = {
    "notifications:list": Route(ANY),
    # Only the recipient follows a notification: the matrix builds them for focal points.
    "notifications:follow": Route(roles("focal_point"), obj="notification", ok=(302,)),
    "notifications:read_all": Route(ANY, ok=(405,)),  # POST only
    "notifications:settings": Route(ANY),
    "api:notifications": Route(ANY),
    "api:notification-read": Route(ANY, ok=(405,), kwargs={"pk": 1}),  # POST only
}


def _notification(country: str):
    """A notification to the country's focal point, pointing at their notification list."""
    from quipu.notifications.models import Notification
    from quipu.tenancy.models import User

    recipient = User.objects.get(username=f"focal.{country.lower()}")
    return Notification.objects.get_or_create(
        recipient=recipient, kind="matrix", url="/notifications/"
    )[0]


RECORDS = {"notification": _notification}
