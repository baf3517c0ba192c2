from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    """The Mechanism's progress: indicator values per country and period, country targets,
    status, the harmonisation matrix, charts and exports."""

    name = "quipu.progress"
    verbose_name = _("Progress")

    def ready(self) -> None:
        from quipu.progress.cache import connections_watch
        from quipu.tenancy.roles import Capability
        from quipu.web.navigation import MEASUREMENT, NavEntry, nav_register

        nav_register(
            NavEntry(
                _("Progress"), "progress:overview", Capability.READ_AGGREGATES, 63, MEASUREMENT
            )
        )
        connections_watch()  # writes to the figures' inputs retire cached figures
