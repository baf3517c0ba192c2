from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationDashboardConfig(AppConfig):
    name = "quipu.cooperation.dashboard"
    label = "cooperation_dashboard"
    verbose_name = _("Cooperation dashboard")

    def ready(self):
        from quipu.cooperation.dashboard import figures  # noqa: F401  registers the sections
        from quipu.tenancy.roles import Capability
        from quipu.web.navigation import COOPERATION, NavEntry, nav_register

        nav_register(
            NavEntry(
                _("Cooperation dashboard"),
                "dashboard:overview",
                Capability.READ_AGGREGATES,
                60,
                COOPERATION,
            )
        )
