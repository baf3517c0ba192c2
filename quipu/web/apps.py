from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "quipu.web"
    verbose_name = _("User interface")

    def ready(self) -> None:
        from quipu.tenancy.roles import Capability
        from quipu.web.navigation import ADMINISTRATION, NavEntry, nav_register

        nav_register(NavEntry(_("Home"), "web:home", order=0))
        for label, url_name, capability, order in (
            (_("Audit trail"), "audit:trail", Capability.READ_AUDIT, 80),
            (_("Site administration"), "admin:index", Capability.USE_ADMIN, 90),
            (_("API"), "api:docs", None, 95),
        ):
            nav_register(NavEntry(label, url_name, capability, order, ADMINISTRATION))
