from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "quipu.notifications"
    verbose_name = _("Notifications")

    def ready(self):
        # The bell in the page header links here; the digest registers as a daily job.
        from quipu.notifications import daily  # noqa: F401
