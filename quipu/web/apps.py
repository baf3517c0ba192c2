from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "quipu.web"
    verbose_name = _("User interface")

    def ready(self) -> None:
        from quipu.tenancy.roles import Capability
        from quipu.web.navigation import NavEntry, nav_register

        nav_register(NavEntry(_("Home"), "web:home", order=0))
        nav_register(NavEntry(_("Audit trail"), "audit:trail", Capability.READ_AUDIT, order=80))
        nav_register(NavEntry(_("Administration"), "admin:index", Capability.USE_ADMIN, order=90))
        nav_register(NavEntry(_("API"), "api:docs", order=95))
        nav_register(NavEntry(_("Account security"), "accounts:security", order=99))
