from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LinkageConfig(AppConfig):
    name = "quipu.linkage"
    verbose_name = _("Cross-border matching")

    def ready(self):
        from quipu.linkage import kinds  # noqa: F401  registers the notification kinds
        from quipu.notifications.daily import daily_job_register
        from quipu.tenancy.roles import Capability
        from quipu.web.navigation import ADMINISTRATION, COOPERATION, NavEntry, nav_register

        nav_register(
            NavEntry(
                _("Match notices"), "linkage:notices", Capability.REVIEW_MATCHES, 30, COOPERATION
            )
        )
        nav_register(
            NavEntry(
                _("Linkage settings"),
                "linkage:settings",
                Capability.MANAGE_REGION,
                70,
                ADMINISTRATION,
            )
        )
        daily_job_register("linkage_held_release", _held_release)


def _held_release() -> int:
    from quipu.linkage.quotas import held_notices_release

    return held_notices_release()
