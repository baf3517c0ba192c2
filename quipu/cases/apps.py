from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "quipu.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from quipu.audit.purposes import purpose_register
        from quipu.cases.vocabulary import vocabularies_sync_after_migrate
        from quipu.tenancy.roles import Capability
        from quipu.web.navigation import CASES, NavEntry, nav_register

        post_migrate.connect(vocabularies_sync_after_migrate, sender=self)
        purpose_register("case search", _("Case search"))
        nav_register(
            NavEntry(_("Case list"), "cases:list", Capability.READ_DEIDENTIFIED, 10, CASES)
        )
        nav_register(NavEntry(_("New case"), "cases:new", Capability.WRITE_CASES, 15, CASES))
